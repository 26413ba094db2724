//! The one place that creates a plotters canvas backend: sizing for HiDPI and redrawing.

use std::rc::Rc;

use gloo::timers::future::TimeoutFuture;
use headlights_core::charts::sparkline::draw_sparkline;
use headlights_core::charts::{ChartError, Theme};
use leptos::html::Canvas;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, IntoDrawingArea};
use plotters_canvas::CanvasBackend;

use super::state::AppState;

/// A plotters drawing area on a canvas.
pub type CanvasArea = DrawingArea<CanvasBackend, Shift>;

/// Width used when the canvas has no layout yet (for example while hidden).
const FALLBACK_CSS_WIDTH: f64 = 640.0;

/// Draws on `canvas` whenever the data `draw` reads, the page generation or the viewport
/// changes, then records the chart as drawn for `data-state`.
///
/// The canvas gets `css size × devicePixelRatio` device pixels so lines and text stay sharp on
/// HiDPI screens; the theme carries the same ratio so chart sizes are given in CSS pixels.
pub fn redraw_on_change(
    canvas: NodeRef<Canvas>,
    id: &'static str,
    css_height: Signal<f64>,
    draw: impl Fn(&CanvasArea, &Theme) -> Result<(), ChartError> + 'static,
) {
    let state = expect_context::<AppState>();
    let viewport = expect_context::<Viewport>();
    let draw = Rc::new(draw);
    Effect::new(move |_| {
        let generation = state.generation.get();
        viewport.width.track();
        viewport.colour_scheme_changes.track();
        let height = css_height.get();
        let Some(element) = canvas.get() else { return };

        // Each chart draws in a task of its own, so that a new dashboard blocks the page for one
        // chart at a time rather than for all of them. The task runs under this effect's
        // observer, so the data `draw` reads is still tracked, and a rerun of the effect
        // cancels a draw not yet done.
        let draw = draw.clone();
        spawn_local_scoped_with_cancellation(async move {
            TimeoutFuture::new(0).await;
            if draw_sized(element, id, height, &*draw) {
                state.mark_drawn(id, generation);
            }
        });
    });
}

/// Draws a card's sparkline on `canvas` whenever its values, the viewport or the colour
/// scheme change. Sparklines are not charts of the page's test contract, so they do not
/// hold `data-state` back.
pub fn redraw_sparkline(canvas: NodeRef<Canvas>, values: Vec<Option<f64>>) {
    let viewport = expect_context::<Viewport>();
    let values = Rc::new(values);
    Effect::new(move |_| {
        viewport.width.track();
        viewport.colour_scheme_changes.track();
        let Some(element) = canvas.get() else { return };

        // A dashboard has dozens of sparklines: each draws in a task of its own, as charts do.
        let values = values.clone();
        spawn_local_scoped_with_cancellation(async move {
            TimeoutFuture::new(0).await;
            draw_sized(element, "sparkline", SPARKLINE_CSS_HEIGHT, &|area, theme| draw_sparkline(area, &values, theme));
        });
    });
}

/// Height of a card's sparkline in CSS pixels.
pub const SPARKLINE_CSS_HEIGHT: f64 = 36.0;

/// Sizes `element` to its CSS width and `css_height` times the pixel ratio and draws on it;
/// returns true when the drawing succeeded.
fn draw_sized(element: web_sys::HtmlCanvasElement, id: &str, css_height: f64, draw: &dyn Fn(&CanvasArea, &Theme) -> Result<(), ChartError>) -> bool {
    let theme = page_theme();
    let css_width = match element.get_bounding_client_rect().width() {
        width if width > 0.0 => width,
        _ => FALLBACK_CSS_WIDTH,
    };
    element.set_width((css_width * theme.scale).round() as u32);
    element.set_height((css_height * theme.scale).round() as u32);

    let Some(backend) = CanvasBackend::with_canvas_object(element) else {
        gloo::console::error!(format!("chart {id}: the canvas has no 2D context"));
        return false;
    };
    match draw(&backend.into_drawing_area(), &theme) {
        Ok(()) => true,
        Err(error) => {
            gloo::console::error!(format!("chart {id}: {error}"));
            false
        }
    }
}

/// What charts redraw on: the window's width in CSS pixels and the system colour scheme.
#[derive(Clone, Copy)]
pub struct Viewport {
    pub width: RwSignal<f64>,
    /// Counts switches between light and dark, so charts redraw in the new theme.
    pub colour_scheme_changes: RwSignal<u32>,
}

impl Viewport {
    /// Tracks the window's width and colour scheme for the lifetime of the calling component.
    pub fn track_window() -> Self {
        let width = RwSignal::new(window_width());
        let listener = window_event_listener(leptos::ev::resize, move |_| width.set(window_width()));
        on_cleanup(move || listener.remove());

        let colour_scheme_changes = RwSignal::new(0u32);
        if let Ok(Some(query)) = window().match_media("(prefers-color-scheme: dark)") {
            let on_change = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || colour_scheme_changes.update(|count| *count += 1));
            let _ = query.add_event_listener_with_callback("change", wasm_bindgen::JsCast::unchecked_ref(on_change.as_ref()));
            // The listener lives as long as the page.
            on_change.forget();
        }
        Viewport { width, colour_scheme_changes }
    }
}

fn window_width() -> f64 {
    window().inner_width().ok().and_then(|width| width.as_f64()).unwrap_or(FALLBACK_CSS_WIDTH)
}

/// Chooses the light or dark theme from the system setting, scaled by the pixel ratio.
fn page_theme() -> Theme {
    let window = window();
    let scale = window.device_pixel_ratio().max(1.0);
    let dark = window
        .match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten()
        .is_some_and(|query| query.matches());
    if dark {
        Theme::dark(scale)
    } else {
        Theme::light(scale)
    }
}

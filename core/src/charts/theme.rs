//! Colours, fonts and sizes shared by every chart, for light and dark pages and any pixel ratio.

use plotters::style::RGBColor;

/// The Okabe–Ito palette, distinguishable with the common forms of colour blindness.
pub const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(230, 159, 0),   // orange
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(240, 228, 66),  // yellow
];

/// How a chart looks: colours for the page's colour scheme and sizes for its pixel ratio.
#[derive(Clone, Debug, PartialEq)]
pub struct Theme {
    /// Device pixels per CSS pixel; every size below is multiplied by it.
    pub scale: f64,
    pub background: RGBColor,
    pub text: RGBColor,
    pub muted_text: RGBColor,
    pub grid: RGBColor,
    pub accent: RGBColor,
    pub warning: RGBColor,
    /// Heatmap colours for 0% and 100%.
    pub heat_low: RGBColor,
    pub heat_high: RGBColor,
}

impl Theme {
    pub fn light(scale: f64) -> Self {
        Theme {
            scale,
            background: RGBColor(255, 255, 255),
            text: RGBColor(31, 35, 40),
            muted_text: RGBColor(89, 99, 110),
            grid: RGBColor(226, 230, 234),
            accent: PALETTE[0],
            warning: PALETTE[3],
            heat_low: RGBColor(240, 246, 252),
            heat_high: RGBColor(8, 64, 129),
        }
    }

    pub fn dark(scale: f64) -> Self {
        Theme {
            scale,
            background: RGBColor(22, 27, 34),
            text: RGBColor(230, 237, 243),
            muted_text: RGBColor(150, 160, 170),
            grid: RGBColor(48, 54, 61),
            accent: PALETTE[4],
            warning: PALETTE[1],
            heat_low: RGBColor(30, 40, 52),
            heat_high: RGBColor(86, 180, 233),
        }
    }

    /// Converts CSS pixels to device pixels.
    pub fn px(&self, css_pixels: f64) -> u32 {
        (css_pixels * self.scale).round().max(1.0) as u32
    }

    /// The font for axis labels and cell text, `css_size` in CSS pixels.
    pub fn font(&self, css_size: f64) -> (&'static str, f64) {
        ("sans-serif", css_size * self.scale)
    }

    /// Interpolates the heatmap colour for a fraction in `[0, 1]`.
    pub fn heat(&self, fraction: f64) -> RGBColor {
        let t = fraction.clamp(0.0, 1.0);
        let mix = |low: u8, high: u8| (low as f64 + (high as f64 - low as f64) * t).round() as u8;
        RGBColor(
            mix(self.heat_low.0, self.heat_high.0),
            mix(self.heat_low.1, self.heat_high.1),
            mix(self.heat_low.2, self.heat_high.2),
        )
    }

    /// Picks the text colour with the higher WCAG contrast ratio against `fill`.
    pub fn text_on(&self, fill: RGBColor) -> RGBColor {
        const DARK: RGBColor = RGBColor(20, 24, 28);
        const LIGHT: RGBColor = RGBColor(250, 250, 250);
        let background = relative_luminance(fill);
        let contrast = |text: RGBColor| {
            let text = relative_luminance(text);
            (text.max(background) + 0.05) / (text.min(background) + 0.05)
        };
        if contrast(DARK) >= contrast(LIGHT) {
            DARK
        } else {
            LIGHT
        }
    }
}

/// Relative luminance of an sRGB colour as WCAG 2 defines it, in 0..1.
fn relative_luminance(colour: RGBColor) -> f64 {
    let linear = |channel: u8| {
        let value = f64::from(channel) / 255.0;
        if value <= 0.04045 {
            value / 12.92
        } else {
            ((value + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(colour.0) + 0.7152 * linear(colour.1) + 0.0722 * linear(colour.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_text_keeps_contrast() {
        let theme = Theme::dark(1.0);
        assert_eq!(theme.text_on(theme.heat_high), RGBColor(20, 24, 28), "sky blue takes dark text");
        assert_eq!(theme.text_on(RGBColor(8, 64, 129)), RGBColor(250, 250, 250), "navy takes light text");
    }
}

fn main() {
    console_error_panic_hook::set_once();
    headlights::ui::offline::register_service_worker();
    leptos::mount::mount_to_body(headlights::App);
}

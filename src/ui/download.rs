//! Saving text the page made (CSV exports) as a file, without any network request.

use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// Offers `text` to the user as a download named `file_name`.
pub fn download_text(file_name: &str, mime_type: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&text.into());
    let options = BlobPropertyBag::new();
    options.set_type(mime_type);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|_| "the file could not be made".to_string())?;
    let url = Url::create_object_url_with_blob(&blob).map_err(|_| "the file could not be made".to_string())?;

    download_url(file_name, &url)?;
    Url::revoke_object_url(&url).map_err(|_| "the download link could not be released".to_string())
}

/// Offers the resource at `url` (a `blob:` or `data:` URL made by the page) as a download.
pub fn download_url(file_name: &str, url: &str) -> Result<(), String> {
    let document = leptos::prelude::document();
    let anchor: HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| "the download could not start".to_string())?
        .unchecked_into();
    anchor.set_href(url);
    anchor.set_download(file_name);
    anchor.click();
    Ok(())
}

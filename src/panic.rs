//! Turning a caught panic into a message: the engine panics on some damaged files, and a
//! document parser may panic on a hostile one; each is reported as an error, on one line.

/// The message a panic carried, for an error that replaces it.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    let message = panic
        .downcast_ref::<&str>()
        .map(|text| text.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "the engine failed reading its files".to_string());
    // One line: an engine's panic message may span several.
    message
        .lines()
        .next()
        .unwrap_or_default()
        .trim()
        .to_string()
}

//! The error for a value that breaks a rule: which field, and why, in words a
//! person can act on.

/// A field that failed validation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct Invalid {
    /// The name of the offending field, as the API and forms call it.
    pub field: String,
    /// What is wrong and how to put it right.
    pub message: String,
}

impl Invalid {
    /// A new validation error for `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Trims `value` and checks it is non-empty and at most `max` characters.
pub fn required_text(field: &str, value: &str, max: usize) -> Result<String, Invalid> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Invalid::new(field, "is required"));
    }
    bounded_text(field, value, max)
}

/// Trims `value` and checks it is at most `max` characters (empty allowed).
pub fn bounded_text(field: &str, value: &str, max: usize) -> Result<String, Invalid> {
    let value = value.trim();
    let len = value.chars().count();
    if len > max {
        return Err(Invalid::new(
            field,
            format!("is {len} characters long; at most {max} are allowed"),
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(Invalid::new(field, "contains control characters"));
    }
    Ok(value.to_owned())
}

//! The problems found in a submission, each tied to its field.
use serde::{Deserialize, Serialize};

/// One problem with one field. `field` is the id of the input it belongs to, so the error
/// summary can link straight to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError { field: field.into(), message: message.into() });
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }

    /// Every message, in order, as one sentence-per-problem text.
    pub fn summary(&self) -> String {
        self.0.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join(". ")
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

//! Pulse surveys: a steward asks how useful the community has been; members
//! answer 1 to 5, anonymously, with an optional comment. Results are shown
//! only from [`MIN_ANSWERS_SHOWN`] answers up, so no answer can be traced to
//! a person by elimination.

use crate::invalid::{Invalid, bounded_text, required_text};

/// The question a pulse asks unless the steward words it otherwise.
pub const DEFAULT_QUESTION: &str = "How useful was this community to you in the last month?";
/// Fewest answers before any result is shown.
pub const MIN_ANSWERS_SHOWN: i64 = 5;
/// Longest comment accepted.
pub const MAX_COMMENT: usize = 1000;

/// Checks a pulse question (empty means the default).
pub fn question(value: &str) -> Result<String, Invalid> {
    if value.trim().is_empty() {
        return Ok(DEFAULT_QUESTION.to_owned());
    }
    required_text("question", value, 300)
}

/// Checks an answer: a whole number from 1 to 5.
pub fn answer(value: i64) -> Result<i64, Invalid> {
    if (1..=5).contains(&value) {
        Ok(value)
    } else {
        Err(Invalid::new(
            "value",
            format!("{value} is not an answer from 1 (not useful) to 5 (very useful)"),
        ))
    }
}

/// Checks an optional comment.
pub fn comment(value: &str) -> Result<Option<String>, Invalid> {
    let text = bounded_text("comment", value, MAX_COMMENT)?;
    Ok((!text.is_empty()).then_some(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_run_from_one_to_five() {
        assert_eq!(answer(0).unwrap_err().field, "value");
        assert!(answer(1).is_ok() && answer(5).is_ok());
        assert_eq!(answer(6).unwrap_err().field, "value");
    }

    #[test]
    fn empty_question_is_the_default_and_comments_are_optional() {
        assert_eq!(question("  ").unwrap(), DEFAULT_QUESTION);
        assert_eq!(comment(" ").unwrap(), None);
        assert_eq!(
            comment(&"x".repeat(MAX_COMMENT + 1)).unwrap_err().field,
            "comment"
        );
    }
}

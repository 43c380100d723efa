//! The rules for free text users send (nicknames, metadata keys and values, names): no U+0000, which PostgreSQL
//! cannot store, so both databases refuse it the same way, with 1002 naming the field; and blank means not given.

use crate::{ServiceError, ServiceResult};

/// `Rejected` naming `field` when `text` holds a NUL character.
pub(crate) fn refuse_nul(field: &str, text: &str) -> ServiceResult<()> {
    if text.contains('\0') {
        return Err(ServiceError::Rejected(format!(
            "`{field}` contains a NUL character"
        )));
    }
    Ok(())
}

/// A text field as given: trimmed, and absent when blank.
pub(crate) fn given(text: Option<String>) -> Option<String> {
    text.and_then(|text| given_ref(Some(&text)).map(str::to_owned))
}

/// [`given`] of borrowed text.
pub(crate) fn given_ref(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::refuse_nul;

    #[test]
    fn a_nul_anywhere_is_refused_naming_the_field() {
        assert!(refuse_nul("nickname", "Ann").is_ok());
        let refused = refuse_nul("nickname", "A\0nn").expect_err("refused");
        assert_eq!(
            refused.detail().as_deref(),
            Some("`nickname` contains a NUL character")
        );
    }
}

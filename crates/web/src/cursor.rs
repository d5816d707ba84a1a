//! Opaque pagination cursors: the position after the last item of a page,
//! encoded so clients treat it as a token rather than something to build.

use axum::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::WebError;

/// Encodes a position of any shape.
fn encode_any(position: &impl serde::Serialize) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(position).unwrap_or_default())
}

/// Decodes a position of the shape `T`, refusing anything this server did not give out.
fn decode_any<T: serde::de::DeserializeOwned>(cursor: &str) -> Result<T, WebError> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(|| WebError::BadRequest {
            status: StatusCode::BAD_REQUEST,
            message: "cursor: not a cursor this server gave out; start again without it".into(),
        })
}

/// Encodes a directory position (display name, id).
pub fn encode(position: &(String, i64)) -> String {
    encode_any(position)
}

/// Decodes a cursor given by a client.
pub fn decode(cursor: &str) -> Result<(String, i64), WebError> {
    decode_any(cursor)
}

/// Encodes a position of two numbers (an instant and an id, or an offset).
pub fn encode_numbers(position: (i64, i64)) -> String {
    encode_any(&position)
}

/// Decodes a cursor made by [`encode_numbers`].
pub fn decode_numbers(cursor: &str) -> Result<(i64, i64), WebError> {
    decode_any(cursor)
}

#[cfg(test)]
mod tests {
    #[test]
    fn round_trip_and_garbage() {
        let p = ("Ada Lovelace".to_owned(), 42);
        assert_eq!(super::decode(&super::encode(&p)).unwrap(), p);
        assert!(super::decode("not-a-cursor!").is_err());
        assert_eq!(
            super::decode_numbers(&super::encode_numbers((7, 9))).unwrap(),
            (7, 9)
        );
        assert!(super::decode_numbers(&super::encode(&p)).is_err());
    }
}

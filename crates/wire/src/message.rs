//! Messages carried in frames. Each is a JSON object with a `"type"` field.
//!
//! Client → instance: `hello` (once, first), then `request`s, each with a client-chosen `id`.
//! Instance → client: `welcome` (or `error` and close), then one `response` or `error` per
//! request (in any order: match by `id`), `chunk`s before the `response` of a streamed result,
//! and `notification`s for subscriptions at any time.

use mapi::{ErrorCode, MapiError};
use serde::{Deserialize, Serialize};

/// Bumped on any incompatible change; the handshake refuses a mismatch.
pub const PROTOCOL_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hello {
    pub protocol_version: u32,
    /// The client's Outpost version (informational).
    pub client_version: String,
    pub pid: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Welcome {
    pub protocol_version: u32,
    pub server_version: String,
    /// Process ID of the instance.
    pub pid: u32,
}

/// A MAPI error as it crosses the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The HRESULT, e.g. 2147746063 (0x8004010F).
    pub code: u32,
    /// Its name, e.g. `MAPI_E_NOT_FOUND`.
    pub name: String,
    pub message: String,
}

impl From<&MapiError> for ErrorBody {
    fn from(err: &MapiError) -> ErrorBody {
        ErrorBody { code: err.code.value(), name: err.code.name(), message: err.message.clone() }
    }
}

impl From<ErrorBody> for MapiError {
    fn from(body: ErrorBody) -> MapiError {
        MapiError::new(ErrorCode::from_value(body.code), body.message)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    pub subscription: u64,
    /// `new_mail`, `item_add`, `item_change`, `item_remove`, `store_add`, `store_remove`,
    /// `advanced_search_complete`.
    pub event: String,
    #[serde(default)]
    pub data: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    Hello(Hello),
    Request {
        id: u64,
        method: String,
        #[serde(default)]
        params: serde_json::Value,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    Welcome(Welcome),
    Response {
        id: u64,
        result: serde_json::Value,
    },
    /// `id` is absent for errors not tied to a request (bad handshake, unparsable frame).
    Error {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<u64>,
        error: ErrorBody,
    },
    /// Part of a streamed result; the final `response` follows.
    Chunk {
        id: u64,
        data: serde_json::Value,
    },
    Notification(Notification),
}

/// Serialises a message to a frame payload.
pub fn encode<T: Serialize>(message: &T) -> Vec<u8> {
    // Serialising these types cannot fail: they hold only strings, numbers and JSON values.
    serde_json::to_vec(message).unwrap_or_default()
}

pub fn decode_client(payload: &[u8]) -> Result<ClientMessage, serde_json::Error> {
    serde_json::from_slice(payload)
}

pub fn decode_server(payload: &[u8]) -> Result<ServerMessage, serde_json::Error> {
    serde_json::from_slice(payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_shape_is_what_docs_protocol_md_shows() {
        let request =
            ClientMessage::Request { id: 7, method: "ping".into(), params: serde_json::json!({}) };
        let json: serde_json::Value = serde_json::from_slice(&encode(&request)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"type": "request", "id": 7, "method": "ping", "params": {}})
        );
        assert_eq!(decode_client(&encode(&request)).unwrap(), request);
    }

    #[test]
    fn errors_carry_code_and_name() {
        let message = ServerMessage::Error {
            id: Some(3),
            error: ErrorBody::from(&MapiError::not_found("no such item")),
        };
        let json: serde_json::Value = serde_json::from_slice(&encode(&message)).unwrap();
        assert_eq!(json["error"]["code"], 0x8004_010F_u32);
        assert_eq!(json["error"]["name"], "MAPI_E_NOT_FOUND");
        let ServerMessage::Error { error, .. } = decode_server(&encode(&message)).unwrap() else {
            panic!("not an error")
        };
        assert_eq!(MapiError::from(error).code, ErrorCode::NotFound);
    }

    #[test]
    fn request_without_params_decodes() {
        let message = decode_client(br#"{"type":"request","id":1,"method":"status"}"#).unwrap();
        assert_eq!(
            message,
            ClientMessage::Request {
                id: 1,
                method: "status".into(),
                params: serde_json::Value::Null
            }
        );
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(decode_client(b"\xFF\xFE not json").is_err());
        assert!(decode_server(br#"{"type":"welcome"}"#).is_err());
    }
}

/// Results whose JSON text is longer than this travel as `chunk` frames (pieces of the text)
/// followed by a `response` with a null result, so no frame comes near `MAX_FRAME_LEN`.
pub const CHUNK_LEN: usize = 1024 * 1024;

/// The frames that answer request `id` with `result`: one `response`, or `chunk`s of the
/// result's JSON text and then a `response` whose result is null.
pub fn response_frames(id: u64, result: serde_json::Value) -> Vec<ServerMessage> {
    let text = result.to_string();
    if text.len() <= CHUNK_LEN {
        return vec![ServerMessage::Response { id, result }];
    }
    let mut frames = Vec::with_capacity(text.len() / CHUNK_LEN + 2);
    let mut rest = text.as_str();
    while !rest.is_empty() {
        let mut end = rest.len().min(CHUNK_LEN);
        // Pieces are strings: cut on a character boundary.
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        let (piece, tail) = rest.split_at(end);
        frames.push(ServerMessage::Chunk { id, data: serde_json::Value::String(piece.to_owned()) });
        rest = tail;
    }
    frames.push(ServerMessage::Response { id, result: serde_json::Value::Null });
    frames
}

/// The result carried by `chunk` frames: their text pieces joined and parsed.
pub fn join_chunks(chunks: &[serde_json::Value]) -> Result<serde_json::Value, serde_json::Error> {
    let mut text = String::new();
    for chunk in chunks {
        match chunk {
            serde_json::Value::String(piece) => text.push_str(piece),
            other => text.push_str(&other.to_string()),
        }
    }
    serde_json::from_str(&text)
}

#[cfg(test)]
mod chunk_tests {
    use super::*;

    #[test]
    fn small_results_are_one_response() {
        let frames = response_frames(4, serde_json::json!({"a": 1}));
        assert_eq!(
            frames,
            vec![ServerMessage::Response { id: 4, result: serde_json::json!({"a": 1}) }]
        );
    }

    #[test]
    fn large_results_are_chunked_on_character_boundaries_and_rejoin_exactly() {
        // Multi-byte characters straddle the chunk boundaries.
        let output: String = "héllo wörld €\n".repeat(300_000);
        let result = serde_json::json!({ "output": output, "error": null });
        let frames = response_frames(9, result.clone());
        assert!(frames.len() > 3, "{} frames", frames.len());
        let mut chunks = Vec::new();
        for frame in &frames[..frames.len() - 1] {
            let ServerMessage::Chunk { id: 9, data } = frame else {
                panic!("not a chunk: {frame:?}")
            };
            assert!(encode(frame).len() < crate::MAX_FRAME_LEN as usize);
            chunks.push(data.clone());
        }
        assert_eq!(
            frames.last(),
            Some(&ServerMessage::Response { id: 9, result: serde_json::Value::Null })
        );
        assert_eq!(join_chunks(&chunks).unwrap(), result);
    }
}

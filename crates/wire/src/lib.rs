//! The protocol between Outpost clients and the per-user instance (`docs/PROTOCOL.md`).
//!
//! Every frame is a 4-byte little-endian length followed by that many bytes of UTF-8 JSON.
//! JSON keeps the protocol readable and lets any language speak it with its standard library
//! (see `clients/python/`). The first exchange is a handshake that fixes the protocol version.

pub mod frame;
pub mod message;

pub use frame::{FrameError, MAX_FRAME_LEN, read_frame, write_frame};
pub use message::{
    CHUNK_LEN, ClientMessage, ErrorBody, Hello, Notification, PROTOCOL_VERSION, ServerMessage,
    Welcome, decode_client, decode_server, encode, join_chunks, response_frames,
};

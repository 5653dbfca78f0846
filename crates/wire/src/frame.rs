//! Length-delimited frames over any byte stream.

use std::io::{self, Read, Write};

/// Largest frame either side accepts: big results are streamed in several frames, so a frame
/// larger than this is a broken or hostile peer, and is refused before anything is allocated.
pub const MAX_FRAME_LEN: u32 = 16 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    #[error("frame of {length} bytes exceeds the limit of {limit} bytes")]
    TooLarge { length: u32, limit: u32 },
    #[error("connection closed in the middle of a frame ({read} of {expected} bytes read)")]
    Truncated { read: usize, expected: usize },
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Writes one frame.
pub fn write_frame(out: &mut impl Write, payload: &[u8]) -> Result<(), FrameError> {
    let length = u32::try_from(payload.len())
        .ok()
        .filter(|&n| n <= MAX_FRAME_LEN)
        .ok_or(FrameError::TooLarge { length: u32::MAX, limit: MAX_FRAME_LEN })?;
    let mut header = [0u8; 4];
    header.copy_from_slice(&length.to_le_bytes());
    out.write_all(&header)?;
    out.write_all(payload)?;
    Ok(())
}

/// Reads one frame; `Ok(None)` when the peer closed the connection between frames.
pub fn read_frame(input: &mut impl Read, limit: u32) -> Result<Option<Vec<u8>>, FrameError> {
    let mut header = [0u8; 4];
    let mut filled = 0;
    while filled < 4 {
        match input.read(&mut header[filled..]) {
            Ok(0) if filled == 0 => return Ok(None),
            Ok(0) => return Err(FrameError::Truncated { read: filled, expected: 4 }),
            Ok(n) => filled += n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err.into()),
        }
    }
    let length = u32::from_le_bytes(header);
    if length > limit {
        return Err(FrameError::TooLarge { length, limit });
    }
    let expected = length as usize;
    // The buffer grows with the bytes that arrive (read_to_end doubles it), not to the
    // announced length: a peer that announces 16 MiB and sends nothing costs nothing.
    let mut payload = Vec::new();
    input.take(u64::from(length)).read_to_end(&mut payload)?;
    if payload.len() < expected {
        return Err(FrameError::Truncated { read: payload.len(), expected });
    }
    Ok(Some(payload))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn clean_close_between_frames_is_none() {
        let mut empty: &[u8] = &[];
        assert!(read_frame(&mut empty, MAX_FRAME_LEN).unwrap().is_none());
    }

    #[test]
    fn oversized_length_is_refused_before_allocating() {
        let mut input: &[u8] = &[0xFF, 0xFF, 0xFF, 0x7F];
        let err = read_frame(&mut input, MAX_FRAME_LEN).unwrap_err();
        assert!(matches!(err, FrameError::TooLarge { length: 0x7FFF_FFFF, .. }), "{err}");
    }

    #[test]
    fn truncated_payload_says_how_much_arrived() {
        let mut input: &[u8] = &[5, 0, 0, 0, b'a', b'b'];
        let err = read_frame(&mut input, MAX_FRAME_LEN).unwrap_err();
        assert!(matches!(err, FrameError::Truncated { read: 2, expected: 5 }), "{err}");
        let mut half_header: &[u8] = &[5, 0];
        assert!(matches!(
            read_frame(&mut half_header, MAX_FRAME_LEN),
            Err(FrameError::Truncated { read: 2, expected: 4 })
        ));
    }

    /// Hands out a few bytes, and records the largest buffer it was asked to fill.
    struct Trickle<'a> {
        bytes: &'a [u8],
        largest_request: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.largest_request = self.largest_request.max(buf.len());
            let n = buf.len().min(self.bytes.len()).min(3);
            buf[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    #[test]
    fn an_announced_length_is_not_allocated_before_the_bytes_come() {
        let mut bytes = MAX_FRAME_LEN.to_le_bytes().to_vec();
        bytes.extend_from_slice(b"only ten b");
        let mut input = Trickle { bytes: &bytes, largest_request: 0 };
        let err = read_frame(&mut input, MAX_FRAME_LEN).unwrap_err();
        assert!(matches!(err, FrameError::Truncated { read: 10, .. }), "{err}");
        assert!(input.largest_request < 1024 * 1024, "asked for {}", input.largest_request);
    }

    proptest! {
        #[test]
        fn frames_round_trip(payloads in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..300), 0..8)) {
            let mut buffer = Vec::new();
            for payload in &payloads {
                write_frame(&mut buffer, payload).unwrap();
            }
            let mut input = buffer.as_slice();
            for payload in &payloads {
                let frame = read_frame(&mut input, MAX_FRAME_LEN).unwrap();
                prop_assert_eq!(frame.as_ref(), Some(payload));
            }
            prop_assert!(read_frame(&mut input, MAX_FRAME_LEN).unwrap().is_none());
        }

        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let mut input = bytes.as_slice();
            while let Ok(Some(_)) = read_frame(&mut input, 1024) {}
        }
    }
}

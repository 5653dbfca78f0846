//! The I/O seam: positional reads, so several threads read one file at once without a shared
//! cursor or a lock. Nothing here ever loads the whole file.

use crate::error::{PstError, PstResult};
use std::fmt::Debug;
use std::sync::Arc;

/// A byte source that can be read at any offset from any thread.
pub trait ReadAt: Send + Sync + Debug {
    /// Fills `buf` from `offset`; a short read is an error.
    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> std::io::Result<()>;
    /// Size of the source in bytes.
    fn size(&self) -> std::io::Result<u64>;
}

impl ReadAt for std::fs::File {
    #[cfg(unix)]
    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
        std::os::unix::fs::FileExt::read_exact_at(self, buf, offset)
    }

    #[cfg(windows)]
    fn read_exact_at(&self, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
        use std::os::windows::fs::FileExt;
        while !buf.is_empty() {
            match self.seek_read(buf, offset) {
                Ok(0) => return Err(std::io::ErrorKind::UnexpectedEof.into()),
                Ok(n) => {
                    buf = &mut buf[n..];
                    offset += n as u64;
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    fn size(&self) -> std::io::Result<u64> {
        Ok(self.metadata()?.len())
    }
}

/// In-memory sources, for tests and for callers that already hold the bytes.
impl ReadAt for Vec<u8> {
    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
        read_slice(self, buf, offset)
    }
    fn size(&self) -> std::io::Result<u64> {
        Ok(self.len() as u64)
    }
}

impl ReadAt for Arc<[u8]> {
    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
        read_slice(self, buf, offset)
    }
    fn size(&self) -> std::io::Result<u64> {
        Ok(self.len() as u64)
    }
}

fn read_slice(data: &[u8], buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    let start = usize::try_from(offset).map_err(|_| std::io::ErrorKind::UnexpectedEof)?;
    let end = start.checked_add(buf.len()).ok_or(std::io::ErrorKind::UnexpectedEof)?;
    let src = data.get(start..end).ok_or(std::io::ErrorKind::UnexpectedEof)?;
    buf.copy_from_slice(src);
    Ok(())
}

/// A source together with its size, checked once: every read is bounds-checked against the
/// size before anything is allocated.
#[derive(Debug)]
pub(crate) struct Source {
    inner: Box<dyn ReadAt>,
    size: u64,
    /// The size the header says the file has (ibFileEof), once the header is read: a read
    /// past the end then says whether the file was cut short.
    header_eof: Option<u64>,
}

impl Source {
    pub(crate) fn new(inner: Box<dyn ReadAt>) -> PstResult<Source> {
        let size = inner.size().map_err(|source| PstError::Io { offset: 0, len: 0, source })?;
        Ok(Source { inner, size, header_eof: None })
    }

    pub(crate) fn size(&self) -> u64 {
        self.size
    }

    pub(crate) fn set_header_eof(&mut self, eof: u64) {
        self.header_eof = Some(eof);
    }

    /// Reads `len` bytes at `offset`; a range past the end is an error, not an allocation.
    pub(crate) fn read(&self, what: &'static str, offset: u64, len: usize) -> PstResult<Vec<u8>> {
        let end = offset.checked_add(len as u64);
        if end.is_none_or(|end| end > self.size) {
            return Err(PstError::Truncated {
                what,
                offset,
                len: len as u64,
                file_size: self.size,
                header_eof: self.header_eof,
            });
        }
        let mut buf = vec![0u8; len];
        self.inner.read_exact_at(&mut buf, offset).map_err(|source| PstError::Io {
            offset,
            len,
            source,
        })?;
        Ok(buf)
    }
}

/// Little-endian field readers over a byte slice; out-of-range reads give 0 only where the
/// caller has already checked the length, so these take pre-validated offsets.
pub(crate) fn u16_at(b: &[u8], off: usize) -> u16 {
    b.get(off..off + 2).map_or(0, |s| u16::from_le_bytes([s[0], s[1]]))
}

pub(crate) fn u32_at(b: &[u8], off: usize) -> u32 {
    b.get(off..off + 4).map_or(0, |s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

pub(crate) fn u64_at(b: &[u8], off: usize) -> u64 {
    b.get(off..off + 8)
        .map_or(0, |s| u64::from_le_bytes([s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]]))
}

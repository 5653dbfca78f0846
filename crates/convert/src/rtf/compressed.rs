//! MS-OXRTFCP: the LZ77-style compression of `PidTagRtfCompressed`.
//!
//! The stream is a 16-byte header (COMPSIZE, RAWSIZE, COMPTYPE, CRC; 2.1.3.1.1) and CONTENTS:
//! runs of a control byte whose bits, least significant first, say whether each of the next
//! eight tokens is a literal byte (0) or a big-endian 16-bit dictionary reference (1: a 12-bit
//! offset into a 4096-byte circular dictionary and a 4-bit length minus 2). A reference whose
//! offset equals the dictionary's write position ends the stream. The dictionary starts
//! preloaded with [`PRELOAD`] and its write position just after it (2.1.2.1).

use crate::error::{ConvertError, ConvertResult};

const HEADER_LEN: usize = 16;
/// COMPTYPE "LZFu": compressed contents, CRC over them.
const LZFU: u32 = 0x7546_5A4C;
/// COMPTYPE "MELA": the contents are the RTF itself, CRC zero.
const MELA: u32 = 0x414C_454D;
const DICT_SIZE: usize = 4096;
const MIN_MATCH: usize = 2;
const MAX_MATCH: usize = 17;
/// A run is a control byte and at most eight 2-byte references, each producing at most
/// [`MAX_MATCH`] bytes: no run turns 17 input bytes into more than 136.
const RUN_MAX_IN: u64 = 17;
const RUN_MAX_OUT: u64 = 8 * MAX_MATCH as u64;

/// The dictionary's initial contents (MS-OXRTFCP 2.1.2.1), 207 bytes.
const PRELOAD: &[u8; 207] = b"{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx";

/// The CRC of MS-OXRTFCP 3.1.3.2: the reflected CRC-32 polynomial (0xEDB88320) with an initial
/// value of 0 and no final inversion, over CONTENTS.
pub fn crc32(data: &[u8]) -> u32 {
    data.iter()
        .fold(0u32, |crc, &byte| CRC_TABLE[((crc ^ u32::from(byte)) & 0xFF) as usize] ^ (crc >> 8))
}

const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut value = i as u32;
        let mut bit = 0;
        while bit < 8 {
            value = if value & 1 != 0 { 0xEDB8_8320 ^ (value >> 1) } else { value >> 1 };
            bit += 1;
        }
        table[i] = value;
        i += 1;
    }
    table
};

fn u32_at(data: &[u8], offset: usize) -> u32 {
    let mut bytes = [0u8; 4];
    bytes.copy_from_slice(&data[offset..offset + 4]);
    u32::from_le_bytes(bytes)
}

/// The most bytes `contents_len` bytes of LZFu data can decompress to.
fn max_expansion(contents_len: usize) -> u64 {
    (contents_len as u64).div_ceil(RUN_MAX_IN) * RUN_MAX_OUT
}

/// Decompresses `PidTagRtfCompressed` (MS-OXRTFCP 3.1.3.1) into the RTF bytes.
///
/// RAWSIZE is checked against what the data can produce before anything is reserved, so a
/// hostile header cannot make this allocate more than about eight times the input. Bytes past
/// COMPSIZE (padding some writers leave) are ignored, as is the CRC of MELA data, which the
/// spec only asks writers to zero; MELA data is cut at RAWSIZE or at its end.
pub fn decompress(data: &[u8]) -> ConvertResult<Vec<u8>> {
    if data.len() < HEADER_LEN {
        return Err(ConvertError::Truncated {
            offset: data.len(),
            expected: "a 16-byte header (COMPSIZE, RAWSIZE, COMPTYPE, CRC)",
        });
    }
    let comp_size = u32_at(data, 0);
    let raw_size = u32_at(data, 4);
    let comp_type = u32_at(data, 8);
    let stored_crc = u32_at(data, 12);
    if comp_size < 12 {
        return Err(ConvertError::CompressedSizeTooSmall { comp_size });
    }
    // COMPSIZE counts CONTENTS plus the 12 header bytes after COMPSIZE itself (2.1.3.1.1).
    let needed = u64::from(comp_size) + 4;
    if needed > data.len() as u64 {
        return Err(ConvertError::CompressedSizeBeyondData {
            comp_size,
            needed,
            available: data.len(),
        });
    }
    let contents = &data[HEADER_LEN..needed as usize];
    match comp_type {
        MELA => {
            // Some writers (Aspose's, in the corpus) put COMPSIZE into RAWSIZE here, 12 more
            // than the contents hold; the RTF is then everything there is, as the other
            // implementations read it. Nothing is reserved from RAWSIZE.
            let len = contents.len().min(raw_size as usize);
            Ok(contents[..len].to_vec())
        }
        LZFU => {
            let max = max_expansion(contents.len());
            if u64::from(raw_size) > max {
                return Err(ConvertError::RawSizeBeyondData {
                    raw_size,
                    max,
                    contents: contents.len(),
                    kind: "LZFu",
                });
            }
            let computed = crc32(contents);
            if computed != stored_crc {
                return Err(ConvertError::CrcMismatch { stored: stored_crc, computed });
            }
            decompress_lzfu(contents, raw_size)
        }
        found => Err(ConvertError::UnknownCompression { found }),
    }
}

fn decompress_lzfu(contents: &[u8], raw_size: u32) -> ConvertResult<Vec<u8>> {
    // Bytes never written read as spaces, as in the other implementation the tests compare
    // with; only a crafted stream refers to them.
    let mut dict = [b' '; DICT_SIZE];
    dict[..PRELOAD.len()].copy_from_slice(PRELOAD);
    let mut write = PRELOAD.len();
    // Checked against the data above: at most ~8 × the input.
    let mut out = Vec::with_capacity(raw_size as usize);
    let mut pos = 0;
    let offset_of = |pos: usize| HEADER_LEN + pos;
    while pos < contents.len() {
        let control = contents[pos];
        pos += 1;
        for bit in 0..8 {
            if control & (1 << bit) == 0 {
                let Some(&byte) = contents.get(pos) else {
                    return Err(ConvertError::MissingEndMarker {
                        offset: offset_of(pos),
                        produced: out.len(),
                        raw_size,
                    });
                };
                pos += 1;
                out.push(byte);
                dict[write] = byte;
                write = (write + 1) % DICT_SIZE;
            } else {
                let Some(pair) = contents.get(pos..pos + 2) else {
                    return Err(ConvertError::Truncated {
                        offset: offset_of(pos),
                        expected: "a 2-byte dictionary reference",
                    });
                };
                let token = u16::from_be_bytes([pair[0], pair[1]]);
                let reference_offset = offset_of(pos);
                pos += 2;
                let mut read = usize::from(token >> 4);
                let len = usize::from(token & 0xF) + MIN_MATCH;
                if read == write {
                    // The end marker (3.1.3.1 step 6).
                    if out.len() != raw_size as usize {
                        return Err(ConvertError::RawSizeMismatch {
                            offset: reference_offset,
                            produced: out.len(),
                            raw_size,
                        });
                    }
                    return Ok(out);
                }
                // Byte by byte: a reference may read what it is writing (MS-OXRTFCP 4.1.2).
                for _ in 0..len {
                    let byte = dict[read];
                    out.push(byte);
                    dict[write] = byte;
                    read = (read + 1) % DICT_SIZE;
                    write = (write + 1) % DICT_SIZE;
                }
            }
        }
    }
    Err(ConvertError::MissingEndMarker { offset: offset_of(pos), produced: out.len(), raw_size })
}

/// Compresses RTF into `PidTagRtfCompressed` form (LZFu, MS-OXRTFCP 3.1.3.2): the longest
/// dictionary match at each position (greedy), found through hash chains over the 4096-byte
/// window rather than the spec's linear scan, with the same output format.
pub fn compress(rtf: &[u8]) -> ConvertResult<Vec<u8>> {
    let raw_size = u32::try_from(rtf.len())
        .map_err(|_| ConvertError::TooLargeToCompress { len: rtf.len() })?;
    let mut encoder = Encoder::new(rtf);
    let mut out = vec![0u8; HEADER_LEN];
    out.reserve(rtf.len() / 2 + 16);
    let mut at = 0;
    loop {
        let control_at = out.len();
        out.push(0);
        let mut control = 0u8;
        for bit in 0..8 {
            if at >= rtf.len() {
                // The end marker: a reference to the write position.
                let marker = ((encoder.stream_pos(at) % DICT_SIZE) as u16) << 4;
                out.extend_from_slice(&marker.to_be_bytes());
                control |= 1 << bit;
                out[control_at] = control;
                return finish(out, raw_size);
            }
            match encoder.longest_match(at) {
                Some((source, len)) => {
                    let token = (((source % DICT_SIZE) as u16) << 4) | (len - MIN_MATCH) as u16;
                    out.extend_from_slice(&token.to_be_bytes());
                    control |= 1 << bit;
                    for i in at..at + len {
                        encoder.insert(i);
                    }
                    at += len;
                }
                None => {
                    out.push(rtf[at]);
                    encoder.insert(at);
                    at += 1;
                }
            }
        }
        out[control_at] = control;
    }
}

fn finish(mut out: Vec<u8>, raw_size: u32) -> ConvertResult<Vec<u8>> {
    let contents_len = out.len() - HEADER_LEN;
    let comp_size = u32::try_from(contents_len + 12)
        .map_err(|_| ConvertError::TooLargeToCompress { len: raw_size as usize })?;
    let crc = crc32(&out[HEADER_LEN..]);
    out[0..4].copy_from_slice(&comp_size.to_le_bytes());
    out[4..8].copy_from_slice(&raw_size.to_le_bytes());
    out[8..12].copy_from_slice(&LZFU.to_le_bytes());
    out[12..16].copy_from_slice(&crc.to_le_bytes());
    Ok(out)
}

/// Match finding over the stream PRELOAD ++ input, positions counted in that stream.
struct Encoder<'a> {
    input: &'a [u8],
    /// The latest stream position (+1; 0 = none) starting with each 2-byte key.
    head: Vec<u32>,
    /// For each position modulo the window, the previous position (+1) with the same key.
    prev: Vec<u32>,
}

/// How many earlier positions with the same two leading bytes are tried before settling.
const MAX_CHAIN: usize = 512;

impl<'a> Encoder<'a> {
    fn new(input: &'a [u8]) -> Encoder<'a> {
        let mut encoder = Encoder { input, head: vec![0; 1 << 16], prev: vec![0; DICT_SIZE] };
        for pos in 0..PRELOAD.len() {
            encoder.insert_stream(pos);
        }
        encoder
    }

    fn stream_pos(&self, input_pos: usize) -> usize {
        input_pos + PRELOAD.len()
    }

    fn byte(&self, stream_pos: usize) -> Option<u8> {
        if stream_pos < PRELOAD.len() {
            Some(PRELOAD[stream_pos])
        } else {
            self.input.get(stream_pos - PRELOAD.len()).copied()
        }
    }

    fn key(&self, stream_pos: usize) -> Option<usize> {
        Some((usize::from(self.byte(stream_pos)?) << 8) | usize::from(self.byte(stream_pos + 1)?))
    }

    fn insert(&mut self, input_pos: usize) {
        self.insert_stream(self.stream_pos(input_pos));
    }

    fn insert_stream(&mut self, pos: usize) {
        if let Some(key) = self.key(pos) {
            self.prev[pos % DICT_SIZE] = self.head[key];
            self.head[key] = pos as u32 + 1;
        }
    }

    /// The longest earlier match for the input at `input_pos`: (stream position, length).
    /// A source at distance 4096 would sit on the write position, which means "end", so
    /// sources are at most 4095 back; a match may run into the bytes it produces.
    fn longest_match(&self, input_pos: usize) -> Option<(usize, usize)> {
        let cur = self.stream_pos(input_pos);
        let key = self.key(cur)?;
        let limit = (self.input.len() - input_pos).min(MAX_MATCH);
        let mut best: Option<(usize, usize)> = None;
        let mut candidate = self.head[key] as usize;
        let mut tries = 0;
        while candidate != 0 && tries < MAX_CHAIN {
            let source = candidate - 1;
            if cur - source >= DICT_SIZE {
                break;
            }
            let mut len = 0;
            while len < limit && self.byte(source + len) == self.byte(cur + len) {
                len += 1;
            }
            // Ties go to the older source, as the spec's scan from the oldest byte finds.
            if len >= MIN_MATCH && best.is_none_or(|(_, best_len)| len >= best_len) {
                best = Some((source, len));
                if len == limit {
                    break;
                }
            }
            let next = self.prev[source % DICT_SIZE] as usize;
            // Entries older than the window may have been overwritten by newer positions.
            if next == 0 || next > source {
                break;
            }
            candidate = next;
            tries += 1;
        }
        best
    }
}

#[cfg(test)]
mod tests;

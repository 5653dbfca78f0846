//! Reading RTF text out: the HTML or plain text an RTF body encapsulates (MS-OXRTFEX), and a
//! plain-text rendering of ordinary RTF ([MSFT-RTF] destinations, escapes and Unicode).
//!
//! One pass over the bytes with a stack of group states; work is linear in the input, the
//! output is at most a small multiple of it, and nesting deeper than [`MAX_GROUP_DEPTH`] is
//! an error.

use crate::error::{ConvertError, ConvertResult};
use encoding_rs::{Encoding, WINDOWS_1252};

/// Groups nested deeper than this are refused (Word itself nests a few dozen deep).
pub const MAX_GROUP_DEPTH: usize = 256;
/// Control words longer than this are malformed ([MSFT-RTF]: at most 32 letters).
const MAX_WORD_LEN: usize = 32;

/// What an RTF body was made from (MS-OXRTFEX 2.1.3.1: `\fromhtml1` or `\fromtext` in the
/// header, before the first group or text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encapsulation {
    /// `\fromhtml1`: the original HTML is encapsulated.
    Html,
    /// `\fromtext`: the original was plain text.
    Text,
    /// Ordinary RTF.
    None,
}

/// Which kind of body an RTF document encapsulates.
pub fn encapsulation(rtf: &[u8]) -> Encapsulation {
    let mut lexer = Lexer::new(rtf);
    let mut depth = 0;
    while let Some(Ok((_, token))) = lexer.next_token() {
        match token {
            Token::Open if depth == 0 => depth = 1,
            Token::Word { name: b"fromhtml", param } if depth == 1 && param.unwrap_or(1) == 1 => {
                return Encapsulation::Html;
            }
            Token::Word { name: b"fromtext", .. } if depth == 1 => return Encapsulation::Text,
            Token::Word { .. } if depth == 1 => {}
            _ => break,
        }
    }
    Encapsulation::None
}

/// The HTML encapsulated in `\fromhtml1` RTF (MS-OXRTFEX 2.4); `None` when the RTF does not
/// say it encapsulates HTML.
pub fn extract_html(rtf: &[u8]) -> ConvertResult<Option<String>> {
    if encapsulation(rtf) != Encapsulation::Html {
        return Ok(None);
    }
    Reader::new(rtf, Mode::Encapsulated).run().map(Some)
}

/// The plain text encapsulated in `\fromtext` RTF (MS-OXRTFEX 2.4); `None` when the RTF does
/// not say it encapsulates text.
pub fn extract_text(rtf: &[u8]) -> ConvertResult<Option<String>> {
    if encapsulation(rtf) != Encapsulation::Text {
        return Ok(None);
    }
    Reader::new(rtf, Mode::Encapsulated).run().map(Some)
}

/// The text of any RTF as a reader would see it: destinations (`\fonttbl`, `\colortbl`,
/// `\stylesheet`, `\info`, `\pict`, every `\*\…`) skipped, `\par`/`\line` as CRLF (the line
/// break of message bodies), `\tab`, `\'xx` through the font's or document's code page, and
/// `\uN` with its `\ucN` fallback skipped.
pub fn to_plain_text(rtf: &[u8]) -> ConvertResult<String> {
    Reader::new(rtf, Mode::Rendered).run()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    Open,
    Close,
    Word {
        name: &'a [u8],
        param: Option<i32>,
    },
    /// A control symbol: `\` and one non-letter (`\*`, `\~`, `\{` ...).
    Symbol(u8),
    /// `\'xx`.
    Hex(u8),
    Text(u8),
}

struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Lexer<'a> {
    fn new(data: &'a [u8]) -> Lexer<'a> {
        Lexer { data, pos: 0 }
    }

    /// The next token and its offset; raw CR and LF are not text in RTF and are skipped.
    fn next_token(&mut self) -> Option<ConvertResult<(usize, Token<'a>)>> {
        loop {
            let start = self.pos;
            let byte = *self.data.get(self.pos)?;
            self.pos += 1;
            let token = match byte {
                b'{' => Token::Open,
                b'}' => Token::Close,
                b'\r' | b'\n' => continue,
                b'\\' => match self.control(start) {
                    Ok(token) => token,
                    Err(err) => return Some(Err(err)),
                },
                other => Token::Text(other),
            };
            return Some(Ok((start, token)));
        }
    }

    fn control(&mut self, start: usize) -> ConvertResult<Token<'a>> {
        let Some(&first) = self.data.get(self.pos) else {
            return Err(ConvertError::Malformed {
                offset: start,
                expected: "a control word or symbol after '\\'",
            });
        };
        if !first.is_ascii_alphabetic() {
            self.pos += 1;
            if first == b'\'' {
                let hex = self.data.get(self.pos..self.pos + 2).and_then(|h| {
                    let text = std::str::from_utf8(h).ok()?;
                    u8::from_str_radix(text, 16).ok()
                });
                return match hex {
                    Some(value) => {
                        self.pos += 2;
                        Ok(Token::Hex(value))
                    }
                    None => Err(ConvertError::Malformed {
                        offset: start,
                        expected: "two hex digits after \\'",
                    }),
                };
            }
            return Ok(Token::Symbol(first));
        }
        let name_start = self.pos;
        while self.data.get(self.pos).is_some_and(u8::is_ascii_alphabetic) {
            self.pos += 1;
            if self.pos - name_start > MAX_WORD_LEN {
                return Err(ConvertError::Malformed {
                    offset: start,
                    expected: "a control word of at most 32 letters",
                });
            }
        }
        let name = &self.data[name_start..self.pos];
        let negative = self.data.get(self.pos) == Some(&b'-');
        let digits_start = if negative { self.pos + 1 } else { self.pos };
        let mut digits_end = digits_start;
        while self.data.get(digits_end).is_some_and(u8::is_ascii_digit) {
            digits_end += 1;
        }
        let param = if digits_end > digits_start {
            // Saturating: a parameter is a 16- or 32-bit number; longer digit runs are clamped.
            let magnitude = self.data[digits_start..digits_end]
                .iter()
                .fold(0i64, |acc, d| (acc * 10 + i64::from(d - b'0')).min(i64::from(i32::MAX) + 1));
            let value = if negative { -magnitude } else { magnitude };
            self.pos = digits_end;
            Some(value.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32)
        } else {
            None
        };
        if self.data.get(self.pos) == Some(&b' ') {
            self.pos += 1;
        }
        Ok(Token::Word { name, param })
    }

    /// Skips `count` raw bytes (the data of `\binN`), at most what is left.
    fn skip_binary(&mut self, count: usize) {
        self.pos = self.pos.saturating_add(count).min(self.data.len());
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// MS-OXRTFEX de-encapsulation: `\htmltag` groups and the text outside `\htmlrtf` runs.
    Encapsulated,
    /// A plain rendering: every destination skipped, `\htmlrtf` ignored.
    Rendered,
}

#[derive(Debug, Clone, Copy)]
struct GroupState {
    /// Inside a destination whose text is not output.
    skip: bool,
    /// Inside `\*\htmltag` (copied even though it is a `\*` destination).
    html_tag: bool,
    /// `\htmlrtf` on: RTF-only content, not copied when de-encapsulating.
    html_rtf: bool,
    /// `\ucN`: how many fallback characters follow each `\uN`.
    unicode_skip: u32,
    /// The code page of the current font (`\fN` → `\fcharset`), if it has one.
    font_code_page: Option<u16>,
    /// Inside `\fonttbl`: font entries are read here.
    font_table: bool,
}

struct Reader<'a> {
    lexer: Lexer<'a>,
    mode: Mode,
    out: String,
    /// Bytes from text and `\'xx`, decoded in one go when the code page changes or text ends.
    pending: Vec<u8>,
    pending_code_page: u16,
    document_code_page: u16,
    /// Font number → code page, from `\fonttbl`.
    fonts: Vec<(i32, u16)>,
    /// The font entry being read in `\fonttbl`.
    current_font: Option<i32>,
    /// Fallback characters still to skip after a `\uN`.
    fallback_left: u32,
    /// A high surrogate from `\uN` waiting for its low half.
    high_surrogate: Option<u16>,
}

/// [MSFT-RTF] destinations whose text is not document text.
const SKIPPED_DESTINATIONS: &[&[u8]] = &[
    b"fonttbl",
    b"colortbl",
    b"stylesheet",
    b"info",
    b"pict",
    b"header",
    b"footer",
    b"headerl",
    b"headerr",
    b"headerf",
    b"footerl",
    b"footerr",
    b"footerf",
    b"filetbl",
    b"listtable",
    b"listoverridetable",
    b"revtbl",
    b"rsidtbl",
    b"generator",
    b"xmlnstbl",
    b"themedata",
    b"colorschememapping",
    b"latentstyles",
    b"datastore",
    b"object",
    b"objdata",
    b"fldinst",
    b"footnote",
    b"annotation",
    b"bkmkstart",
    b"bkmkend",
    b"field_inst",
    b"author",
    b"operator",
    b"title",
    b"subject",
    b"keywords",
    b"comment",
    b"doccomm",
    b"pgdsctbl",
    b"mhtmltag",
];

/// Windows code page of an `\fcharsetN` ([MSFT-RTF] font table).
fn charset_code_page(charset: i32) -> Option<u16> {
    Some(match charset {
        0 => 1252,
        77 => 10000,
        128 => 932,
        129 => 949,
        134 => 936,
        136 => 950,
        161 => 1253,
        162 => 1254,
        163 => 1258,
        177 => 1255,
        178 => 1256,
        186 => 1257,
        204 => 1251,
        222 => 874,
        238 => 1250,
        _ => return None,
    })
}

fn encoding_for(code_page: u16) -> &'static Encoding {
    codepage::to_encoding(code_page).unwrap_or(WINDOWS_1252)
}

impl<'a> Reader<'a> {
    fn new(rtf: &'a [u8], mode: Mode) -> Reader<'a> {
        Reader {
            lexer: Lexer::new(rtf),
            mode,
            out: String::new(),
            pending: Vec::new(),
            pending_code_page: 1252,
            document_code_page: 1252,
            fonts: Vec::new(),
            current_font: None,
            fallback_left: 0,
            high_surrogate: None,
        }
    }

    fn run(mut self) -> ConvertResult<String> {
        let base = GroupState {
            skip: false,
            html_tag: false,
            html_rtf: false,
            unicode_skip: 1,
            font_code_page: None,
            font_table: false,
        };
        let mut stack: Vec<GroupState> = Vec::new();
        let mut state = base;
        // After `{`: the next token may make this group a destination.
        let mut group_start = false;
        // After `{\*`: the next control word names an optional destination.
        let mut optional_destination = false;
        while let Some(next) = self.lexer.next_token() {
            let (offset, token) = next?;
            let at_group_start = std::mem::take(&mut group_start);
            let optional = std::mem::take(&mut optional_destination);
            match token {
                Token::Open => {
                    if stack.len() >= MAX_GROUP_DEPTH {
                        return Err(ConvertError::GroupTooDeep { offset, limit: MAX_GROUP_DEPTH });
                    }
                    stack.push(state);
                    group_start = true;
                }
                Token::Close => {
                    // Unbalanced closing braces end nothing: stay at the top level.
                    state = stack.pop().unwrap_or(base);
                    self.fallback_left = 0;
                }
                Token::Symbol(b'*') if at_group_start => optional_destination = true,
                Token::Word { name, param } if optional || at_group_start => {
                    let is_destination = optional || SKIPPED_DESTINATIONS.contains(&name);
                    if name == b"htmltag" && optional && self.mode == Mode::Encapsulated {
                        state.html_tag = !state.html_rtf && !state.skip;
                        state.skip = !state.html_tag;
                    } else if is_destination {
                        if name == b"fonttbl" {
                            state.font_table = true;
                        }
                        state.skip = true;
                    } else {
                        self.word(&mut state, name, param);
                    }
                }
                Token::Word { name, param } => self.word(&mut state, name, param),
                Token::Symbol(symbol) => self.symbol(&state, symbol),
                Token::Hex(byte) => {
                    if self.take_fallback() {
                        continue;
                    }
                    self.push_byte(&state, byte);
                }
                Token::Text(byte) => {
                    if state.font_table && byte == b';' {
                        self.current_font = None;
                    }
                    if self.take_fallback() {
                        continue;
                    }
                    self.push_byte(&state, byte);
                }
            }
        }
        self.flush();
        Ok(self.out)
    }

    /// Whether this group's text is output.
    fn copying(&self, state: &GroupState) -> bool {
        if state.html_tag {
            return true;
        }
        if state.skip {
            return false;
        }
        !(self.mode == Mode::Encapsulated && state.html_rtf)
    }

    fn take_fallback(&mut self) -> bool {
        if self.fallback_left > 0 {
            self.fallback_left -= 1;
            true
        } else {
            false
        }
    }

    fn code_page(&self, state: &GroupState) -> u16 {
        // Inside \htmltag the document's code page applies; elsewhere the font's (MS-OXRTFEX).
        if state.html_tag {
            self.document_code_page
        } else {
            state.font_code_page.unwrap_or(self.document_code_page)
        }
    }

    fn push_byte(&mut self, state: &GroupState, byte: u8) {
        if !self.copying(state) {
            return;
        }
        let code_page = self.code_page(state);
        if code_page != self.pending_code_page {
            self.flush();
            self.pending_code_page = code_page;
        }
        self.pending.push(byte);
    }

    fn flush(&mut self) {
        if self.high_surrogate.take().is_some() {
            self.out.push(char::REPLACEMENT_CHARACTER);
        }
        if self.pending.is_empty() {
            return;
        }
        let (text, _, _) = encoding_for(self.pending_code_page).decode(&self.pending);
        self.out.push_str(&text);
        self.pending.clear();
    }

    fn push_str(&mut self, state: &GroupState, text: &str) {
        if self.copying(state) {
            self.flush();
            self.out.push_str(text);
        }
    }

    fn push_unicode(&mut self, state: &GroupState, unit: u16) {
        if !self.copying(state) {
            return;
        }
        let pending_high = self.high_surrogate.take();
        self.flush();
        match (pending_high, unit) {
            (Some(high), 0xDC00..=0xDFFF) => {
                let code =
                    0x10000 + ((u32::from(high) - 0xD800) << 10) + (u32::from(unit) - 0xDC00);
                self.out.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
            }
            (previous, 0xD800..=0xDBFF) => {
                if previous.is_some() {
                    self.out.push(char::REPLACEMENT_CHARACTER);
                }
                self.high_surrogate = Some(unit);
            }
            (previous, unit) => {
                if previous.is_some() {
                    self.out.push(char::REPLACEMENT_CHARACTER);
                }
                self.out
                    .push(char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER));
            }
        }
    }

    fn symbol(&mut self, state: &GroupState, symbol: u8) {
        match symbol {
            b'\\' | b'{' | b'}' if !self.take_fallback() => self.push_byte(state, symbol),
            b'\\' | b'{' | b'}' => {}
            b'~' => self.push_str(state, "\u{a0}"),
            b'_' => self.push_str(state, "\u{2011}"),
            b'\r' | b'\n' => self.push_str(state, "\r\n"),
            b'\t' => self.push_str(state, "\t"),
            // \- (optional hyphen), \: (index subentry), \| and anything else: no text.
            _ => {}
        }
    }

    fn word(&mut self, state: &mut GroupState, name: &[u8], param: Option<i32>) {
        match name {
            b"ansicpg" => {
                if let Some(cp) = param.and_then(|p| u16::try_from(p).ok()) {
                    self.document_code_page = cp;
                }
            }
            b"mac" => self.document_code_page = 10000,
            b"pc" => self.document_code_page = 437,
            b"pca" => self.document_code_page = 850,
            b"f" if state.font_table => {
                self.current_font = param;
            }
            b"fcharset" if state.font_table => {
                if let (Some(font), Some(cp)) =
                    (self.current_font, param.and_then(charset_code_page))
                {
                    self.fonts.retain(|(number, _)| *number != font);
                    self.fonts.push((font, cp));
                }
            }
            b"cpg" if state.font_table => {
                if let (Some(font), Some(cp)) =
                    (self.current_font, param.and_then(|p| u16::try_from(p).ok()))
                {
                    self.fonts.retain(|(number, _)| *number != font);
                    self.fonts.push((font, cp));
                }
            }
            b"f" => {
                state.font_code_page = param.and_then(|f| {
                    self.fonts.iter().find(|(number, _)| *number == f).map(|(_, cp)| *cp)
                });
            }
            b"htmlrtf" => state.html_rtf = param.unwrap_or(1) != 0,
            b"uc" => state.unicode_skip = param.unwrap_or(1).clamp(0, 16) as u32,
            b"u" => {
                if let Some(value) = param {
                    // Signed 16-bit in the stream: negative values are the upper half.
                    self.push_unicode(state, value as i16 as u16);
                    self.fallback_left = state.unicode_skip;
                }
            }
            b"bin" => {
                // Binary data is never text.
                self.lexer.skip_binary(param.unwrap_or(0).max(0) as usize);
            }
            b"par" | b"line" | b"sect" | b"page" => self.push_str(state, "\r\n"),
            b"row" => self.push_str(state, "\r\n"),
            b"cell" | b"tab" => self.push_str(state, "\t"),
            b"emdash" => self.push_str(state, "\u{2014}"),
            b"endash" => self.push_str(state, "\u{2013}"),
            b"lquote" => self.push_str(state, "\u{2018}"),
            b"rquote" => self.push_str(state, "\u{2019}"),
            b"ldblquote" => self.push_str(state, "\u{201c}"),
            b"rdblquote" => self.push_str(state, "\u{201d}"),
            b"bullet" => self.push_str(state, "\u{2022}"),
            b"emspace" | b"enspace" | b"qmspace" => self.push_str(state, " "),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests;

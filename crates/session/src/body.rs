//! `Body`, `HTMLBody`, `RTFBody` and `BodyFormat`, kept consistent as Outlook keeps them.
//!
//! A message may hold its body as plain text (`PidTagBody`), HTML (`PidTagHtml`, bytes in the
//! code page of `PidTagInternetCodepage`, or the string `PidTagBodyHtml`) and compressed RTF
//! (`PidTagRtfCompressed`, MS-OXRTFCP), the RTF possibly encapsulating HTML or text
//! (MS-OXRTFEX). Reading falls back the way Outlook does: an item with only RTF answers `Body`
//! and `HTMLBody` from it, and one with only HTML answers `Body` from the HTML.

use crate::error::{SessionError, SessionResult};
use crate::item::Item;
use convert::rtf::{self, Encapsulation};
use mapi::catalog::tags;
use mapi::{MapiError, PropTag, PropType, PropValue};

/// `OlBodyFormat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OlBodyFormat {
    Unspecified = 0,
    Plain = 1,
    Html = 2,
    RichText = 3,
}

impl OlBodyFormat {
    /// Outlook's constant name (`olFormatHTML` ...).
    pub fn name(self) -> &'static str {
        match self {
            OlBodyFormat::Unspecified => "olFormatUnspecified",
            OlBodyFormat::Plain => "olFormatPlain",
            OlBodyFormat::Html => "olFormatHTML",
            OlBodyFormat::RichText => "olFormatRichText",
        }
    }
}

/// PidTagHtml / PidTagBodyHtml share one ID; asked for untyped, the store answers whichever
/// type it holds.
const HTML_ANY_TYPE: PropTag = PropTag::new(0x1013, PropType::Unspecified);
/// `PidTagNativeBody` values (MS-OXCMSG 2.2.1.58.2).
const NATIVE_PLAIN: i32 = 1;
const NATIVE_RTF: i32 = 2;
const NATIVE_HTML: i32 = 3;

fn corrupt(what: &str, err: convert::ConvertError) -> SessionError {
    SessionError::Mapi(MapiError::corrupt(format!("{what}: {err}")))
}

/// Plain text as minimal HTML, for `HTMLBody` of an item whose body is not HTML.
fn html_from_text(text: &str) -> String {
    let mut html = String::from("<html><body>\r\n");
    for (i, line) in text.split("\r\n").flat_map(|l| l.split('\n')).enumerate() {
        if i > 0 {
            html.push_str("<br>\r\n");
        }
        for c in line.chars() {
            match c {
                '&' => html.push_str("&amp;"),
                '<' => html.push_str("&lt;"),
                '>' => html.push_str("&gt;"),
                '"' => html.push_str("&quot;"),
                _ => html.push(c),
            }
        }
    }
    html.push_str("\r\n</body></html>\r\n");
    html
}

impl Item {
    fn stored_body(&self) -> SessionResult<Option<String>> {
        Ok(match self.get(tags::PidTagBody)? {
            Some(PropValue::String(s) | PropValue::String8(s)) => Some(s),
            _ => None,
        })
    }

    /// The stored HTML, decoded: binary `PidTagHtml` through `PidTagInternetCodepage`
    /// (windows-1252 without one), or the string `PidTagBodyHtml`.
    fn stored_html(&self) -> SessionResult<Option<String>> {
        Ok(match self.get(HTML_ANY_TYPE)? {
            Some(PropValue::Binary(bytes)) => {
                let code_page = match self.get(tags::PidTagInternetCodepage)? {
                    Some(PropValue::Integer32(cp)) => cp as u32,
                    _ => 1252,
                };
                Some(convert::decode_code_page(&bytes, code_page))
            }
            Some(PropValue::String(s) | PropValue::String8(s)) => Some(s),
            _ => None,
        })
    }

    /// `RTFBody`: the RTF bytes, `PidTagRtfCompressed` decompressed (MS-OXRTFCP); `None` when
    /// the item has no RTF. A damaged stream is `MAPI_E_CORRUPT_DATA` naming the problem.
    pub fn rtf_body(&self) -> SessionResult<Option<Vec<u8>>> {
        match self.get(tags::PidTagRtfCompressed)? {
            Some(PropValue::Binary(data)) => {
                rtf::decompress(&data).map(Some).map_err(|e| corrupt("PidTagRtfCompressed", e))
            }
            _ => Ok(None),
        }
    }

    /// `Body`: `PidTagBody`; for an item without it, the text of its RTF (the encapsulated
    /// text, or the RTF rendered as text) or of its HTML.
    pub fn body(&self) -> SessionResult<Option<String>> {
        if let Some(body) = self.stored_body()? {
            return Ok(Some(body));
        }
        if let Some(rtf) = self.rtf_body()? {
            let text = match rtf::extract_text(&rtf).map_err(|e| corrupt("RTF body", e))? {
                Some(text) => text,
                None => rtf::to_plain_text(&rtf).map_err(|e| corrupt("RTF body", e))?,
            };
            return Ok(Some(text));
        }
        Ok(self.stored_html()?.map(|html| convert::html::to_plain_text(&html)))
    }

    /// `HTMLBody`: the stored HTML; for an item with only RTF, the HTML it encapsulates
    /// (MS-OXRTFEX) or its text as HTML; for a plain-text item, the text as HTML.
    pub fn html_body(&self) -> SessionResult<Option<String>> {
        if let Some(html) = self.stored_html()? {
            return Ok(Some(html));
        }
        if let Some(rtf) = self.rtf_body()?
            && let Some(html) = rtf::extract_html(&rtf).map_err(|e| corrupt("RTF body", e))?
        {
            return Ok(Some(html));
        }
        Ok(self.body()?.map(|text| html_from_text(&text)))
    }

    /// `BodyFormat`, decided as MS-OXCMSG 2.2.1.58 describes: `PidTagNativeBody` when the item
    /// has it; otherwise RTF that is in sync with the body (`PidTagRtfInSync`), then HTML, then
    /// RTF, then plain text. RTF that encapsulates HTML or text (MS-OXRTFEX) is that format.
    pub fn body_format(&self) -> SessionResult<OlBodyFormat> {
        let rtf_format = |item: &Item| -> SessionResult<OlBodyFormat> {
            Ok(match item.rtf_body()? {
                Some(rtf) => match rtf::encapsulation(&rtf) {
                    Encapsulation::Html => OlBodyFormat::Html,
                    Encapsulation::Text => OlBodyFormat::Plain,
                    Encapsulation::None => OlBodyFormat::RichText,
                },
                None => OlBodyFormat::Unspecified,
            })
        };
        match self.get(tags::PidTagNativeBody)? {
            Some(PropValue::Integer32(NATIVE_PLAIN)) => return Ok(OlBodyFormat::Plain),
            Some(PropValue::Integer32(NATIVE_HTML)) => return Ok(OlBodyFormat::Html),
            Some(PropValue::Integer32(NATIVE_RTF)) => {
                let format = rtf_format(self)?;
                if format != OlBodyFormat::Unspecified {
                    return Ok(format);
                }
            }
            // 0 (undefined) and 4 (clear-signed) say nothing about the format: fall through.
            _ => {}
        }
        let has_rtf = self.get(tags::PidTagRtfCompressed)?.is_some();
        let in_sync = matches!(self.get(tags::PidTagRtfInSync)?, Some(PropValue::Boolean(true)));
        if has_rtf && in_sync {
            return rtf_format(self);
        }
        if self.get(HTML_ANY_TYPE)?.is_some() {
            return Ok(OlBodyFormat::Html);
        }
        if has_rtf {
            return rtf_format(self);
        }
        if self.get(tags::PidTagBody)?.is_some() {
            return Ok(OlBodyFormat::Plain);
        }
        Ok(OlBodyFormat::Unspecified)
    }

    fn delete_body_props(&self, tags: &[PropTag]) -> SessionResult<()> {
        self.store().check_writable("change an item")?;
        self.message().delete_props(tags)?;
        Ok(())
    }

    /// Sets `Body`. As in Outlook, a new plain body replaces the others: HTML and RTF are
    /// removed and the item becomes plain text.
    pub fn set_body(&self, body: &str) -> SessionResult<()> {
        self.set(tags::PidTagBody, PropValue::String(body.to_owned()))?;
        self.delete_body_props(&[HTML_ANY_TYPE, tags::PidTagRtfCompressed, tags::PidTagRtfInSync])?;
        self.set(tags::PidTagNativeBody, PropValue::Integer32(NATIVE_PLAIN))
    }

    /// Sets `HTMLBody`: the HTML (as `PidTagHtml`, UTF-8 with `PidTagInternetCodepage`
    /// 65001), the plain body made from it, and no stale RTF.
    pub fn set_html_body(&self, html: &str) -> SessionResult<()> {
        self.set(tags::PidTagHtml, PropValue::Binary(html.as_bytes().to_vec()))?;
        self.set(tags::PidTagInternetCodepage, PropValue::Integer32(65001))?;
        self.set(tags::PidTagBody, PropValue::String(convert::html::to_plain_text(html)))?;
        self.delete_body_props(&[tags::PidTagRtfCompressed, tags::PidTagRtfInSync])?;
        self.set(tags::PidTagNativeBody, PropValue::Integer32(NATIVE_HTML))
    }

    /// Sets `RTFBody`: the RTF compressed (MS-OXRTFCP) into `PidTagRtfCompressed`, the plain
    /// body from its text with `PidTagRtfInSync` true, and HTML from it when it encapsulates
    /// HTML (otherwise any stored HTML is stale and removed).
    pub fn set_rtf_body(&self, rtf_bytes: &[u8]) -> SessionResult<()> {
        let compressed = rtf::compress(rtf_bytes).map_err(|e| {
            SessionError::Mapi(MapiError::invalid_parameter(format!("RTFBody: {e}")))
        })?;
        let bad = |e| SessionError::Mapi(MapiError::invalid_parameter(format!("RTFBody: {e}")));
        let text = match rtf::extract_text(rtf_bytes).map_err(bad)? {
            Some(text) => text,
            None => rtf::to_plain_text(rtf_bytes).map_err(bad)?,
        };
        let html = rtf::extract_html(rtf_bytes).map_err(bad)?;
        self.set(tags::PidTagRtfCompressed, PropValue::Binary(compressed))?;
        self.set(tags::PidTagRtfInSync, PropValue::Boolean(true))?;
        self.set(tags::PidTagBody, PropValue::String(text))?;
        match html {
            Some(html) => {
                self.set(tags::PidTagHtml, PropValue::Binary(html.into_bytes()))?;
                self.set(tags::PidTagInternetCodepage, PropValue::Integer32(65001))?;
            }
            None => self.delete_body_props(&[HTML_ANY_TYPE])?,
        }
        self.set(tags::PidTagNativeBody, PropValue::Integer32(NATIVE_RTF))
    }
}

#[cfg(test)]
mod tests {
    use super::html_from_text;

    #[test]
    fn text_as_html_escapes_and_breaks_lines() {
        assert_eq!(
            html_from_text("a<b>&\"\r\nc"),
            "<html><body>\r\na&lt;b&gt;&amp;&quot;<br>\r\nc\r\n</body></html>\r\n"
        );
    }
}

//! HTML to plain text, the way a mail client fills `Body` from `HTMLBody`: markup dropped,
//! `<head>`, `<style>`, `<script>` and comments skipped, block elements and `<br>` as line
//! breaks (CRLF), cells as tabs, whitespace collapsed, character references decoded. One
//! linear pass; no nesting is tracked, so there is nothing to bound but the input.

/// The plain text of an HTML document or fragment.
pub fn to_plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    // Set by a skipped element: its closing tag ends the skip.
    let mut skip_until: Option<&'static str> = None;
    let mut pending_space = false;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        if rest.starts_with('<') {
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            let tag = &rest[1..end.saturating_sub(1).max(1)];
            rest = &rest[end..];
            let closing = tag.starts_with('/');
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .map(|c| c.to_ascii_lowercase())
                .collect();
            if let Some(until) = skip_until {
                if closing && name == until {
                    skip_until = None;
                }
                continue;
            }
            match name.as_str() {
                "head" | "style" | "script" | "title" if !closing => {
                    skip_until = Some(match name.as_str() {
                        "head" => "head",
                        "style" => "style",
                        "script" => "script",
                        _ => "title",
                    });
                }
                "br" => {
                    out.push_str("\r\n");
                    pending_space = false;
                }
                "p" | "div" | "tr" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "table"
                | "blockquote" | "ul" | "ol" | "pre" | "hr" => {
                    if !out.is_empty() && !out.ends_with('\n') {
                        out.push_str("\r\n");
                    }
                    pending_space = false;
                }
                "td" | "th" if closing => {
                    out.push('\t');
                    pending_space = false;
                }
                _ => {}
            }
            continue;
        }
        let next = rest.find('<').unwrap_or(rest.len());
        let (text, after) = rest.split_at(next);
        rest = after;
        if skip_until.is_some() {
            continue;
        }
        for (i, word) in
            decode_references(text).split(|c: char| c.is_ascii_whitespace()).enumerate()
        {
            pending_space |= i > 0;
            if word.is_empty() {
                pending_space = true;
                continue;
            }
            if pending_space && !out.is_empty() && !out.ends_with(['\n', '\t', ' ']) {
                out.push(' ');
            }
            out.push_str(word);
            pending_space = false;
        }
    }
    out
}

/// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&nbsp;`, `&#N;` and `&#xH;`; anything else is
/// left as written.
fn decode_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..].find(';').map(|i| i + 1).filter(|&i| i <= 10);
        let decoded = end.and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => '\u{a0}',
                _ => {
                    let number = name.strip_prefix('#')?;
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER)
                }
            };
            Some((c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_goes_blocks_break_and_references_decode() {
        let html = "<html><head><title>T</title><style>p{}</style></head><body><!-- c -->\
                    <p>Hello&nbsp;<b>world</b> &amp;  friends</p><div>a<br>b &#x41;&#66; &bogus;</div>\
                    <table><tr><td>1</td><td>2</td></tr></table><script>x()</script>end</body></html>";
        assert_eq!(
            to_plain_text(html),
            "Hello\u{a0}world & friends\r\na\r\nb AB &bogus;\r\n1\t2\t\r\nend"
        );
    }

    #[test]
    fn unterminated_markup_does_not_panic() {
        assert_eq!(to_plain_text("a <b"), "a");
        assert_eq!(to_plain_text("x<!-- never closed"), "x");
        assert_eq!(to_plain_text("&#x110000; &#"), "\u{fffd} &#");
        assert_eq!(to_plain_text("é<"), "é");
    }
}

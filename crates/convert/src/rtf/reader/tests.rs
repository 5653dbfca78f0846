use super::*;

/// Shaped like MS-OXRTFEX 3.1 (an HTML body encapsulated by Outlook).
const ENCAPSULATED_HTML: &[u8] = br#"{\rtf1\ansi\ansicpg1251\fromhtml1 \deff0{\fonttbl
{\f0\fswiss Arial;}
{\f1\fmodern Courier New;}
{\f2\fnil\fcharset2 Symbol;}
{\f3\fmodern\fcharset0 Courier New;}}
{\colortbl\red0\green0\blue0;\red0\green0\blue255;}
\uc1\pard\plain\deftab360 \f0\fs24
{\*\htmltag19 <html>}
{\*\htmltag34 <head>}
{\*\htmltag41 <title>\'c4om \{x\}</title>}
{\*\htmltag2 \par }
{\*\htmltag50 <body>}\htmlrtf {\htmlrtf0
{\*\htmltag64 <p>}
{\*\htmltag84 &lt;}\htmlrtf <\htmlrtf0 Caf\'e9 \u8364?
\htmlrtf \par
\htmlrtf0
{\*\htmltag72 </p>}
{\*\htmltag58 </body>}
{\*\htmltag27 </html>}\htmlrtf }\htmlrtf0 }"#;

#[test]
fn encapsulated_html_is_the_tags_and_the_text_outside_htmlrtf() {
    assert_eq!(encapsulation(ENCAPSULATED_HTML), Encapsulation::Html);
    let html = extract_html(ENCAPSULATED_HTML).unwrap().unwrap();
    // \'c4 is Д in the document's code page 1251; \u8364 is € and its '?' fallback is skipped.
    assert_eq!(html, "<html><head><title>Дom {x}</title>\r\n<body><p>&lt;Cafй €</p></body></html>");
    assert_eq!(extract_text(ENCAPSULATED_HTML).unwrap(), None);
}

#[test]
fn the_plain_rendering_of_encapsulated_html_is_what_rtf_shows() {
    let text = to_plain_text(ENCAPSULATED_HTML).unwrap();
    assert_eq!(text, "<Cafй €\r\n");
}

#[test]
fn fromtext_gives_the_text() {
    let rtf = br"{\rtf1\ansi\ansicpg1252\fromtext \deff0{\fonttbl{\f0\fswiss Arial;}}
{\*\htmltag1 ignored? no: text mode copies tags}\f0 Hello\par
Second\tab line\htmlrtf  rtf only\htmlrtf0\par
}";
    assert_eq!(encapsulation(rtf), Encapsulation::Text);
    assert_eq!(
        extract_text(rtf).unwrap().unwrap(),
        "ignored? no: text mode copies tagsHello\r\nSecond\tline\r\n"
    );
    assert_eq!(extract_html(rtf).unwrap(), None);
}

#[test]
fn ordinary_rtf_renders_without_destinations_and_with_font_code_pages() {
    let rtf = br"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss\fcharset0 Arial;}{\f1\fnil\fcharset204 Tahoma;}}
{\colortbl;\red255\green0\blue0;}{\stylesheet{\s0 Normal;}}{\info{\title Secret}}
{\*\generator Riched20;}\pard\f0 caf\'e9 \{\}\\ {\f1\'cf\'f0\'e8\'e2\'e5\'f2}\line
{\pict\wmetafile8 0102}\uc2\u-4064XX!\u55357??\u56832??\bin3 {}}tail\~end\par
}";
    assert_eq!(encapsulation(rtf), Encapsulation::None);
    assert_eq!(extract_html(rtf).unwrap(), None);
    let text = to_plain_text(rtf).unwrap();
    // \u-4064 is U+F020; \uc2 skips both X; a surrogate pair makes one emoji; \bin3 skips "{}}".
    assert_eq!(text, "café {}\\ Привет\r\n\u{f020}!\u{1f600}tail\u{a0}end\r\n");
}

#[test]
fn nesting_beyond_the_limit_is_an_error_with_the_offset() {
    let mut deep = b"{\\rtf1 ".to_vec();
    deep.extend(std::iter::repeat_n(b'{', MAX_GROUP_DEPTH + 5));
    let err = to_plain_text(&deep).unwrap_err();
    assert_eq!(
        err,
        ConvertError::GroupTooDeep { offset: 7 + MAX_GROUP_DEPTH - 1, limit: MAX_GROUP_DEPTH }
    );
    let mut html = b"{\\rtf1\\fromhtml1 ".to_vec();
    html.extend(std::iter::repeat_n(b'{', MAX_GROUP_DEPTH + 5));
    assert!(matches!(extract_html(&html), Err(ConvertError::GroupTooDeep { .. })));
}

#[test]
fn malformed_escapes_are_errors_naming_the_offset() {
    assert_eq!(
        to_plain_text(br"{\rtf1 ab\'zz}").unwrap_err(),
        ConvertError::Malformed { offset: 9, expected: "two hex digits after \\'" }
    );
    assert!(matches!(to_plain_text(br"{\rtf1 \"), Err(ConvertError::Malformed { offset: 7, .. })));
    let long = format!("{{\\rtf1 \\{} }}", "a".repeat(40));
    assert!(matches!(
        to_plain_text(long.as_bytes()),
        Err(ConvertError::Malformed { offset: 7, .. })
    ));
}

#[test]
fn unbalanced_braces_and_huge_parameters_do_not_panic() {
    assert_eq!(to_plain_text(b"}}}{\\rtf1 x}}}y").unwrap(), "xy");
    assert_eq!(
        to_plain_text(b"{\\rtf1\\u99999999999999 \\bin99999999999 abc}").unwrap(),
        "\u{ffff}"
    );
}

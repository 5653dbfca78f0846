//! The two filter languages of `Items.Restrict`/`Items.Find`, parsed into one syntax tree:
//!
//! - Jet: `[Subject] = 'x' And Not [Unread] = True`, field names in brackets, string and date
//!   values in quotes.
//! - DASL: `@SQL="urn:schemas:httpmail:subject" LIKE '%x%'`, property names as quoted schema
//!   URNs or `http://schemas.microsoft.com/mapi/...` paths, values in single quotes, plus
//!   `LIKE` and `IS [NOT] NULL`.
//!
//! Keywords are case-insensitive in both. Errors carry the 1-based character position.

use super::macros::DateMacro;
use std::fmt;

/// Which language a filter was written in; it decides how property names and dates are read
/// (Jet dates are local time, DASL dates are UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Jet,
    Dasl,
}

/// A parsed filter.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    pub dialect: Dialect,
    pub expr: Expr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A property reference as written: a Jet field name or a DASL schema name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyRef {
    pub name: String,
    /// 1-based character position in the filter text, for errors in later stages.
    pub position: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    String(String),
    Integer(i64),
    Float(f64),
    Boolean(bool),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub literal: Literal,
    pub position: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// All of the terms (two or more). A chain `a And b And c` is one `And` of three terms,
    /// not a nest of binary ones, so a filter of hundreds of terms stays shallow.
    And(Vec<Expr>),
    /// Any of the terms (two or more), flattened like `And`.
    Or(Vec<Expr>),
    Not(Box<Expr>),
    Compare {
        property: PropertyRef,
        op: CompareOp,
        value: Value,
    },
    /// DASL `LIKE 'pattern'` with `%` wildcards.
    Like {
        property: PropertyRef,
        pattern: Value,
    },
    /// DASL `IS NULL` (`negated`: `IS NOT NULL`).
    IsNull {
        property: PropertyRef,
        negated: bool,
    },
    /// DASL content-indexer keywords: `ci_startswith 'x'`, `ci_phrasematch 'x y'`.
    TextMatch {
        property: PropertyRef,
        mode: TextMatch,
        value: Value,
    },
    /// A DASL date macro standing for a whole condition: `%today("urn:…:datereceived")%`.
    DateMacro {
        property: PropertyRef,
        date_macro: DateMacro,
    },
}

/// Which content-indexer keyword a [`Expr::TextMatch`] uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextMatch {
    /// `ci_startswith`: the property starts with the value, ignoring case.
    StartsWith,
    /// `ci_phrasematch`: the value's words occur as consecutive whole words, ignoring case.
    Phrase,
}

impl Filter {
    /// Whether the filter uses `ci_startswith` or `ci_phrasematch` (which Outlook refuses in
    /// `Items.Find`).
    pub fn uses_content_indexer(&self) -> bool {
        fn walk(expr: &Expr) -> bool {
            match expr {
                Expr::And(terms) | Expr::Or(terms) => terms.iter().any(walk),
                Expr::Not(inner) => walk(inner),
                Expr::TextMatch { .. } => true,
                _ => false,
            }
        }
        walk(&self.expr)
    }
}

impl Expr {
    fn is_and(&self) -> bool {
        matches!(self, Expr::And(_))
    }

    fn is_or(&self) -> bool {
        matches!(self, Expr::Or(_))
    }
}

/// Adds a term to an n-ary operator's list; a parenthesised term of the same operator
/// (`(a Or b) Or c`) is spliced in, since grouping does not change its meaning.
fn push_flat(terms: &mut Vec<Expr>, term: Expr, same_operator: fn(&Expr) -> bool) {
    if same_operator(&term) {
        match term {
            Expr::And(inner) | Expr::Or(inner) => terms.extend(inner),
            other => terms.push(other),
        }
    } else {
        terms.push(term);
    }
}

/// A filter that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("filter error at position {position}: {message}")]
pub struct FilterError {
    /// 1-based character position.
    pub position: usize,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    /// `[Name]` (Jet field).
    Field(String),
    /// `'text'` (either dialect) or `"text"` (a Jet string; in DASL, a property name).
    Single(String),
    Double(String),
    Integer(i64),
    Float(f64),
    Word(String),
    Op(CompareOp),
    Open,
    Close,
    /// `%name("property")%`: the property's position is kept for later errors.
    Macro(DateMacro, String, usize),
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Token::Field(name) => write!(f, "[{name}]"),
            Token::Single(text) => write!(f, "'{text}'"),
            Token::Double(text) => write!(f, "\"{text}\""),
            Token::Integer(n) => write!(f, "{n}"),
            Token::Float(n) => write!(f, "{n}"),
            Token::Word(word) => f.write_str(word),
            Token::Op(op) => f.write_str(match op {
                CompareOp::Eq => "=",
                CompareOp::Ne => "<>",
                CompareOp::Lt => "<",
                CompareOp::Le => "<=",
                CompareOp::Gt => ">",
                CompareOp::Ge => ">=",
            }),
            Token::Open => f.write_str("("),
            Token::Close => f.write_str(")"),
            Token::Macro(m, property, _) => write!(f, "%{}(\"{property}\")%", m.name()),
        }
    }
}

/// Longest filter accepted; Outlook's own limit is far lower, and this bounds parser work.
const MAX_FILTER_CHARS: usize = 64 * 1024;
/// Deepest nesting of parentheses and `Not`; keeps recursion bounded on hostile input. Each
/// level becomes at most one restriction level, and a term adds at most two more (`<>` is
/// `Not(Content)`), plus one for stacking `Restrict` calls; the margin keeps every filter the
/// parser accepts within what the restriction codec and evaluator take
/// ([`mapi::restriction::MAX_DEPTH`]), so a too-deep filter fails here, with a position.
pub const MAX_DEPTH: usize = mapi::restriction::MAX_DEPTH - 8;

/// Parses a Jet or DASL filter (DASL when the text starts with `@SQL=`).
pub fn parse(text: &str) -> Result<Filter, FilterError> {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() > MAX_FILTER_CHARS {
        return Err(FilterError {
            position: MAX_FILTER_CHARS,
            message: format!("filter is longer than {MAX_FILTER_CHARS} characters"),
        });
    }
    let leading = chars.iter().take_while(|c| c.is_whitespace()).count();
    let sql_prefix: Vec<char> = "@SQL=".chars().collect();
    let is_dasl = chars.len() >= leading + sql_prefix.len()
        && chars[leading..leading + sql_prefix.len()]
            .iter()
            .zip(&sql_prefix)
            .all(|(a, b)| a.eq_ignore_ascii_case(b));
    let (dialect, start) =
        if is_dasl { (Dialect::Dasl, leading + sql_prefix.len()) } else { (Dialect::Jet, 0) };
    let tokens = tokenize(&chars, start)?;
    let mut parser = Parser { tokens, index: 0, dialect, end: chars.len() + 1, depth: 0 };
    if parser.tokens.is_empty() {
        return Err(FilterError { position: parser.end, message: "the filter is empty".into() });
    }
    let expr = parser.or()?;
    if let Some((token, position)) = parser.tokens.get(parser.index) {
        return Err(FilterError {
            position: *position,
            message: format!(
                "unexpected {token} after a complete condition; expected And, Or or the end"
            ),
        });
    }
    Ok(Filter { dialect, expr })
}

fn tokenize(chars: &[char], start: usize) -> Result<Vec<(Token, usize)>, FilterError> {
    let mut tokens = Vec::new();
    let mut i = start;
    let error = |position: usize, message: String| FilterError { position: position + 1, message };
    while i < chars.len() {
        let c = chars[i];
        let at = i;
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                tokens.push((Token::Open, at + 1));
                i += 1;
            }
            ')' => {
                tokens.push((Token::Close, at + 1));
                i += 1;
            }
            '[' => {
                let end = chars[i + 1..].iter().position(|&c| c == ']').ok_or_else(|| {
                    error(at, "field name opened with '[' is never closed with ']'".into())
                })?;
                let name: String = chars[i + 1..i + 1 + end].iter().collect();
                if name.trim().is_empty() {
                    return Err(error(at, "empty field name '[]'".into()));
                }
                tokens.push((Token::Field(name.trim().to_owned()), at + 1));
                i += end + 2;
            }
            '\'' | '"' => {
                // A doubled quote inside the string stands for one quote character.
                let mut text = String::new();
                let mut j = i + 1;
                loop {
                    match chars.get(j) {
                        None => {
                            return Err(error(
                                at,
                                format!("string starting here is never closed with {c}"),
                            ));
                        }
                        Some(&q) if q == c => {
                            if chars.get(j + 1) == Some(&c) {
                                text.push(c);
                                j += 2;
                            } else {
                                break;
                            }
                        }
                        Some(&other) => {
                            text.push(other);
                            j += 1;
                        }
                    }
                }
                tokens.push((
                    if c == '\'' { Token::Single(text) } else { Token::Double(text) },
                    at + 1,
                ));
                i = j + 1;
            }
            '=' => {
                tokens.push((Token::Op(CompareOp::Eq), at + 1));
                i += 1;
            }
            '<' | '>' => {
                let next = chars.get(i + 1).copied();
                let (op, len) = match (c, next) {
                    ('<', Some('>')) => (CompareOp::Ne, 2),
                    ('<', Some('=')) => (CompareOp::Le, 2),
                    ('>', Some('=')) => (CompareOp::Ge, 2),
                    ('<', _) => (CompareOp::Lt, 1),
                    _ => (CompareOp::Gt, 1),
                };
                tokens.push((Token::Op(op), at + 1));
                i += len;
            }
            c if c.is_ascii_digit()
                || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) =>
            {
                let mut j = i + 1;
                while j < chars.len() && (chars[j].is_ascii_digit() || chars[j] == '.') {
                    j += 1;
                }
                let text: String = chars[i..j].iter().collect();
                let token = if text.contains('.') {
                    text.parse().map(Token::Float).ok()
                } else {
                    text.parse().map(Token::Integer).ok()
                };
                let token = token.ok_or_else(|| error(at, format!("{text:?} is not a number")))?;
                tokens.push((token, at + 1));
                i = j;
            }
            c if c.is_alphabetic() || c == '_' => {
                let mut j = i + 1;
                while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
                    j += 1;
                }
                tokens.push((Token::Word(chars[i..j].iter().collect()), at + 1));
                i = j;
            }
            '%' => {
                let (token, next) = date_macro(chars, i)?;
                tokens.push((token, at + 1));
                i = next;
            }
            other => return Err(error(at, format!("unexpected character {other:?}"))),
        }
    }
    Ok(tokens)
}

/// `%name("property")%` starting at `start` (the first `%`): the token and the index after it.
/// Spaces are allowed around the parentheses.
fn date_macro(chars: &[char], start: usize) -> Result<(Token, usize), FilterError> {
    let error = |index: usize, message: String| FilterError { position: index + 1, message };
    let expected = "a date macro like %today(\"urn:schemas:httpmail:datereceived\")%";
    let skip_spaces = |mut i: usize| {
        while chars.get(i).is_some_and(|c| c.is_whitespace()) {
            i += 1;
        }
        i
    };
    let mut i = start + 1;
    let name_start = i;
    while chars.get(i).is_some_and(|c| c.is_ascii_alphanumeric()) {
        i += 1;
    }
    let name: String = chars[name_start..i].iter().collect();
    if name.is_empty() {
        return Err(error(start, format!("'%' must start {expected}")));
    }
    let date_macro = DateMacro::from_name(&name).ok_or_else(|| {
        let known: Vec<&str> = DateMacro::ALL.iter().map(|m| m.name()).collect();
        error(
            name_start,
            format!("unknown date macro {name:?}; expected one of {}", known.join(", ")),
        )
    })?;
    i = skip_spaces(i);
    if chars.get(i) != Some(&'(') {
        return Err(error(i, format!("expected '(' after %{name}; {expected}")));
    }
    i = skip_spaces(i + 1);
    if chars.get(i) != Some(&'"') {
        return Err(error(i, format!("expected a property name in double quotes; {expected}")));
    }
    let property_at = i + 1;
    let close = chars[i + 1..]
        .iter()
        .position(|&c| c == '"')
        .ok_or_else(|| error(i, "property name opened with '\"' is never closed".into()))?;
    let property: String = chars[i + 1..i + 1 + close].iter().collect();
    i = skip_spaces(i + close + 2);
    if chars.get(i) != Some(&')') {
        return Err(error(i, format!("expected ')' after the property name; {expected}")));
    }
    i = skip_spaces(i + 1);
    if chars.get(i) != Some(&'%') {
        return Err(error(i, format!("expected '%' to close the date macro; {expected}")));
    }
    Ok((Token::Macro(date_macro, property, property_at + 1), i + 1))
}

struct Parser {
    tokens: Vec<(Token, usize)>,
    index: usize,
    dialect: Dialect,
    /// Position just past the end, for "expected … at the end" errors.
    end: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.index).map(|(t, _)| t)
    }

    fn position(&self) -> usize {
        self.tokens.get(self.index).map_or(self.end, |(_, p)| *p)
    }

    fn error(&self, message: impl Into<String>) -> FilterError {
        let found = match self.tokens.get(self.index) {
            Some((token, _)) => format!("found {token}"),
            None => "found the end of the filter".to_owned(),
        };
        FilterError { position: self.position(), message: format!("{}; {found}", message.into()) }
    }

    fn next_is_word(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(w)) if w.eq_ignore_ascii_case(word))
    }

    fn enter(&mut self) -> Result<(), FilterError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(format!(
                "nesting deeper than {MAX_DEPTH} levels of parentheses and Not; \
                 long chains of And/Or need no parentheses"
            )));
        }
        Ok(())
    }

    /// `term Or term Or …`: one n-ary `Or` (And binds tighter, so each term is an `and()`).
    fn or(&mut self) -> Result<Expr, FilterError> {
        let mut terms = Vec::new();
        push_flat(&mut terms, self.and()?, Expr::is_or);
        while self.next_is_word("or") {
            self.index += 1;
            push_flat(&mut terms, self.and()?, Expr::is_or);
        }
        Ok(if terms.len() == 1 { terms.remove(0) } else { Expr::Or(terms) })
    }

    /// `factor And factor And …`: one n-ary `And`.
    fn and(&mut self) -> Result<Expr, FilterError> {
        let mut terms = Vec::new();
        push_flat(&mut terms, self.unary()?, Expr::is_and);
        while self.next_is_word("and") {
            self.index += 1;
            push_flat(&mut terms, self.unary()?, Expr::is_and);
        }
        Ok(if terms.len() == 1 { terms.remove(0) } else { Expr::And(terms) })
    }

    fn unary(&mut self) -> Result<Expr, FilterError> {
        if self.next_is_word("not") {
            self.index += 1;
            self.enter()?;
            let inner = self.unary()?;
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(inner)));
        }
        if self.peek() == Some(&Token::Open) {
            self.index += 1;
            self.enter()?;
            let inner = self.or()?;
            self.depth -= 1;
            if self.peek() != Some(&Token::Close) {
                return Err(self.error("expected ')' to close the '('"));
            }
            self.index += 1;
            return Ok(inner);
        }
        self.condition()
    }

    fn property(&mut self) -> Result<PropertyRef, FilterError> {
        let position = self.position();
        let name = match (self.dialect, self.peek()) {
            (Dialect::Jet, Some(Token::Field(name))) => name.clone(),
            (Dialect::Dasl, Some(Token::Double(name))) => name.clone(),
            (Dialect::Jet, _) => {
                return Err(self.error("expected a field name in brackets, like [Subject]"));
            }
            (Dialect::Dasl, _) => {
                return Err(self.error(
                    "expected a quoted property name, like \"urn:schemas:httpmail:subject\"",
                ));
            }
        };
        self.index += 1;
        Ok(PropertyRef { name, position })
    }

    fn value(&mut self) -> Result<Value, FilterError> {
        let position = self.position();
        let literal = match (self.dialect, self.peek()) {
            (_, Some(Token::Single(text))) => Literal::String(text.clone()),
            (Dialect::Jet, Some(Token::Double(text))) => Literal::String(text.clone()),
            (_, Some(Token::Integer(n))) => Literal::Integer(*n),
            (_, Some(Token::Float(n))) => Literal::Float(*n),
            (_, Some(Token::Word(w))) if w.eq_ignore_ascii_case("true") => Literal::Boolean(true),
            (_, Some(Token::Word(w))) if w.eq_ignore_ascii_case("false") => Literal::Boolean(false),
            (Dialect::Dasl, Some(Token::Double(_))) => {
                return Err(self.error("DASL values are written in single quotes"));
            }
            _ => {
                return Err(
                    self.error("expected a value: a quoted string, a number, True or False")
                );
            }
        };
        self.index += 1;
        Ok(Value { literal, position })
    }

    fn condition(&mut self) -> Result<Expr, FilterError> {
        if let Some((Token::Macro(date_macro, name, property_at), at)) =
            self.tokens.get(self.index).cloned()
        {
            if self.dialect == Dialect::Jet {
                return Err(FilterError {
                    position: at,
                    message: "date macros are DASL only (Outlook has no Jet form); start the \
                              filter with @SQL="
                        .into(),
                });
            }
            self.index += 1;
            return Ok(Expr::DateMacro {
                property: PropertyRef { name, position: property_at },
                date_macro,
            });
        }
        let property = self.property()?;
        match self.peek() {
            Some(Token::Op(op)) => {
                let op = *op;
                self.index += 1;
                let value = self.value()?;
                Ok(Expr::Compare { property, op, value })
            }
            Some(Token::Word(w))
                if self.dialect == Dialect::Dasl && w.eq_ignore_ascii_case("like") =>
            {
                self.index += 1;
                let pattern = self.value()?;
                if !matches!(pattern.literal, Literal::String(_)) {
                    return Err(FilterError {
                        position: pattern.position,
                        message: "LIKE needs a quoted pattern such as '%text%'".into(),
                    });
                }
                Ok(Expr::Like { property, pattern })
            }
            Some(Token::Word(w))
                if self.dialect == Dialect::Dasl
                    && (w.eq_ignore_ascii_case("ci_startswith")
                        || w.eq_ignore_ascii_case("ci_phrasematch")) =>
            {
                let mode = if w.eq_ignore_ascii_case("ci_startswith") {
                    TextMatch::StartsWith
                } else {
                    TextMatch::Phrase
                };
                self.index += 1;
                let value = self.value()?;
                match &value.literal {
                    Literal::String(text) if !text.trim().is_empty() => {}
                    _ => {
                        return Err(FilterError {
                            position: value.position,
                            message: "ci_startswith and ci_phrasematch need a non-empty quoted \
                                      string such as 'office'"
                                .into(),
                        });
                    }
                }
                Ok(Expr::TextMatch { property, mode, value })
            }
            Some(Token::Word(w))
                if self.dialect == Dialect::Dasl && w.eq_ignore_ascii_case("is") =>
            {
                self.index += 1;
                let negated = self.next_is_word("not");
                if negated {
                    self.index += 1;
                }
                if !self.next_is_word("null") {
                    return Err(self.error("expected NULL after IS"));
                }
                self.index += 1;
                Ok(Expr::IsNull { property, negated })
            }
            _ if self.dialect == Dialect::Dasl => Err(self.error(
                "expected an operator (=, <>, <, <=, >, >=, LIKE, IS NULL, ci_startswith, \
                 ci_phrasematch)",
            )),
            _ => Err(self.error("expected an operator (=, <>, <, <=, >, >=)")),
        }
    }
}

use super::syntax::*;

fn prop(name: &str, position: usize) -> PropertyRef {
    PropertyRef { name: name.into(), position }
}

fn string(text: &str, position: usize) -> Value {
    Value { literal: Literal::String(text.into()), position }
}

#[test]
fn jet_comparison() {
    let filter = parse("[Subject] = 'Hello'").unwrap();
    assert_eq!(filter.dialect, Dialect::Jet);
    assert_eq!(
        filter.expr,
        Expr::Compare {
            property: prop("Subject", 1),
            op: CompareOp::Eq,
            value: string("Hello", 13)
        }
    );
}

#[test]
fn jet_operators_and_literals() {
    let cases: &[(&str, CompareOp, Literal)] = &[
        ("[Size] > 1024", CompareOp::Gt, Literal::Integer(1024)),
        ("[Size] >= -5", CompareOp::Ge, Literal::Integer(-5)),
        ("[Size] < 1.5", CompareOp::Lt, Literal::Float(1.5)),
        ("[Size] <= 0", CompareOp::Le, Literal::Integer(0)),
        ("[Unread] <> true", CompareOp::Ne, Literal::Boolean(true)),
        ("[Unread] = FALSE", CompareOp::Eq, Literal::Boolean(false)),
        ("[Subject] = \"double\"", CompareOp::Eq, Literal::String("double".into())),
        ("[Subject] = 'it''s'", CompareOp::Eq, Literal::String("it's".into())),
        (
            "[ReceivedTime] >= '2024-01-01 08:00'",
            CompareOp::Ge,
            Literal::String("2024-01-01 08:00".into()),
        ),
    ];
    for (text, want_op, want_literal) in cases {
        match parse(text).unwrap().expr {
            Expr::Compare { op, value, .. } => {
                assert_eq!(op, *want_op, "{text}");
                assert_eq!(&value.literal, want_literal, "{text}");
            }
            other => panic!("{text}: {other:?}"),
        }
    }
}

#[test]
fn and_binds_tighter_than_or_and_not_tighter_than_and() {
    let filter = parse("[A] = 1 Or Not [B] = 2 And [C] = 3").unwrap();
    let Expr::Or(terms) = filter.expr else { panic!("top is not Or") };
    let [left, right] = terms.as_slice() else { panic!("Or of {} terms", terms.len()) };
    assert!(matches!(left, Expr::Compare { .. }));
    let Expr::And(factors) = right else { panic!("right of Or is not And") };
    let [not_b, c] = factors.as_slice() else { panic!("And of {} terms", factors.len()) };
    assert!(matches!(not_b, Expr::Not(_)));
    assert!(matches!(c, Expr::Compare { .. }));
}

#[test]
fn parentheses_group() {
    let filter = parse("([A] = 1 or [B] = 2) and [C] = 3").unwrap();
    let Expr::And(terms) = filter.expr else { panic!("top is not And") };
    assert!(matches!(terms.as_slice(), [Expr::Or(or), Expr::Compare { .. }] if or.len() == 2));
}

/// The names of the fields a flat list of comparisons looks at, in order.
fn field_names(terms: &[Expr]) -> Vec<&str> {
    terms
        .iter()
        .map(|term| match term {
            Expr::Compare { property, .. } => property.name.as_str(),
            other => panic!("not a comparison: {other:?}"),
        })
        .collect()
}

#[test]
fn chains_of_one_operator_are_one_flat_node() {
    let terms: Vec<String> = (0..1000).map(|n| format!("[Categories] = 'c{n}'")).collect();
    for (joiner, is_or) in [(" OR ", true), (" and ", false)] {
        let filter = parse(&terms.join(joiner)).unwrap();
        let flat = match (&filter.expr, is_or) {
            (Expr::Or(flat), true) | (Expr::And(flat), false) => flat,
            (other, _) => panic!("{joiner}: top is {other:?}"),
        };
        assert_eq!(flat.len(), 1000, "{joiner}");
        assert!(flat.iter().all(|t| matches!(t, Expr::Compare { .. })), "{joiner}");
    }
    // Grouping a chain of the same operator does not change it.
    let grouped = parse("([A] = 1 Or [B] = 2) Or ([C] = 3 Or [D] = 4)").unwrap();
    let Expr::Or(flat) = grouped.expr else { panic!("top is not Or") };
    assert_eq!(field_names(&flat), ["A", "B", "C", "D"]);
}

#[test]
fn mixed_chains_keep_and_above_or_in_precedence() {
    // a Or b And c Or d And e And f = a Or (b And c) Or (d And e And f)
    let filter =
        parse("[A] = 1 Or [B] = 1 And [C] = 1 Or [D] = 1 And [E] = 1 And [F] = 1").unwrap();
    let Expr::Or(terms) = filter.expr else { panic!("top is not Or") };
    let [a, bc, def] = terms.as_slice() else { panic!("Or of {} terms", terms.len()) };
    assert_eq!(field_names(std::slice::from_ref(a)), ["A"]);
    let (Expr::And(bc), Expr::And(def)) = (bc, def) else { panic!("{bc:?} / {def:?}") };
    assert_eq!(field_names(bc), ["B", "C"]);
    assert_eq!(field_names(def), ["D", "E", "F"]);
    // Parentheses of the other operator stay a level of their own.
    let filter = parse("[A] = 1 And ([B] = 1 Or [C] = 1) And [D] = 1").unwrap();
    let Expr::And(terms) = filter.expr else { panic!("top is not And") };
    assert!(
        matches!(terms.as_slice(), [Expr::Compare { .. }, Expr::Or(or), Expr::Compare { .. }] if or.len() == 2)
    );
}

#[test]
fn dasl_like_is_null_and_schema_names() {
    let filter = parse("@SQL=\"urn:schemas:httpmail:subject\" LIKE '%x%'").unwrap();
    assert_eq!(filter.dialect, Dialect::Dasl);
    assert_eq!(
        filter.expr,
        Expr::Like {
            property: prop("urn:schemas:httpmail:subject", 6),
            pattern: string("%x%", 42)
        }
    );
    let filter = parse(
        "@sql=\"http://schemas.microsoft.com/mapi/proptag/0x0037001f\" = 'a' AND \"urn:schemas:httpmail:read\" IS NOT NULL",
    )
    .unwrap();
    let Expr::And(terms) = filter.expr else { panic!("not And") };
    let [left, right] = terms.as_slice() else { panic!("And of {} terms", terms.len()) };
    assert!(
        matches!(left, Expr::Compare { property, .. } if property.name.ends_with("0x0037001f"))
    );
    assert!(matches!(right, Expr::IsNull { negated: true, .. }));
}

#[test]
fn errors_name_the_position_and_what_was_expected() {
    let cases: &[(&str, usize, &str)] = &[
        ("", 1, "empty"),
        ("[Subject] =", 12, "expected a value"),
        ("[Subject] 'x'", 11, "expected an operator"),
        ("[Subject = 'x'", 1, "never closed"),
        ("[Subject] = 'x", 13, "never closed"),
        ("([A] = 1", 9, "expected ')'"),
        ("[A] = 1 [B] = 2", 9, "unexpected [B]"),
        ("[A] = 1 And", 12, "expected a field name"),
        ("Subject = 'x'", 1, "expected a field name"),
        ("[A] LIKE 'x'", 5, "expected an operator"),
        ("@SQL=\"p\" = \"x\"", 12, "single quotes"),
        ("@SQL=\"p\" IS 'x'", 13, "expected NULL"),
        ("@SQL=subject = 'x'", 6, "quoted property name"),
        ("[A] = 1 $", 9, "unexpected character"),
        ("[] = 1", 1, "empty field name"),
    ];
    for (text, position, fragment) in cases {
        let err = parse(text).expect_err(text);
        assert_eq!(err.position, *position, "{text}: {err}");
        assert!(err.message.contains(fragment), "{text}: {err}");
    }
}

#[test]
fn hostile_nesting_is_an_error_not_a_stack_overflow() {
    let deep = format!("{}[A] = 1{}", "(".repeat(10_000), ")".repeat(10_000));
    let err = parse(&deep).unwrap_err();
    assert!(err.message.contains("nesting"), "{err}");
    let nots = format!("{}[A] = 1", "Not ".repeat(10_000));
    assert!(parse(&nots).unwrap_err().message.contains("nesting"));
}

#[test]
fn nesting_is_limited_by_depth_not_by_the_number_of_terms() {
    use super::syntax::MAX_DEPTH;
    // Alternating operators, one level per parenthesis: [A] = 0 And ([A] = 1 Or ([A] = 2 …)).
    let nested = |levels: usize| {
        let mut text = format!("[A] = {levels}");
        for level in (0..levels).rev() {
            let op = if level % 2 == 0 { "And" } else { "Or" };
            text = format!("[A] = {level} {op} ({text})");
        }
        text
    };
    assert!(parse(&nested(MAX_DEPTH)).is_ok());
    let err = parse(&nested(MAX_DEPTH + 1)).unwrap_err();
    assert!(err.message.contains(&format!("deeper than {MAX_DEPTH} levels")), "{err}");
    assert!(err.message.contains("parentheses"), "{err}");
}

#[test]
fn positions_count_characters_not_bytes() {
    let err = parse("[Betreff] = 'é' ?").unwrap_err();
    assert_eq!(err.position, 17);
}

mod translation {
    use super::super::{parse, to_restriction};
    use jiff::tz::TimeZone;
    use mapi::catalog::{self, tags};
    use mapi::restriction::{PropertyBag, evaluate};
    use mapi::{FileTime, NamedProperty, PropTag, PropType, PropValue};

    const KEYWORDS_ID: u16 = 0x8010;
    const START_ID: u16 = 0x8011;

    /// The named-property map of a pretend store: Keywords and the appointment start are
    /// mapped, nothing else.
    fn resolve(named: &NamedProperty) -> Option<u16> {
        let keywords = catalog::by_name("PidNameKeywords").unwrap().named_property().unwrap();
        let start =
            catalog::by_name("PidLidAppointmentStartWhole").unwrap().named_property().unwrap();
        if *named == keywords {
            Some(KEYWORDS_ID)
        } else if *named == start {
            Some(START_ID)
        } else {
            None
        }
    }

    fn time(text: &str) -> PropValue {
        PropValue::Time(FileTime::from_timestamp(text.parse().unwrap()).unwrap())
    }

    /// Four messages with what filters look at.
    fn rows() -> Vec<(&'static str, PropertyBag)> {
        let bag = |subject: &str, read: bool, received: &str, size: i32, categories: &[&str]| {
            let mut bag = PropertyBag::new()
                .with(tags::PidTagSubject.id(), PropValue::String(subject.into()))
                .with(tags::PidTagMessageFlags.id(), PropValue::Integer32(i32::from(read)))
                .with(tags::PidTagMessageDeliveryTime.id(), time(received))
                .with(tags::PidTagMessageSize.id(), PropValue::Integer32(size))
                .with(
                    tags::PidTagImportance.id(),
                    PropValue::Integer32(if size > 5000 { 2 } else { 1 }),
                );
            if !categories.is_empty() {
                bag.set(
                    PropTag::new(KEYWORDS_ID, PropType::MultipleString),
                    PropValue::MultipleString(categories.iter().map(|c| c.to_string()).collect()),
                );
            }
            bag
        };
        vec![
            ("a", bag("Quarterly report", true, "2024-01-01T07:30:00Z", 1200, &["Business"])),
            ("b", bag("Lunch?", false, "2024-01-01T08:00:00Z", 800, &[])),
            (
                "c",
                bag(
                    "RE: Quarterly Report",
                    false,
                    "2024-02-10T12:00:00Z",
                    9000,
                    &["Business", "Red"],
                ),
            ),
            ("d", bag("it's done", true, "2023-12-31T23:59:59Z", 300, &["red"])),
        ]
    }

    fn select(filter: &str) -> String {
        let parsed = parse(filter).unwrap_or_else(|e| panic!("{filter}: {e}"));
        let restriction = to_restriction(&parsed, &mut resolve, &TimeZone::UTC)
            .unwrap_or_else(|e| panic!("{filter}: {e}"));
        rows()
            .into_iter()
            .filter(|(_, row)| evaluate(&restriction, row).unwrap())
            .map(|(name, _)| name)
            .collect()
    }

    #[test]
    fn filters_select_the_rows_outlook_would() {
        let cases: &[(&str, &str)] = &[
            ("[Subject] = 'quarterly report'", "a"),
            ("[Subject] <> 'Quarterly report'", "bcd"),
            ("[Subject] = 'it''s done'", "d"),
            ("[Unread] = True", "bc"),
            ("[Unread] = false", "ad"),
            ("[Unread] <> True", "ad"),
            ("[ReceivedTime] >= '2024-01-01 08:00'", "bc"),
            ("[ReceivedTime] >= '1/1/2024 8:00 AM'", "bc"),
            ("[ReceivedTime] < '2024-01-01'", "d"),
            ("[Size] > 1000 And [Unread] = True", "c"),
            ("[Size] > 1000 Or [Subject] = 'lunch?'", "abc"),
            ("Not ([Size] > 1000)", "bd"),
            ("[Importance] = 2", "c"),
            ("[Categories] = 'Business'", "ac"),
            ("[Categories] = 'red'", "cd"),
            ("@SQL=\"urn:schemas:httpmail:subject\" LIKE '%report%'", "ac"),
            ("@SQL=\"urn:schemas:httpmail:subject\" LIKE 'RE:%'", "c"),
            ("@SQL=\"urn:schemas:httpmail:subject\" LIKE 'lunch?'", "b"),
            ("@SQL=\"http://schemas.microsoft.com/mapi/proptag/0x0037001F\" = 'Lunch?'", "b"),
            ("@SQL=\"https://schemas.microsoft.com/mapi/proptag/0x0E080003\" < 1000", "bd"),
            ("@SQL=\"urn:schemas:httpmail:datereceived\" > '2024-01-01 07:45'", "bc"),
            ("@SQL=\"urn:schemas-microsoft-com:office:office#Keywords\" IS NULL", "b"),
            ("@SQL=\"urn:schemas-microsoft-com:office:office#Keywords\" IS NOT NULL", "acd"),
            // The store never mapped these named properties: no item can have them.
            ("[Location] = 'Room 1'", ""),
            ("@SQL=\"urn:schemas:calendar:location\" IS NULL", "abcd"),
        ];
        for (filter, expected) in cases {
            assert_eq!(select(filter), *expected, "{filter}");
        }
    }

    #[test]
    fn a_thousand_terms_evaluate_and_precedence_holds() {
        let misses: Vec<String> = (0..998).map(|n| format!("[Subject] = 'none {n}'")).collect();
        let any =
            format!("{} OR [Subject] = 'lunch?' OR [Categories] = 'red'", misses.join(" OR "));
        assert_eq!(select(&any), "bcd");
        let differs: Vec<String> = (0..999).map(|n| format!("[Subject] <> 'none {n}'")).collect();
        let all = format!("{} AND [Unread] = True", differs.join(" AND "));
        assert_eq!(select(&all), "bc");
        // And binds tighter than Or in long mixed chains too: only "c" is unread and big, "d"
        // is read and small.
        let mixed = format!(
            "{} OR [Unread] = True AND [Size] > 1000 OR [Size] < 500 AND [Unread] = False",
            misses.join(" OR ")
        );
        assert_eq!(select(&mixed), "cd");
        let grouped = format!("({} OR [Unread] = True) AND [Size] > 1000", misses.join(" OR "));
        assert_eq!(select(&grouped), "c");
    }

    #[test]
    fn the_deepest_filter_the_parser_accepts_still_evaluates() {
        use super::super::syntax::MAX_DEPTH;
        // Every level a Not of a `<>` (itself a Not): the deepest restriction per level.
        let mut text = "[Subject] <> 'x'".to_owned();
        for level in 0..MAX_DEPTH / 2 {
            text = format!("[Subject] <> 'y{level}' And Not ({text})");
        }
        let parsed = parse(&text).unwrap();
        let restriction = to_restriction(&parsed, &mut resolve, &TimeZone::UTC).unwrap();
        for (_, row) in rows() {
            evaluate(&restriction, &row).unwrap();
        }
        restriction.encode(mapi::restriction::CountWidth::Bits16).unwrap();
    }

    #[test]
    fn jet_dates_are_local_time_and_dasl_dates_are_utc() {
        let zone = TimeZone::fixed(jiff::tz::offset(2));
        let jet = parse("[ReceivedTime] >= '2024-01-01 10:00'").unwrap();
        let dasl =
            parse("@SQL=\"urn:schemas:httpmail:datereceived\" >= '2024-01-01 08:00'").unwrap();
        let jet = to_restriction(&jet, &mut resolve, &zone).unwrap();
        let dasl = to_restriction(&dasl, &mut resolve, &zone).unwrap();
        assert_eq!(jet, dasl, "10:00 at UTC+2 is 08:00 UTC");
    }

    #[test]
    fn named_properties_use_the_store_mapping() {
        let parsed = parse("[Start] > '2024-05-01'").unwrap();
        let restriction = to_restriction(&parsed, &mut resolve, &TimeZone::UTC).unwrap();
        let json = serde_json::to_value(&restriction).unwrap().to_string();
        assert!(json.contains("0x80110040"), "{json}");
    }

    #[test]
    fn translation_errors_name_the_position() {
        let cases: &[(&str, usize, &str)] = &[
            ("[Nonsense] = 1", 1, "unknown property"),
            ("[Subject] = 5", 13, "expected a quoted string"),
            ("[ReceivedTime] > '31/12/2024'", 18, "not a date"),
            ("[ReceivedTime] > '2024-13-01'", 18, "not a date"),
            ("[ReceivedTime] > 5", 18, "quoted date"),
            ("[Size] > 'big'", 10, "a number"),
            ("[Unread] > True", 12, "only supports"),
            ("@SQL=\"urn:schemas:httpmail:subject\" LIKE 'a%b'", 42, "leading and/or trailing"),
            ("@SQL=\"urn:schemas:httpmail:importance\" LIKE '1%'", 6, "text property"),
            ("@SQL=\"http://schemas.microsoft.com/mapi/proptag/0x0037\" = 'x'", 6, "8 hex digits"),
            ("@SQL=\"urn:nothing\" = 'x'", 6, "unknown property"),
        ];
        for (filter, position, fragment) in cases {
            let parsed = parse(filter).unwrap_or_else(|e| panic!("{filter}: {e}"));
            let err = to_restriction(&parsed, &mut resolve, &TimeZone::UTC).expect_err(filter);
            assert_eq!(err.position, *position, "{filter}: {err}");
            assert!(err.message.contains(fragment), "{filter}: {err}");
        }
    }

    #[test]
    fn every_mapped_field_exists_in_the_catalog() {
        use super::super::fields::{DASL_FIELDS, JET_FIELDS};
        for (field, name) in JET_FIELDS.iter().chain(DASL_FIELDS) {
            assert!(
                catalog::by_name(name).is_some(),
                "{field} maps to {name}, missing from the catalog"
            );
        }
    }
}

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
    let Expr::Or(left, right) = filter.expr else { panic!("top is not Or") };
    assert!(matches!(*left, Expr::Compare { .. }));
    let Expr::And(not_b, c) = *right else { panic!("right of Or is not And") };
    assert!(matches!(*not_b, Expr::Not(_)));
    assert!(matches!(*c, Expr::Compare { .. }));
}

#[test]
fn parentheses_group() {
    let filter = parse("([A] = 1 or [B] = 2) and [C] = 3").unwrap();
    let Expr::And(left, _) = filter.expr else { panic!("top is not And") };
    assert!(matches!(*left, Expr::Or(..)));
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
    let Expr::And(left, right) = filter.expr else { panic!("not And") };
    assert!(
        matches!(*left, Expr::Compare { ref property, .. } if property.name.ends_with("0x0037001f"))
    );
    assert!(matches!(*right, Expr::IsNull { negated: true, .. }));
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
fn positions_count_characters_not_bytes() {
    let err = parse("[Betreff] = 'é' ?").unwrap_err();
    assert_eq!(err.position, 17);
}

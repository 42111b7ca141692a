//! The grammar's test tables and property tests.
use super::*;
use proptest::prelude::*;
use std::ops::Bound;
use FieldName::{Contents, Default, Path};

fn term(text: &str) -> QueryNode {
    QueryNode::Term {
        field: Default,
        text: text.into(),
    }
}
fn path_term(text: &str) -> QueryNode {
    QueryNode::Term {
        field: Path,
        text: text.into(),
    }
}
fn phrase(text: &str) -> QueryNode {
    QueryNode::Phrase {
        field: Default,
        text: text.into(),
        slop: 0,
    }
}
fn wildcard(pattern: &str) -> QueryNode {
    QueryNode::Wildcard {
        field: Default,
        pattern: pattern.into(),
    }
}
fn fuzzy(text: &str, distance: u8) -> QueryNode {
    QueryNode::Fuzzy {
        field: Default,
        text: text.into(),
        distance,
    }
}
fn boost(query: QueryNode, boost: f32) -> QueryNode {
    QueryNode::Boost {
        query: Box::new(query),
        boost,
    }
}
fn should(query: QueryNode) -> Clause {
    Clause {
        occur: Occur::Should,
        query,
    }
}
fn must(query: QueryNode) -> Clause {
    Clause {
        occur: Occur::Must,
        query,
    }
}
fn must_not(query: QueryNode) -> Clause {
    Clause {
        occur: Occur::MustNot,
        query,
    }
}
fn bool_(clauses: Vec<Clause>) -> QueryNode {
    QueryNode::Bool(clauses)
}
fn range(field: FieldName, lower: Bound<&str>, upper: Bound<&str>) -> QueryNode {
    QueryNode::Range {
        field,
        lower: lower.map(String::from),
        upper: upper.map(String::from),
    }
}

fn ok(input: &str) -> QueryNode {
    parse(input, DefaultOperator::Or)
        .unwrap_or_else(|e| panic!("{input:?}: {e}\n{}", e.caret_line(input)))
}

#[test]
fn lucene_syntax_page_examples() {
    use Bound::{Excluded, Included};
    let cases: Vec<(&str, QueryNode)> = vec![
        (
            "jakarta apache",
            bool_(vec![should(term("jakarta")), should(term("apache"))]),
        ),
        (
            r#"path:"The Right Way" AND contents:go"#,
            bool_(vec![
                must(QueryNode::Phrase {
                    field: Path,
                    text: "The Right Way".into(),
                    slop: 0,
                }),
                must(QueryNode::Term {
                    field: Contents,
                    text: "go".into(),
                }),
            ]),
        ),
        ("te?t", wildcard("te?t")),
        ("test*", wildcard("test*")),
        ("te*t", wildcard("te*t")),
        ("*test", wildcard("*test")),
        (r"te\*st*", wildcard(r"te\*st*")),
        ("roam~", fuzzy("roam", 2)),
        ("roam~1", fuzzy("roam", 1)),
        ("roam~0", fuzzy("roam", 0)),
        ("roam~0.8", fuzzy("roam", 0)),
        ("roam~0.5", fuzzy("roam", 2)),
        (
            r#""jakarta apache"~10"#,
            QueryNode::Phrase {
                field: Default,
                text: "jakarta apache".into(),
                slop: 10,
            },
        ),
        ("path:[a TO m]", range(Path, Included("a"), Included("m"))),
        ("path:{a TO m}", range(Path, Excluded("a"), Excluded("m"))),
        ("[a TO m}", range(Default, Included("a"), Excluded("m"))),
        (
            "path:[* TO m]",
            range(Path, Bound::Unbounded, Included("m")),
        ),
        (
            r#"["a b" TO "*"]"#,
            range(Default, Included("a b"), Included("*")),
        ),
        (
            "jakarta^4 apache",
            bool_(vec![
                should(boost(term("jakarta"), 4.0)),
                should(term("apache")),
            ]),
        ),
        (
            r#""jakarta apache"^4 "Apache Lucene""#,
            bool_(vec![
                should(boost(phrase("jakarta apache"), 4.0)),
                should(phrase("Apache Lucene")),
            ]),
        ),
        (
            r#""jakarta apache" jakarta"#,
            bool_(vec![
                should(phrase("jakarta apache")),
                should(term("jakarta")),
            ]),
        ),
        (
            r#""jakarta apache" OR jakarta"#,
            bool_(vec![
                should(phrase("jakarta apache")),
                should(term("jakarta")),
            ]),
        ),
        (
            r#""jakarta apache" AND "Apache Lucene""#,
            bool_(vec![
                must(phrase("jakarta apache")),
                must(phrase("Apache Lucene")),
            ]),
        ),
        (
            "+jakarta lucene",
            bool_(vec![must(term("jakarta")), should(term("lucene"))]),
        ),
        (
            r#""jakarta apache" NOT "Apache Lucene""#,
            bool_(vec![
                should(phrase("jakarta apache")),
                must_not(phrase("Apache Lucene")),
            ]),
        ),
        (
            r#"NOT "jakarta apache""#,
            bool_(vec![must_not(phrase("jakarta apache"))]),
        ),
        (
            r#""jakarta apache" -"Apache Lucene""#,
            bool_(vec![
                should(phrase("jakarta apache")),
                must_not(phrase("Apache Lucene")),
            ]),
        ),
        (
            "(jakarta OR apache) AND website",
            bool_(vec![
                must(bool_(vec![should(term("jakarta")), should(term("apache"))])),
                must(term("website")),
            ]),
        ),
        (
            r#"path:(+return +"pink panther")"#,
            bool_(vec![
                must(path_term("return")),
                must(QueryNode::Phrase {
                    field: Path,
                    text: "pink panther".into(),
                    slop: 0,
                }),
            ]),
        ),
        (r"\(1\+1\)\:2", term("(1+1):2")),
        (
            "/joh?n(ath[oa]n)/",
            QueryNode::Regex {
                field: Default,
                pattern: "joh?n(ath[oa]n)".into(),
            },
        ),
        (
            r"path:/src\/.*\.rs/",
            QueryNode::Regex {
                field: Path,
                pattern: r"src/.*\.rs".into(),
            },
        ),
        (
            "a && b || !c",
            bool_(vec![must(term("a")), must(term("b")), must_not(term("c"))]),
        ),
        ("foo-bar", term("foo-bar")),
        (
            "e-mail c++",
            bool_(vec![should(term("e-mail")), should(term("c++"))]),
        ),
        ("*:*", QueryNode::All),
        ("*", QueryNode::All),
        (
            "path:*",
            QueryNode::Wildcard {
                field: Path,
                pattern: "*".into(),
            },
        ),
        ("roam~1^2", boost(fuzzy("roam", 1), 2.0)),
        ("roam^2~1", boost(fuzzy("roam", 1), 2.0)),
        (
            "(a b)^3",
            boost(bool_(vec![should(term("a")), should(term("b"))]), 3.0),
        ),
        (
            "a^0.5 b^2.",
            bool_(vec![
                should(boost(term("a"), 0.5)),
                should(boost(term("b"), 2.0)),
            ]),
        ),
        (
            "path:[a TO m]^2",
            boost(range(Path, Included("a"), Included("m")), 2.0),
        ),
        (
            "and or not",
            bool_(vec![
                should(term("and")),
                should(term("or")),
                should(term("not")),
            ]),
        ),
        ("ANDROID", term("ANDROID")),
        ("(a)", term("a")),
        ("-a", bool_(vec![must_not(term("a"))])),
        ("+a", term("a")),
        (
            "a OR b AND c",
            bool_(vec![should(term("a")), must(term("b")), must(term("c"))]),
        ),
        (
            "a AND NOT b",
            bool_(vec![must(term("a")), must_not(term("b"))]),
        ),
        (
            "+a -b c",
            bool_(vec![
                must(term("a")),
                must_not(term("b")),
                should(term("c")),
            ]),
        ),
        // A `path:` clause beside a word with no operator filters (see `filters_required`).
        (
            "path:(a contents:b)",
            bool_(vec![
                must(QueryNode::Term {
                    field: Contents,
                    text: "b".into(),
                }),
                must(path_term("a")),
            ]),
        ),
        ("\"\"", phrase("")),
        (r#""say \"hi\"""#, phrase(r#"say "hi""#)),
    ];
    for (input, expected) in cases {
        assert_eq!(ok(input), expected, "{input:?}");
    }
}

#[test]
fn default_operator_and() {
    let and = |input| parse(input, DefaultOperator::And).unwrap();
    assert_eq!(and("a b"), bool_(vec![must(term("a")), must(term("b"))]));
    assert_eq!(
        and("a OR b"),
        bool_(vec![should(term("a")), should(term("b"))])
    );
    assert_eq!(
        and("a -b c"),
        bool_(vec![must(term("a")), must_not(term("b")), must(term("c"))])
    );
    assert_eq!(
        and("a b OR c"),
        bool_(vec![must(term("a")), should(term("b")), should(term("c"))])
    );
    assert_eq!(and("a"), term("a"));
}

#[test]
fn malformed_inputs() {
    let cases: &[(&str, &str, usize)] = &[
        ("\"unclosed", "unclosed quote", 0),
        ("(a OR", "'OR' needs a clause on both sides", 3),
        ("(a b", "unclosed '('", 0),
        ("(", "unclosed '('", 0),
        ("a OR", "'OR' needs a clause on both sides", 2),
        ("AND", "'AND' needs a clause on both sides", 0),
        ("AND a", "'AND' needs a clause on both sides", 0),
        ("a AND", "'AND' needs a clause on both sides", 2),
        ("a AND OR b", "'OR' needs a clause on both sides", 6),
        ("OR b", "'OR' needs a clause on both sides", 0),
        ("a &&", "'&&' needs a clause on both sides", 2),
        ("a^", "expected a number after '^'", 1),
        ("a^x", "expected a number after '^'", 1),
        ("a^1.2.3", "expected a number after '^'", 1),
        ("a^2^3", "only one '^'", 3),
        ("^2", "'^' must follow a clause", 0),
        ("[a TO", "unclosed range: expected ']' or '}'", 0),
        ("size:>=ten", "'ten' is not a size", 7),
        ("a modified:2024-13", "'2024-13' is not a date", 11),
        ("modified:>now-7x", "'now-7x' is not a date", 10),
        ("size:[1M TO big]", "'big' is not a size", 5),
        ("size:(1 2)", "size: takes a size", 5),
        ("modified:", "modified: takes a date", 9),
        ("size:1*", "size: takes a size", 5),
        ("[a b]", "expected 'TO' in range", 3),
        ("[a]", "expected 'TO' in range", 2),
        ("[a TO]", "expected an upper bound after 'TO'", 5),
        ("[a TO b c]", "expected ']' or '}'", 8),
        ("[]", "empty range", 1),
        ("a]", "unexpected ']'", 1),
        (")", "unexpected ')'", 0),
        ("a)", "unexpected ')'", 1),
        (
            "foo:bar",
            "unknown field 'foo': known fields are 'contents', 'title' (or 'subject'), 'path', 'type', 'from', 'to', 'modified', 'date' and 'size'",
            0,
        ),
        ("a b Path:c", "unknown field 'Path'", 4),
        ("a:", "unknown field 'a'", 0),
        (
            "path:",
            "expected a word, phrase, range or group after 'path:'",
            5,
        ),
        (
            "path:-a",
            "expected a word, phrase, range or group after 'path:'",
            5,
        ),
        ("*:a", "only '*' can follow '*:'", 2),
        (":a", "expected a field name before ':'", 0),
        ("", "empty query", 0),
        ("   ", "empty query", 0),
        ("roam~7", "fuzzy distance must be 0, 1 or 2", 4),
        ("roam~1.5", "fuzzy distance must be 0, 1 or 2", 4),
        ("roam~x", "fuzzy distance must be 0, 1 or 2", 4),
        ("roam~1~1", "only one '~'", 6),
        ("\"a b\"~x", "expected a number after '~'", 5),
        ("te*t~1", "'~' can only follow a word or a phrase", 4),
        ("(a)~1", "'~' can only follow a word or a phrase", 3),
        ("~1", "'~' must follow a word or a phrase", 0),
        (
            "/unclosed",
            "unclosed regular expression: add a closing '/'",
            0,
        ),
        ("a /b", "unclosed regular expression", 2),
        ("\\", "dangling '\\'", 0),
        ("ab\\", "dangling '\\'", 2),
        ("()", "empty group", 0),
        ("a - b", "'-' must be followed directly by a clause", 2),
        ("a -", "expected a clause after '-'", 2),
        ("NOT", "expected a clause after 'NOT'", 0),
        ("a AND NOT", "expected a clause after 'NOT'", 6),
        ("--a", "expected a clause after '-'", 0),
        ("(a -)", "expected a clause after '-'", 3),
        ("é \"ü", "unclosed quote", 2),
    ];
    for &(input, message, position) in cases {
        match parse(input, DefaultOperator::Or) {
            Ok(node) => panic!("{input:?} parsed to {node:?}, expected an error"),
            Err(e) => {
                assert!(
                    e.message.contains(message),
                    "{input:?}: got {:?}, expected {message:?}",
                    e.message
                );
                assert_eq!(
                    e.position,
                    position,
                    "{input:?}: {e}\n{}",
                    e.caret_line(input)
                );
            }
        }
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!("{}a{}", "(".repeat(5000), ")".repeat(5000));
    let error = parse(&deep, DefaultOperator::Or).unwrap_err();
    assert!(error.message.contains("too many nested parentheses"));
    let fine = format!("{}a{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
    assert_eq!(ok(&fine), term("a"));
}

#[test]
fn display_and_caret_line() {
    let error = parse("(a OR", DefaultOperator::Or).unwrap_err();
    assert_eq!(
        error.to_string(),
        "'OR' needs a clause on both sides at position 4"
    );
    assert_eq!(error.caret_line("(a OR"), "(a OR\n   ^");
    let error = parse("(a b", DefaultOperator::Or).unwrap_err();
    assert_eq!(error.caret_line("(a b"), "(a b\n^");
    assert_eq!(
        QuerySyntaxError::new("x", 2).caret_line("a\nbc"),
        "a bc\n  ^"
    );
}

proptest! {
    #[test]
    fn never_panics_on_special_characters(input in "[a-zA-Z0-9 \"()\\[\\]{}^~*?:\\\\/+!&|.-]{0,40}") {
        check(&input);
    }

    #[test]
    fn never_panics_on_keywords(parts in proptest::collection::vec(
        prop_oneof![
            Just("AND"), Just("OR"), Just("NOT"), Just("TO"), Just("path:"), Just("*:*"), Just("a"),
            Just("\""), Just("("), Just(")"), Just("["), Just("]"), Just("~1"), Just("^2"), Just(" "),
            Just("-"), Just("+"), Just("\\"), Just("/"), Just("é"),
        ],
        0..20,
    )) {
        check(&parts.concat());
    }

    #[test]
    fn never_panics_on_any_string(input in any::<String>()) {
        check(&input);
    }
}

#[test]
fn plain_words_are_listed_where_typed_with_their_field_and_exclusion() {
    let (_, words) = parse_with_words(
        "é kernl -(a \"b c\") contents:x\\y path:p d* f~ NOT g",
        DefaultOperator::Or,
    )
    .expect("parses");
    let listed: Vec<(usize, &str, &str, FieldName, bool)> = words
        .iter()
        .map(|w| {
            (
                w.position,
                w.raw.as_str(),
                w.text.as_str(),
                w.field,
                w.excluded,
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            (0, "é", "é", Default, false),
            (2, "kernl", "kernl", Default, false),
            (10, "a", "a", Default, true),
            (28, "x\\y", "xy", Contents, false),
            (37, "p", "p", Path, false),
            (49, "g", "g", Default, true),
        ]
    );
}

fn check(input: &str) {
    for operator in [DefaultOperator::Or, DefaultOperator::And] {
        if let Err(e) = parse(input, operator) {
            assert!(e.position <= input.chars().count(), "{input:?}: {e}");
            let _ = e.caret_line(input);
            let _ = e.to_string();
        }
    }
}

#[test]
fn filter_fields_beside_words_are_required() {
    let type_term = |text: &str| QueryNode::Term {
        field: FieldName::Type,
        text: text.into(),
    };
    assert_eq!(
        ok("type:pdf font encoding"),
        bool_(vec![
            must(bool_(vec![should(term("font")), should(term("encoding"))])),
            must(type_term("pdf")),
        ])
    );
    // Clauses on one field are alternatives; each field is required.
    assert_eq!(
        ok("font type:pdf path:a type:html"),
        bool_(vec![
            must(term("font")),
            must(bool_(vec![
                should(type_term("pdf")),
                should(type_term("html"))
            ])),
            must(path_term("a")),
        ])
    );
    // Operators written out keep Lucene's meaning.
    assert_eq!(
        ok("type:pdf OR font"),
        bool_(vec![should(type_term("pdf")), should(term("font"))])
    );
}

#[test]
fn spans_of_sizes_and_dates() {
    let span = |input: &str| match ok(input) {
        QueryNode::Span { start, end, .. } => (start, end),
        other => panic!("{input}: {other:?}"),
    };
    const MIB: u64 = 1 << 20;
    assert_eq!(span("size:>10M"), (10 * MIB + 1, u64::MAX));
    assert_eq!(span("size:{1M TO *]"), (MIB + 1, u64::MAX));
    assert_eq!(span("size:[1K TO 2K}"), (1024, 2048));
    const DAY: u64 = 86_400_000_000_000;
    let jan_1_2024 = 19_723 * DAY;
    assert_eq!(
        span("modified:[2024-01-01 TO 2024-06-30]"),
        (jan_1_2024, jan_1_2024 + 182 * DAY)
    );
    assert_eq!(span("modified:<2024"), (0, jan_1_2024));
    assert_eq!(span("modified:>2023"), (jan_1_2024, u64::MAX));
    assert_eq!(span("modified:>=2024-03").0, jan_1_2024 + 60 * DAY);
}

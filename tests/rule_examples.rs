//! Every shipped rule's `[[example]]` tables run here: `bad` must fire,
//! `good` must stay silent, `fixed` must be what --fix makes of `bad`.

use copydesk::examples::check_rule;
use copydesk::ruleset::RuleSet;

/// Every failing example of a rule set, one line each.
fn failures(set: &RuleSet) -> Vec<String> {
    set.iter()
        .flat_map(check_rule)
        .map(|f| format!("{}:{}: {}: {}", f.origin, f.line, f.rule, f.message))
        .collect()
}

#[test]
fn every_builtin_rule_passes_its_examples() {
    let set = RuleSet::builtin().unwrap_or_else(|errors| {
        panic!(
            "built-in rules failed to load:\n{}",
            errors
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    assert!(!set.is_empty());
    for rule in set.iter() {
        assert!(
            rule.examples().iter().any(|(e, _)| e.bad.is_some()),
            "{}: a rule needs at least one `bad` example",
            rule.id
        );
        assert!(
            rule.examples().iter().any(|(e, _)| e.good.is_some()),
            "{}: a rule needs at least one `good` example",
            rule.id
        );
    }
    let failures = failures(&set);
    assert!(
        failures.is_empty(),
        "failing examples:\n{}",
        failures.join("\n")
    );
}

#[test]
fn newsroom_rules_carry_six_examples_each_way() {
    let set = RuleSet::builtin().expect("built-in rules load");
    for id in [
        "repeated-paragraph",
        "headline-in-body",
        "name-form",
        "unsourced-figure",
    ] {
        let Some(rule) = set.get(id) else { continue };
        let bad = rule
            .examples()
            .iter()
            .filter(|(e, _)| e.bad.is_some())
            .count();
        let good = rule
            .examples()
            .iter()
            .filter(|(e, _)| e.good.is_some())
            .count();
        assert!(
            bad >= 6 && good >= 6,
            "{id}: {bad} bad and {good} good examples; six of each needed"
        );
    }
}

#[test]
fn messages_follow_conventions() {
    // Like clippy's: messages start lower-case and do not end with a period,
    // so they read well after "warning[rule]:".
    let set = RuleSet::builtin().expect("built-in rules load");
    for rule in set.iter() {
        let m = &rule.common.message;
        assert!(
            m.chars().next().is_some_and(|c| !c.is_uppercase()),
            "{}: message should start lower-case: {m:?}",
            rule.id
        );
        assert!(
            !m.ends_with('.'),
            "{}: message should not end with a period",
            rule.id
        );
        assert!(
            !rule.common.why.trim().is_empty(),
            "{}: needs a `why`",
            rule.id
        );
    }
}

#[test]
fn kind_parameter_examples_pass() {
    // tests/kinds holds small rule files that exercise the parameters the
    // shipped pack does not use (case-sensitive lists, `min`, title case with
    // proper nouns, unsafe fixes, choices without a fix, and so on).
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/kinds");
    let mut set = RuleSet::default();
    set.load_dir(&dir).unwrap_or_else(|errors| {
        panic!(
            "{}",
            errors
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    assert!(set.len() >= 10);
    let failures = failures(&set);
    assert!(
        failures.is_empty(),
        "failing examples:\n{}",
        failures.join("\n")
    );
    // Together with the pack, every kind has rules with examples.
    let builtin = RuleSet::builtin().expect("built-in rules load");
    for kind in copydesk::kinds::names() {
        assert!(
            builtin.iter().chain(set.iter()).any(|r| r.kind == kind),
            "no rule exercises the `{kind}` kind"
        );
    }
}

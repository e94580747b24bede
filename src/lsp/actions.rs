//! Code actions and hover for one checked document.

use std::collections::HashMap;
use std::ops::Range;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Hover, HoverContents, MarkupContent,
    MarkupKind, TextEdit, Uri, WorkspaceEdit,
};

use super::text::{Encoding, LineIndex};
use super::worker::{Diagnoser, check_text};
use crate::config::Settings;
use crate::document::Format;
use crate::finding::{Applicability, Finding};

/// A document as the actions see it: its text, its findings on that text
/// and the settings they came from.
pub struct View<'a> {
    pub uri: &'a Uri,
    pub text: &'a str,
    pub display: &'a str,
    pub findings: &'a [Finding],
    pub settings: &'a Settings,
    pub enc: Encoding,
}

/// Does a finding's span meet the byte range `want` (an empty range, a
/// cursor, meets a span it touches)?
fn meets(span: &Range<usize>, want: &Range<usize>) -> bool {
    span.start <= want.end && want.start <= span.end
}

impl View<'_> {
    /// The actions for the findings that meet `range`, then "fix all".
    pub fn code_actions(&self, range: lsp_types::Range) -> Vec<CodeActionOrCommand> {
        let diagnoser = Diagnoser::new(self.uri, self.text, self.settings, self.enc);
        let index = diagnoser.index();
        let want = index.offset(self.text, range.start, self.enc)
            ..index.offset(self.text, range.end, self.enc);
        let mut actions = Vec::new();
        let mut suppress = Vec::new();
        for f in self.findings.iter().filter(|f| meets(&f.span, &want)) {
            let diag = diagnoser.diagnostic(f);
            if let Some(fix) = f.fix.as_deref() {
                let safe = fix.applicability == Applicability::Safe;
                let edits = fix
                    .edits
                    .iter()
                    .map(|e| {
                        TextEdit::new(
                            index.range(self.text, &e.span, self.enc),
                            e.replacement.clone(),
                        )
                    })
                    .collect();
                actions.push(CodeAction {
                    title: if safe {
                        format!("Fix: {}", fix.description)
                    } else {
                        format!("Fix (unsafe, check the result): {}", fix.description)
                    },
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diag.clone()]),
                    edit: Some(self.edit(edits)),
                    is_preferred: Some(safe),
                    ..CodeAction::default()
                });
            }
            if let Some(action) = self.suppression(index, f, &diag) {
                suppress.push(action);
            }
        }
        actions.extend(suppress);
        if let Some(all) = self.fix_all(index) {
            actions.push(all);
        }
        actions
            .into_iter()
            .map(CodeActionOrCommand::CodeAction)
            .collect()
    }

    fn edit(&self, edits: Vec<TextEdit>) -> WorkspaceEdit {
        WorkspaceEdit {
            changes: Some(HashMap::from([(self.uri.clone(), edits)])),
            ..WorkspaceEdit::default()
        }
    }

    /// Every safe fix of the document, applied as `--fix` would (repeated
    /// until the text settles), as one edit of the stretch that changes.
    pub fn fix_all(&self, index: &LineIndex) -> Option<CodeAction> {
        let safe = self.findings.iter().any(|f| {
            f.fix
                .as_deref()
                .is_some_and(|x| x.applicability == Applicability::Safe)
        });
        if !safe {
            return None;
        }
        let fixed = crate::fix::fix_until_stable(self.text, self.findings.to_vec(), false, |t| {
            check_text(t, self.display, self.settings).unwrap_or_default()
        });
        if fixed.applied == 0 || fixed.text == self.text {
            return None;
        }
        let (span, replacement) = changed_stretch(self.text, &fixed.text);
        let edit = TextEdit::new(
            index.range(self.text, &span, self.enc),
            replacement.to_string(),
        );
        Some(CodeAction {
            title: format!(
                "Fix all safe problems in this file ({} fix{})",
                fixed.applied,
                if fixed.applied == 1 { "" } else { "es" }
            ),
            kind: Some(CodeActionKind::SOURCE_FIX_ALL),
            edit: Some(self.edit(vec![edit])),
            ..CodeAction::default()
        })
    }

    /// In Markdown, a comment that silences the finding's rule there: on
    /// the line before when the finding's line starts a block (a comment
    /// line there covers the next line), else around the paragraph, since a
    /// comment line inside a paragraph would split it in two. Plain text
    /// has no comments, so it gets none.
    fn suppression(
        &self,
        index: &LineIndex,
        f: &Finding,
        diag: &lsp_types::Diagnostic,
    ) -> Option<CodeAction> {
        if Format::from_path(self.display) != Format::Markdown
            || f.rule.as_ref() == crate::suppress::SUPPRESSION_RULE
        {
            return None;
        }
        let line = diag.range.start.line as usize;
        let start = index.line_start(line);
        let blank = |l: usize| {
            let s = index.line_start(l);
            let e = index.line_start(l + 1);
            self.text[s..e].trim().is_empty()
        };
        let eol = if self.text.contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        let at = |byte: usize| index.position(self.text, byte, self.enc);
        let (title, edits) = if line == 0 || blank(line - 1) {
            (
                format!("Suppress {} on this line", f.rule),
                vec![TextEdit::new(
                    lsp_types::Range::new(at(start), at(start)),
                    format!("<!-- copydesk-disable-next-line {} -->{eol}", f.rule),
                )],
            )
        } else {
            let mut first = line;
            while first > 0 && !blank(first - 1) {
                first -= 1;
            }
            let mut last = line;
            while index.line_start(last + 1) < self.text.len() && !blank(last + 1) {
                last += 1;
            }
            let para_start = index.line_start(first);
            let para_end = index.line_start(last + 1);
            let closes_line = self.text[..para_end].ends_with('\n');
            (
                format!("Suppress {} in this paragraph", f.rule),
                vec![
                    TextEdit::new(
                        lsp_types::Range::new(at(para_start), at(para_start)),
                        format!("<!-- copydesk-disable {} -->{eol}", f.rule),
                    ),
                    TextEdit::new(
                        lsp_types::Range::new(at(para_end), at(para_end)),
                        if closes_line {
                            format!("<!-- copydesk-enable {} -->{eol}", f.rule)
                        } else {
                            format!("{eol}<!-- copydesk-enable {} -->", f.rule)
                        },
                    ),
                ],
            )
        };
        Some(CodeAction {
            title,
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diag.clone()]),
            edit: Some(self.edit(edits)),
            is_preferred: Some(false),
            ..CodeAction::default()
        })
    }

    /// The rules of the findings under `pos`, explained.
    pub fn hover(&self, pos: lsp_types::Position) -> Option<Hover> {
        let index = LineIndex::new(self.text);
        let at = index.offset(self.text, pos, self.enc);
        let here: Vec<&Finding> = self
            .findings
            .iter()
            .filter(|f| meets(&f.span, &(at..at)))
            .collect();
        let first = here.first()?;
        let mut parts = Vec::new();
        let mut seen = Vec::new();
        for f in &here {
            parts.push(format!("**{}** ({}): {}", f.rule, f.severity, f.message));
        }
        for f in &here {
            if seen.contains(&f.rule.as_ref()) {
                continue;
            }
            seen.push(f.rule.as_ref());
            if let Some(rule) = self.settings.rules.get(&f.rule) {
                parts.push(format!(
                    "```text\n{}```",
                    crate::report::explain::explain(rule)
                ));
            }
        }
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: parts.join("\n\n"),
            }),
            range: Some(index.range(self.text, &first.span, self.enc)),
        })
    }
}

/// The smallest stretch of `old` that differs from `new`, and what `new`
/// has there.
fn changed_stretch<'n>(old: &str, new: &'n str) -> (Range<usize>, &'n str) {
    let prefix = old
        .char_indices()
        .zip(new.chars())
        .find(|((_, a), b)| a != b)
        .map_or(old.len().min(new.len()), |((i, _), _)| i);
    let (o, n) = (&old[prefix..], &new[prefix..]);
    let mut suffix = 0;
    for (a, b) in o.chars().rev().zip(n.chars().rev()) {
        if a != b || suffix + a.len_utf8() > o.len().min(n.len()) {
            break;
        }
        suffix += a.len_utf8();
    }
    (prefix..old.len() - suffix, &new[prefix..new.len() - suffix])
}

#[cfg(test)]
mod tests {
    use super::changed_stretch;

    #[test]
    fn the_changed_stretch_is_the_smallest_replacement() {
        let cases = [
            ("the the plan", "the plan"),
            ("abc", "abc"),
            ("aaa", "aaaa"),
            ("café, x", "café x"),
            ("", "new"),
            ("old", ""),
        ];
        for (old, new) in cases {
            let (span, with) = changed_stretch(old, new);
            let rebuilt = format!("{}{with}{}", &old[..span.start], &old[span.end..]);
            assert_eq!(rebuilt, new, "{old:?} -> {new:?}");
        }
        assert_eq!(changed_stretch("the the plan", "the plan").0.len(), 4);
    }
}

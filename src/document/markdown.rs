//! Markdown input: CommonMark via pulldown-cmark, with YAML (`---`) or TOML
//! (`+++`) front matter. Produces the prose mask and the raw units that the
//! shared classifier in `mod.rs` turns into blocks.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

use super::{Comment, HOLE, Hint, Unit};

pub struct Parsed {
    pub prose: Vec<u8>,
    pub units: Vec<Unit>,
    pub links: Vec<Range<usize>>,
    pub comments: Vec<Comment>,
    pub front_matter: Vec<(String, Range<usize>)>,
}

pub fn parse(text: &str) -> Parsed {
    let mut prose: Vec<u8> = text
        .bytes()
        .map(|b| if b == b'\n' || b == b'\r' { b } else { b' ' })
        .collect();
    let mut units = Vec::new();
    let mut links = Vec::new();
    let mut comments = Vec::new();
    let mut front_matter = Vec::new();

    let opts = Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
        | Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES;
    // Where prose text is being collected: depth of paragraph/heading/item.
    let mut prose_depth = 0usize;
    let mut in_metadata: Option<bool> = None; // Some(is_yaml)
    let mut image_depth = 0usize;
    let mut autolink_depth = 0usize;
    let mut code_block = false;
    // Item ranges waiting to know whether they hold paragraphs (tight
    // lists), with the headings and nested lists in them: those are units
    // of their own, and the item's own text is what lies between them
    // (taking the whole item as one unit checked their text twice).
    let mut items: Vec<(Range<usize>, bool, Vec<Range<usize>>)> = Vec::new();

    for (event, range) in Parser::new_ext(text, opts).into_offset_iter() {
        match event {
            Event::Start(Tag::MetadataBlock(kind)) => {
                in_metadata = Some(matches!(kind, pulldown_cmark::MetadataBlockKind::YamlStyle));
            }
            Event::End(TagEnd::MetadataBlock(_)) => in_metadata = None,
            Event::Text(_) if in_metadata.is_some() => {
                let yaml = in_metadata == Some(true);
                front_matter.extend(front_matter_fields(text, range, yaml));
            }
            Event::Start(Tag::CodeBlock(_)) => code_block = true,
            Event::End(TagEnd::CodeBlock) => code_block = false,
            Event::Start(Tag::Paragraph) => {
                prose_depth += 1;
                if let Some(item) = items.last_mut() {
                    item.1 = true;
                }
                units.push(Unit {
                    span: range,
                    hint: Hint::Paragraph,
                });
            }
            Event::End(TagEnd::Paragraph) => prose_depth -= 1,
            Event::Start(Tag::Heading { level, .. }) => {
                prose_depth += 1;
                // A heading in a list item is a unit of its own ("1. #
                // Title", or a line underlined with "-" in an item).
                if let Some(item) = items.last_mut() {
                    item.2.push(range.clone());
                }
                units.push(Unit {
                    span: range,
                    hint: Hint::Heading(level as u8),
                });
            }
            Event::End(TagEnd::Heading(_)) => prose_depth -= 1,
            Event::Start(Tag::Item) => {
                prose_depth += 1;
                items.push((range, false, Vec::new()));
            }
            Event::End(TagEnd::Item) => {
                prose_depth -= 1;
                if let Some((r, had_paragraph, inner)) = items.pop()
                    && !had_paragraph
                {
                    // The stretches between its headings and nested lists
                    // (an empty one is dropped with the other empty units).
                    let mut at = r.start;
                    for c in inner.iter().chain([&(r.end..r.end)]) {
                        if c.start > at {
                            units.push(Unit {
                                span: at..c.start,
                                hint: Hint::Paragraph,
                            });
                        }
                        at = at.max(c.end);
                    }
                }
            }
            Event::Start(Tag::List(_)) => {
                if let Some(item) = items.last_mut() {
                    item.2.push(range);
                }
            }
            Event::Start(Tag::Image { .. }) => image_depth += 1,
            Event::End(TagEnd::Image) => image_depth -= 1,
            Event::Start(Tag::Link { link_type, .. }) => {
                links.push(range.clone());
                if matches!(link_type, LinkType::Autolink | LinkType::Email) {
                    autolink_depth += 1;
                }
            }
            Event::End(TagEnd::Link) => {
                autolink_depth = autolink_depth.saturating_sub(1);
            }
            Event::Text(_) if prose_depth > 0 && image_depth == 0 && !code_block => {
                if autolink_depth > 0 {
                    fill(&mut prose, range, HOLE);
                } else {
                    prose[range.clone()].copy_from_slice(&text.as_bytes()[range]);
                }
            }
            Event::Code(_) | Event::InlineMath(_) | Event::DisplayMath(_) => {
                fill(&mut prose, range, HOLE)
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                let s = &text[range.clone()];
                if let Some(start) = s.find("<!--")
                    && let Some(end) = s[start + 4..].find("-->")
                {
                    let body_start = range.start + start + 4;
                    let body_end = body_start + end;
                    comments.push(Comment {
                        body: text[body_start..body_end].trim().to_string(),
                        span: range.start + start..body_end + 3,
                    });
                }
                if prose_depth > 0 {
                    fill(&mut prose, range, HOLE);
                }
            }
            _ => {}
        }
    }
    // A unit with a nested list item would cover the item too: keep units in
    // source order for the classifier.
    units.sort_by_key(|u| (u.span.start, u.span.end));
    Parsed {
        prose,
        units,
        links,
        comments,
        front_matter,
    }
}

fn fill(prose: &mut [u8], range: Range<usize>, byte: u8) {
    for b in &mut prose[range] {
        if *b != b'\n' && *b != b'\r' {
            *b = byte;
        }
    }
}

/// Top-level string fields of front matter, with the byte range of each value.
/// Only scalar strings matter here (title, headline, deck, subtitle,
/// description); anything else is ignored.
fn front_matter_fields(text: &str, range: Range<usize>, yaml: bool) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let block = &text[range.clone()];
    if !yaml {
        if let Ok(table) = toml::de::DeTable::parse(block) {
            for (key, value) in table.get_ref() {
                if let toml::de::DeValue::String(_) = value.get_ref() {
                    let span = value.span();
                    let raw = &block[span.clone()];
                    let inner = strip_quotes(raw);
                    let start = range.start
                        + span.start
                        + (raw.len() - raw.trim_start_matches(['"', '\'']).len());
                    out.push((key.get_ref().to_string(), start..start + inner.len()));
                }
            }
        }
        return out;
    }
    let mut offset = range.start;
    for line in block.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if !content.starts_with([' ', '\t', '-', '#'])
            && let Some(colon) = content.find(':')
        {
            let key = content[..colon].trim();
            let raw_value = &content[colon + 1..];
            let value = raw_value.trim();
            if !key.is_empty()
                && !value.is_empty()
                && !value.starts_with(['|', '>', '[', '{', '&', '*'])
            {
                let inner = strip_quotes(value);
                let lead = raw_value.len() - raw_value.trim_start().len();
                let quote = if inner.len() < value.len() { 1 } else { 0 };
                let start = offset + colon + 1 + lead + quote;
                out.push((key.to_string(), start..start + inner.len()));
            }
        }
        offset += line.len();
    }
    out
}

fn strip_quotes(s: &str) -> &str {
    let s = s.trim();
    for q in ['"', '\''] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return &s[1..s.len() - 1];
        }
    }
    s
}

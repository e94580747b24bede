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
    pub front_matter: FrontMatter,
}

pub fn parse(text: &str) -> Parsed {
    let mut prose: Vec<u8> = text
        .bytes()
        .map(|b| if b == b'\n' || b == b'\r' { b } else { b' ' })
        .collect();
    let mut units = Vec::new();
    let mut links = Vec::new();
    let mut comments = Vec::new();
    let mut fields = Vec::new();

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
                fields.extend(front_matter_fields(text, range, yaml));
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
    // The headline and deck written in front matter are prose where the
    // file holds their text: every rule reads them as it reads a headline
    // or deck in the body.
    let front_matter = FrontMatter::of(&fields);
    for f in [&front_matter.headline, &front_matter.deck]
        .into_iter()
        .flatten()
    {
        if let Some(r) = &f.span {
            prose[r.clone()].copy_from_slice(&text.as_bytes()[r.clone()]);
        }
    }
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

/// A headline or deck written in front matter: its text, and the byte
/// range of that text in the file when the file holds it character for
/// character (a value written with escapes has no such range).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub text: String,
    pub span: Option<Range<usize>>,
}

/// The front matter's headline and deck, chosen by key among the fields
/// that name them (the first key of each list that the front matter has).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrontMatter {
    pub headline: Option<Field>,
    pub deck: Option<Field>,
}

const HEADLINE_KEYS: &[&str] = &["headline", "title"];
const DECK_KEYS: &[&str] = &["deck", "subtitle", "standfirst", "subhead", "description"];

impl FrontMatter {
    fn of(fields: &[(String, Field)]) -> FrontMatter {
        let pick = |keys: &[&str]| {
            keys.iter().find_map(|k| {
                fields
                    .iter()
                    .find(|(key, _)| key.eq_ignore_ascii_case(k))
                    .map(|(_, f)| f.clone())
            })
        };
        FrontMatter {
            headline: pick(HEADLINE_KEYS),
            deck: pick(DECK_KEYS),
        }
    }
}

/// Top-level string fields of front matter, with where each value's text
/// stands in the file. Only scalar strings matter here (title, headline,
/// deck, subtitle, description); anything else is ignored.
fn front_matter_fields(text: &str, range: Range<usize>, yaml: bool) -> Vec<(String, Field)> {
    let mut out = Vec::new();
    let block = &text[range.clone()];
    if !yaml {
        if let Ok(table) = toml::de::DeTable::parse(block) {
            for (key, value) in table.get_ref() {
                if let toml::de::DeValue::String(decoded) = value.get_ref() {
                    let span = value.span();
                    let raw = &block[span.clone()];
                    // A one-line string whose text is the file's own
                    // characters (no escapes) has a place; a multi-line
                    // or escaped one does not.
                    let one_line = !raw.starts_with("\"\"\"") && !raw.starts_with("'''");
                    let place = (one_line && raw.len() >= 2 && raw[1..raw.len() - 1] == **decoded)
                        .then(|| range.start + span.start + 1..range.start + span.end - 1);
                    if !decoded.trim().is_empty() {
                        out.push((
                            key.get_ref().to_string(),
                            Field {
                                text: decoded.to_string(),
                                span: place,
                            },
                        ));
                    }
                }
            }
        }
        return out;
    }
    let lines: Vec<&str> = block.split_inclusive('\n').collect();
    let mut offset = range.start;
    for (i, line) in lines.iter().enumerate() {
        let content = line.trim_end_matches(['\n', '\r']);
        // A value continued on the next, indented line is a multi-line
        // scalar: the one line does not hold its text.
        let continued = lines
            .get(i + 1)
            .is_some_and(|next| next.starts_with([' ', '\t']) && !next.trim().is_empty());
        if !continued
            && !content.starts_with([' ', '\t', '-', '#'])
            && let Some(colon) = content.find(':')
        {
            let key = content[..colon].trim();
            let after = &content[colon + 1..];
            if !key.is_empty()
                && after.starts_with([' ', '\t'])
                && let Some((value, place)) = yaml_scalar(after)
            {
                let at = offset + colon + 1;
                let span = place.map(|r| at + r.start..at + r.end);
                out.push((key.to_string(), Field { text: value, span }));
            }
        }
        offset += line.len();
    }
    out
}

/// A YAML scalar written on one line after its key's colon (`raw` starts
/// with the space after the colon): its text, and the range of `raw` that
/// holds that text character for character, which a quoted value with
/// escapes (`\"`, `''`) has not. `None` for what is not a one-line string
/// (a block scalar, a list, a map, an alias, an unclosed quote) or is empty.
fn yaml_scalar(raw: &str) -> Option<(String, Option<Range<usize>>)> {
    let lead = raw.len() - raw.trim_start().len();
    let v = &raw[lead..];
    let (text, place, rest) = match v.chars().next()? {
        '"' => {
            let mut escaped = false;
            let mut close = None;
            for (i, c) in v.char_indices().skip(1) {
                match c {
                    '\\' if !escaped => escaped = true,
                    '"' if !escaped => {
                        close = Some(i);
                        break;
                    }
                    _ => escaped = false,
                }
            }
            let close = close?;
            let inner = &v[1..close];
            if inner.contains('\\') {
                (unescape_double(inner)?, None, &v[close + 1..])
            } else {
                let place = lead + 1..lead + close;
                (inner.to_string(), Some(place), &v[close + 1..])
            }
        }
        '\'' => {
            let bytes = v.as_bytes();
            let mut i = 1;
            let close = loop {
                match bytes.get(i)? {
                    b'\'' if bytes.get(i + 1) == Some(&b'\'') => i += 2,
                    b'\'' => break i,
                    _ => i += 1,
                }
            };
            let inner = &v[1..close];
            if inner.contains("''") {
                (inner.replace("''", "'"), None, &v[close + 1..])
            } else {
                let place = lead + 1..lead + close;
                (inner.to_string(), Some(place), &v[close + 1..])
            }
        }
        '|' | '>' | '[' | '{' | '&' | '*' | '!' | '%' | '@' | '`' | '#' => return None,
        _ => {
            // A plain scalar ends where a comment (` #`) starts.
            let end = v
                .char_indices()
                .find(|&(i, c)| c == '#' && v[..i].ends_with([' ', '\t']))
                .map_or(v.len(), |(i, _)| i);
            let t = v[..end].trim_end();
            (t.to_string(), Some(lead..lead + t.len()), "")
        }
    };
    // After a closing quote, only a comment may follow.
    let rest = rest.trim_start();
    if !(rest.is_empty() || rest.starts_with('#')) || text.trim().is_empty() {
        return None;
    }
    Some((text, place))
}

/// The text of a double-quoted YAML scalar's inside, for the common
/// escapes; `None` for one it does not know.
fn unescape_double(inner: &str) -> Option<String> {
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        out.push(match chars.next()? {
            '"' => '"',
            '\\' => '\\',
            '/' => '/',
            't' => '\t',
            'n' => '\n',
            ' ' => ' ',
            _ => return None,
        });
    }
    Some(out)
}

//! The page `GET /` answers: one self-contained HTML document (its styles
//! and scripts inline, nothing fetched but this server's API). The story
//! is drawn by the renderer the HTML report uses (`report::web`).

use crate::report::web::{STORY_CSS, STORY_JS};

/// The page.
pub fn html() -> String {
    let page = include_str!("assets/page.html");
    let mut out = String::with_capacity(
        page.len()
            + STORY_CSS.len()
            + STORY_JS.len()
            + include_str!("assets/page.css").len()
            + include_str!("assets/page.js").len(),
    );
    let (head, rest) = page.split_once("/*STYLES*/").unwrap_or((page, ""));
    let (middle, tail) = rest.split_once("/*SCRIPTS*/").unwrap_or((rest, ""));
    out.push_str(head);
    out.push_str(STORY_CSS);
    out.push_str(include_str!("assets/page.css"));
    out.push_str(middle);
    out.push_str(&script(STORY_JS));
    out.push_str(&script(include_str!("assets/page.js")));
    out.push_str(tail);
    out
}

/// A script's text as it may stand inside `<script>`: a `</` would end the
/// element early.
fn script(js: &str) -> String {
    js.replace("</", "<\\/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_holds_its_styles_and_scripts() {
        let page = html();
        assert!(!page.contains("/*STYLES*/") && !page.contains("/*SCRIPTS*/"));
        assert!(page.contains("Copydesk.renderStory"));
        assert!(page.contains(".cd-text"));
        // Nothing is fetched from elsewhere.
        assert!(!page.contains("src=\"http") && !page.contains("href=\"http"));
        // Only the page's own closing tags: no script text ends early.
        assert_eq!(page.matches("</script>").count(), 1);
    }
}

//! The page `GET /` answers: one self-contained HTML document (its CSS and
//! scripts inline, nothing fetched but this server's API).

/// The page.
pub fn html() -> String {
    include_str!("assets/page.html")
        .replace("/*PAGE_CSS*/", include_str!("assets/page.css"))
        .replace("/*PAGE_JS*/", include_str!("assets/page.js"))
}

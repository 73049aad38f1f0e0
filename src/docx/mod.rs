//! Word documents (`--docx`): a print page → a `.docx` on GB/T 9704-2012 geometry.
//!
//! Takes a print page's HTML (the same page the PDF is printed from, so a document changes
//! exactly when its page does) and gives the bytes of a WordprocessingML package: A4, margins
//! 37/35/28/26 mm mirrored, the body on a grid of 22 lines (28 characters a line) in 三号 仿宋, the
//! 简报's 版头 in red 小标宋 over a red rule, 版记 between rules, `— 1 —` page numbers, tables
//! as Word tables and charts as pictures.
//!
//! The XML is written here rather than with docx-rs: docx-rs numbers pictures from a
//! process-wide counter (two builds, or two documents made in parallel, would differ), stamps
//! the zip entries with the time, and decodes every picture with the `image` crate; the
//! pieces the standard needs (`w:eastAsia` fonts with fallbacks in the font table, mirrored
//! margins, the document grid, a PAGE field between dashes, paragraph borders, repeated
//! header rows, inline pictures) are a few hundred lines of XML.

mod dom;
mod html;
mod ooxml;
mod picture;

/// Bumped when the documents made from the same page change, so the next build makes them
/// again instead of keeping the old ones.
pub const VERSION: u32 = 1;

/// Makes the Word document of a print page.
pub fn from_print_page(html: &str) -> Result<Vec<u8>, String> {
    let doc = html::read(html);
    ooxml::package(&doc)
}

/// A document read from a print page.
#[derive(Debug)]
struct Document {
    /// The page's `<title>`, for the document's properties.
    title: String,
    blocks: Vec<Block>,
}

/// A paragraph style of the documents, each a style of `styles.xml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// The 简报's name in the 版头, red 小标宋.
    Masthead,
    /// The site's name over a newspaper-style page, red 小标宋, smaller.
    SiteName,
    /// 第N期.
    IssueNo,
    /// The issue's own title (专刊).
    Subject,
    /// 引题.
    Kicker,
    /// 主题: the headline, 二号 小标宋.
    Title,
    /// 副题.
    Subtitle,
    /// 作者, 来源.
    Byline,
    /// Body text, 三号 仿宋, first line indented two characters.
    Body,
    /// First-level heading (一、), 黑体.
    Heading1,
    /// Second-level heading (（一）), 楷体.
    Heading2,
    /// Third-level heading (1.), 仿宋 bold.
    Heading3,
    /// A list item.
    ListItem,
    /// A figure's caption.
    Caption,
    /// 作者 note, in parentheses after the body.
    AuthorNote,
}

/// A stretch of text with one formatting.
#[derive(Debug, Clone, Default)]
struct Run {
    text: String,
    bold: bool,
    /// 楷体 (emphasis).
    kai: bool,
    /// 黑体 (the 电头).
    hei: bool,
    superscript: bool,
    /// A line break, not text.
    is_break: bool,
}

#[derive(Debug)]
enum Block {
    Para {
        style: Style,
        runs: Vec<Run>,
    },
    /// 编印单位 on the left, the date on the right, over the red rule.
    Meta {
        left: String,
        right: String,
    },
    Table {
        rows: Vec<Vec<String>>,
        /// How many leading rows are headers (repeated on every page).
        header_rows: usize,
        /// Whether each row starts with its own header cell (the unit's name).
        row_headers: bool,
    },
    /// A chart, drawn to a picture when the document is written.
    Chart {
        svg: String,
        alt: String,
    },
    /// A photo.
    Image {
        bytes: Vec<u8>,
        ext: &'static str,
        width: u32,
        height: u32,
        alt: String,
    },
    /// The 版记: recipients (报/送/发) between rules, then the unit and 共印N份.
    Tail {
        lines: Vec<String>,
        left: String,
        right: String,
    },
}

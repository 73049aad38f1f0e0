//! The WordprocessingML package: document, styles, settings, font table, footers, pictures,
//! zipped with fixed timestamps so the same page gives the same bytes.

use std::fmt::Write as _;
use std::io::Write as _;

use super::picture;
use super::{Block, Document, Run, Style};

/// 方正小标宋简体: the standard's face for the masthead and titles.
const XIAOBIAOSONG: &str = "方正小标宋简体";
/// 仿宋_GB2312: the standard's body face.
const FANGSONG: &str = "仿宋_GB2312";
const HEITI: &str = "黑体";
const KAITI: &str = "楷体_GB2312";
const SONGTI: &str = "宋体";
/// Latin letters and figures.
const LATIN: &str = "Times New Roman";

/// Twips (1/20 pt) in a millimetre.
fn mm(v: f64) -> i64 {
    (v * 1440.0 / 25.4).round() as i64
}

/// A4 and the GB/T 9704 margins: top 37, bottom 35, inside 28, outside 26 mm (type area
/// 156 × 225 mm).
const PAGE_W_MM: f64 = 210.0;
const PAGE_H_MM: f64 = 297.0;
const TOP_MM: f64 = 37.0;
const BOTTOM_MM: f64 = 35.0;
const INSIDE_MM: f64 = 28.0;
const OUTSIDE_MM: f64 = 26.0;
const LINES: f64 = 22.0;
const CHARS: f64 = 28.0;
/// The body size, 三号, in points.
const BODY_PT: f64 = 16.0;

fn text_width_mm() -> f64 {
    PAGE_W_MM - INSIDE_MM - OUTSIDE_MM
}

/// The line pitch of the document grid, in twips: 225 mm over 22 lines.
fn line_pitch() -> i64 {
    ((PAGE_H_MM - TOP_MM - BOTTOM_MM) / LINES * 1440.0 / 25.4).floor() as i64
}

/// The character spacing (twips) that fits 28 characters of 三号 in 156 mm: each character
/// 0.25 pt narrower (15.79 pt would be exact; 15.75 pt leaves room for rounding).
///
/// Set on the text rather than as a `linesAndChars` grid's `w:charSpace`: LibreOffice reads a
/// negative `charSpace` as a wider pitch (21 characters a line, measured), while condensed
/// text gives 28 in Word, WPS and LibreOffice alike.
fn condense() -> i64 {
    let pitch_pt = text_width_mm() / CHARS * 72.0 / 25.4;
    ((pitch_pt - BODY_PT) * 20.0).floor() as i64
}

/// English Metric Units in a millimetre (pictures are sized in EMU).
const EMU_PER_MM: f64 = 36000.0;

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

const W_NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

/// Run fonts: the East Asian slot set (the slot Chinese text takes), Latin text in
/// Times New Roman.
fn fonts(east_asia: &str) -> String {
    format!(
        r#"<w:rFonts w:ascii="{LATIN}" w:hAnsi="{LATIN}" w:eastAsia="{east_asia}" w:cs="{LATIN}"/>"#
    )
}

/// A font of the font table, with the face Word and WPS use where it is missing
/// (`w:altName`) and the GB2312 character set, so a substitute is a Chinese face.
fn font_entry(name: &str, alt: &str, family: &str) -> String {
    format!(
        r#"<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>"#
    )
}

fn font_table() -> String {
    let mut s = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:fonts {W_NS}>"#
    );
    s.push_str(&font_entry(XIAOBIAOSONG, "宋体", "roman"));
    s.push_str(&font_entry(FANGSONG, "仿宋", "modern"));
    s.push_str(&font_entry(KAITI, "楷体", "modern"));
    s.push_str(&font_entry(HEITI, "SimHei", "modern"));
    s.push_str(&font_entry(SONGTI, "SimSun", "auto"));
    s.push_str(&format!(
        r#"<w:font w:name="{LATIN}"><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>"#
    ));
    s.push_str("</w:fonts>");
    s
}

/// One paragraph style: its font, size (half-points), alignment and the rest.
struct StyleDef {
    id: &'static str,
    name: &'static str,
    font: &'static str,
    half_pt: u32,
    ppr: &'static str,
    rpr: &'static str,
    outline: Option<u8>,
}

fn style_def(s: Style) -> StyleDef {
    let d = |id, name, font, half_pt, ppr, rpr| StyleDef {
        id,
        name,
        font,
        half_pt,
        ppr,
        rpr,
        outline: None,
    };
    const CENTER: &str = r#"<w:jc w:val="center"/>"#;
    const INDENT: &str = r#"<w:ind w:firstLineChars="200" w:firstLine="640"/><w:jc w:val="both"/>"#;
    match s {
        Style::Masthead => d(
            "Masthead",
            "简报名称",
            XIAOBIAOSONG,
            72,
            r#"<w:spacing w:before="240" w:after="120" w:line="240" w:lineRule="auto"/><w:snapToGrid w:val="0"/><w:jc w:val="center"/>"#,
            r#"<w:color w:val="FF0000"/>"#,
        ),
        Style::SiteName => d(
            "SiteName",
            "报头",
            XIAOBIAOSONG,
            44,
            CENTER,
            r#"<w:color w:val="FF0000"/>"#,
        ),
        Style::IssueNo => d("IssueNo", "期号", FANGSONG, 32, CENTER, ""),
        Style::Subject => d(
            "Subject",
            "专刊",
            XIAOBIAOSONG,
            44,
            r#"<w:keepNext/><w:jc w:val="center"/>"#,
            "",
        ),
        Style::Kicker => d(
            "Kicker",
            "引题",
            KAITI,
            32,
            r#"<w:keepNext/><w:spacing w:before="290"/><w:jc w:val="center"/>"#,
            "",
        ),
        Style::Title => d(
            "Title",
            "主题",
            XIAOBIAOSONG,
            44,
            r#"<w:keepNext/><w:jc w:val="center"/>"#,
            "",
        ),
        Style::Subtitle => d(
            "Subtitle",
            "副题",
            KAITI,
            32,
            r#"<w:keepNext/><w:jc w:val="center"/>"#,
            "",
        ),
        Style::Byline => d(
            "Byline",
            "作者",
            KAITI,
            32,
            r#"<w:keepNext/><w:jc w:val="center"/>"#,
            "",
        ),
        Style::Body => d("BodyText", "正文", FANGSONG, 32, INDENT, ""),
        Style::ListItem => d("ListItem", "列表", FANGSONG, 32, INDENT, ""),
        Style::AuthorNote => d("AuthorNote", "作者简介", FANGSONG, 32, INDENT, ""),
        Style::Heading1 => StyleDef {
            outline: Some(0),
            ..d(
                "Heading1",
                "heading 1",
                HEITI,
                32,
                r#"<w:keepNext/><w:ind w:firstLineChars="200" w:firstLine="640"/>"#,
                "",
            )
        },
        Style::Heading2 => StyleDef {
            outline: Some(1),
            ..d(
                "Heading2",
                "heading 2",
                KAITI,
                32,
                r#"<w:keepNext/><w:ind w:firstLineChars="200" w:firstLine="640"/>"#,
                "",
            )
        },
        Style::Heading3 => StyleDef {
            outline: Some(2),
            ..d(
                "Heading3",
                "heading 3",
                FANGSONG,
                32,
                r#"<w:keepNext/><w:ind w:firstLineChars="200" w:firstLine="640"/>"#,
                "<w:b/>",
            )
        },
        Style::Caption => d(
            "Caption",
            "caption",
            KAITI,
            28,
            r#"<w:snapToGrid w:val="0"/><w:spacing w:after="120"/><w:jc w:val="center"/>"#,
            "",
        ),
    }
}

const ALL_STYLES: [Style; 15] = [
    Style::Masthead,
    Style::SiteName,
    Style::IssueNo,
    Style::Subject,
    Style::Kicker,
    Style::Title,
    Style::Subtitle,
    Style::Byline,
    Style::Body,
    Style::Heading1,
    Style::Heading2,
    Style::Heading3,
    Style::ListItem,
    Style::Caption,
    Style::AuthorNote,
];

fn styles() -> String {
    let mut s = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {W_NS}><w:docDefaults><w:rPrDefault><w:rPr>{}<w:kern w:val="2"/><w:spacing w:val="{}"/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>"#,
        fonts(FANGSONG),
        condense()
    );
    s.push_str(r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>"#);
    for st in ALL_STYLES {
        let d = style_def(st);
        let outline = d
            .outline
            .map(|l| format!(r#"<w:outlineLvl w:val="{l}"/>"#))
            .unwrap_or_default();
        let _ = write!(
            s,
            r#"<w:style w:type="paragraph" w:customStyle="1" w:styleId="{}"><w:name w:val="{}"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr>{}{outline}</w:pPr><w:rPr>{}{}<w:sz w:val="{}"/><w:szCs w:val="{}"/></w:rPr></w:style>"#,
            d.id,
            d.name,
            d.ppr,
            fonts(d.font),
            d.rpr,
            d.half_pt,
            d.half_pt
        );
    }
    let _ = write!(
        s,
        r#"<w:style w:type="paragraph" w:customStyle="1" w:styleId="TableText"><w:name w:val="表格"/><w:basedOn w:val="Normal"/><w:pPr><w:snapToGrid w:val="0"/><w:jc w:val="center"/></w:pPr><w:rPr>{}<w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>"#,
        fonts(FANGSONG)
    );
    let _ = write!(
        s,
        r#"<w:style w:type="paragraph" w:customStyle="1" w:styleId="Tail"><w:name w:val="版记"/><w:basedOn w:val="Normal"/><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:before="60" w:after="60"/><w:ind w:left="316" w:right="316"/><w:jc w:val="left"/></w:pPr><w:rPr>{}<w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>"#,
        fonts(FANGSONG)
    );
    let _ = write!(
        s,
        r#"<w:style w:type="paragraph" w:customStyle="1" w:styleId="PageNumber"><w:name w:val="页码"/><w:basedOn w:val="Normal"/><w:pPr><w:snapToGrid w:val="0"/></w:pPr><w:rPr>{}<w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>"#,
        fonts(SONGTI)
    );
    let _ = write!(
        s,
        r#"<w:style w:type="paragraph" w:customStyle="1" w:styleId="Picture"><w:name w:val="图"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:snapToGrid w:val="0"/><w:spacing w:before="120"/><w:jc w:val="center"/></w:pPr></w:style>"#
    );
    s.push_str("</w:styles>");
    s
}

fn settings() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings {W_NS}><w:mirrorMargins/><w:evenAndOddHeaders/><w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/><w:compat><w:spaceForUL/><w:balanceSingleByteDoubleByteWidth/><w:doNotLeaveBackslashAlone/><w:ulTrailSpace/><w:doNotExpandShiftReturn/><w:adjustLineHeightInTable/><w:useFELayout/><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat><w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/></w:settings>"#
    )
}

/// A footer with the page number as `— 1 —` (四号 宋体): odd pages on the right, even pages
/// on the left, each a character in from the edge, as GB/T 9704 places them.
fn footer(odd: bool) -> String {
    let (jc, ind) = if odd {
        ("right", r#"<w:ind w:right="280"/>"#)
    } else {
        ("left", r#"<w:ind w:left="280"/>"#)
    };
    let t = |s: &str| format!(r#"<w:r><w:t xml:space="preserve">{s}</w:t></w:r>"#);
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr {W_NS}><w:p><w:pPr><w:pStyle w:val="PageNumber"/>{ind}<w:jc w:val="{jc}"/></w:pPr>{}<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>{}</w:p></w:ftr>"#,
        t("— "),
        t(" —"),
    )
}

/// The body of `word/document.xml`, with the pictures it refers to.
struct Body {
    xml: String,
    /// Pictures: file name under word/media/ and bytes, in order.
    media: Vec<(String, Vec<u8>)>,
}

impl Body {
    fn run(&mut self, r: &Run) {
        if r.is_break {
            self.xml.push_str("<w:r><w:br/></w:r>");
            return;
        }
        self.xml.push_str("<w:r>");
        if r.bold || r.kai || r.hei || r.superscript {
            self.xml.push_str("<w:rPr>");
            if r.hei {
                self.xml.push_str(&fonts(HEITI));
            } else if r.kai {
                self.xml.push_str(&fonts(KAITI));
            }
            if r.bold {
                self.xml.push_str("<w:b/><w:bCs/>");
            }
            if r.superscript {
                self.xml.push_str(r#"<w:vertAlign w:val="superscript"/>"#);
            }
            self.xml.push_str("</w:rPr>");
        }
        let _ = write!(
            self.xml,
            r#"<w:t xml:space="preserve">{}</w:t></w:r>"#,
            esc(&r.text)
        );
    }

    fn para(&mut self, style: Style, runs: &[Run]) {
        let _ = write!(
            self.xml,
            r#"<w:p><w:pPr><w:pStyle w:val="{}"/></w:pPr>"#,
            style_def(style).id
        );
        for r in runs {
            self.run(r);
        }
        self.xml.push_str("</w:p>");
    }

    fn plain(&mut self, ppr: &str, text: &str) {
        let _ = write!(
            self.xml,
            r#"<w:p><w:pPr>{ppr}</w:pPr><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
            esc(text)
        );
    }

    /// 编印单位 and date on one line (a right tab at the type area's edge), the red rule under
    /// it as the paragraph's bottom border.
    fn meta(&mut self, left: &str, right: &str) {
        let edge = mm(text_width_mm());
        let _ = write!(
            self.xml,
            r#"<w:p><w:pPr><w:pStyle w:val="IssueNo"/><w:pBdr><w:bottom w:val="single" w:sz="18" w:space="4" w:color="FF0000"/></w:pBdr><w:tabs><w:tab w:val="right" w:pos="{edge}"/></w:tabs><w:spacing w:after="290"/><w:ind w:left="0" w:right="0"/><w:jc w:val="left"/></w:pPr><w:r><w:t xml:space="preserve">{}</w:t></w:r><w:r><w:tab/></w:r><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
            esc(left),
            esc(right)
        );
    }

    fn table(&mut self, rows: &[Vec<String>], header_rows: usize, row_headers: bool) {
        let cols = rows.iter().map(Vec::len).max().unwrap_or(0).max(1);
        // 四号 for a few columns; a wide table (every metric) in 五号, so a figure fits its cell.
        let size = if cols > 5 { 21 } else { 28 };
        let width = mm(text_width_mm());
        let col_w = width / cols as i64;
        let border = |side: &str| {
            format!(r#"<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#)
        };
        let _ = write!(
            self.xml,
            r#"<w:tbl><w:tblPr><w:tblW w:w="{width}" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>{}{}{}{}{}{}</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="60" w:type="dxa"/><w:right w:w="60" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>"#,
            border("top"),
            border("left"),
            border("bottom"),
            border("right"),
            border("insideH"),
            border("insideV")
        );
        for _ in 0..cols {
            let _ = write!(self.xml, r#"<w:gridCol w:w="{col_w}"/>"#);
        }
        self.xml.push_str("</w:tblGrid>");
        for (i, row) in rows.iter().enumerate() {
            let header = i < header_rows;
            self.xml.push_str("<w:tr>");
            // Header rows repeat at the top of every page the table runs onto, and no
            // row breaks across pages.
            self.xml.push_str(if header {
                "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
            } else {
                "<w:trPr><w:cantSplit/></w:trPr>"
            });
            for c in 0..cols {
                let text = row.get(c).map(String::as_str).unwrap_or("");
                let font = if header || (row_headers && c == 0) {
                    fonts(HEITI)
                } else {
                    String::new()
                };
                let _ = write!(
                    self.xml,
                    r#"<w:tc><w:tcPr><w:tcW w:w="{col_w}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="TableText"/></w:pPr><w:r><w:rPr>{font}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r></w:p></w:tc>"#,
                    esc(text)
                );
            }
            self.xml.push_str("</w:tr>");
        }
        self.xml.push_str("</w:tbl>");
        // Word needs a paragraph between a table and what follows it.
        self.plain(r#"<w:spacing w:after="0"/>"#, "");
    }

    /// An inline picture, as wide as the type area at most.
    fn picture(&mut self, png: Vec<u8>, ext: &str, w_px: u32, h_px: u32, alt: &str) {
        let n = self.media.len() + 1;
        let name = format!("image{n}.{ext}");
        self.media.push((name.clone(), png));
        let max_w = text_width_mm() * EMU_PER_MM;
        // A photo at 150 dpi, a chart across the type area.
        let natural_w = w_px as f64 / 150.0 * 25.4 * EMU_PER_MM;
        let cx = natural_w.min(max_w).round() as i64;
        let cy = (cx as f64 * h_px as f64 / w_px.max(1) as f64).round() as i64;
        let alt = esc(alt);
        let _ = write!(
            self.xml,
            r#"<w:p><w:pPr><w:pStyle w:val="Picture"/></w:pPr><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{n}" name="图{n}" descr="{alt}"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="{n}" name="{name}" descr="{alt}"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rIdImg{n}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#
        );
    }

    /// The 版记, at the foot of the last page: a table floated to the bottom of the type
    /// area, its rules the paragraphs' borders (thick first and last, thin between).
    fn tail(&mut self, lines: &[String], left: &str, right: &str) {
        let width = mm(text_width_mm());
        let _ = write!(
            self.xml,
            r#"<w:tbl><w:tblPr><w:tblpPr w:leftFromText="0" w:rightFromText="0" w:topFromText="240" w:bottomFromText="0" w:vertAnchor="margin" w:horzAnchor="margin" w:tblpXSpec="center" w:tblpYSpec="bottom"/><w:tblW w:w="{width}" w:type="dxa"/><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid><w:gridCol w:w="{width}"/></w:tblGrid>"#
        );
        let thick = r#"w:val="single" w:sz="8" w:space="1" w:color="000000""#;
        let thin = r#"w:val="single" w:sz="6" w:space="1" w:color="000000""#;
        let cell = |xml: &mut String, bdr: String, content: String| {
            let _ = write!(
                xml,
                r#"<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="Tail"/><w:pBdr>{bdr}</w:pBdr><w:tabs><w:tab w:val="right" w:pos="{}"/></w:tabs></w:pPr>{content}</w:p></w:tc></w:tr>"#,
                width - 632
            );
        };
        let t = |s: &str| format!(r#"<w:r><w:t xml:space="preserve">{}</w:t></w:r>"#, esc(s));
        for (i, line) in lines.iter().enumerate() {
            let bdr = if i == 0 {
                format!("<w:top {thick}/>")
            } else {
                String::new()
            };
            cell(&mut self.xml, bdr, t(line));
        }
        let top = if lines.is_empty() { thick } else { thin };
        cell(
            &mut self.xml,
            format!("<w:top {top}/><w:bottom {thick}/>"),
            format!("{}<w:r><w:tab/></w:r>{}", t(left), t(right)),
        );
        self.xml.push_str("</w:tbl>");
        self.plain(r#"<w:spacing w:after="0"/>"#, "");
    }
}

fn document(doc: &Document) -> Result<Body, String> {
    let mut b = Body {
        xml: String::with_capacity(64 * 1024),
        media: Vec::new(),
    };
    let _ = write!(
        b.xml,
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document {W_NS} xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>"#
    );
    for block in &doc.blocks {
        match block {
            Block::Para { style, runs } => b.para(*style, runs),
            Block::Meta { left, right } => b.meta(left, right),
            Block::Table {
                rows,
                header_rows,
                row_headers,
            } => b.table(rows, *header_rows, *row_headers),
            Block::Chart { svg, alt } => {
                let png = picture::chart_png(svg).map_err(|e| format!("a chart: {e}"))?;
                b.picture(png.bytes, "png", png.width, png.height, alt);
            }
            Block::Image {
                bytes,
                ext,
                width,
                height,
                alt,
            } => b.picture(bytes.clone(), ext, *width, *height, alt),
            Block::Tail { lines, left, right } => b.tail(lines, left, right),
        }
    }
    let _ = write!(
        b.xml,
        r#"<w:sectPr><w:footerReference w:type="default" r:id="rIdFooterOdd"/><w:footerReference w:type="even" r:id="rIdFooterEven"/><w:pgSz w:w="{}" w:h="{}"/><w:pgMar w:top="{}" w:right="{}" w:bottom="{}" w:left="{}" w:header="851" w:footer="{}" w:gutter="0"/><w:cols w:space="425"/><w:docGrid w:type="lines" w:linePitch="{}"/></w:sectPr></w:body></w:document>"#,
        mm(PAGE_W_MM),
        mm(PAGE_H_MM),
        mm(TOP_MM),
        mm(OUTSIDE_MM),
        mm(BOTTOM_MM),
        mm(INSIDE_MM),
        // The page number's top 7 mm under the type area: its foot about 23 mm up.
        mm(BOTTOM_MM - 7.0 - 5.0),
        line_pitch(),
    );
    Ok(b)
}

fn content_types(media: &[(String, Vec<u8>)]) -> String {
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>"#,
    );
    for ext in ["png", "jpeg"] {
        if media.iter().any(|(n, _)| n.ends_with(ext)) {
            let _ = write!(
                s,
                r#"<Default Extension="{ext}" ContentType="image/{ext}"/>"#
            );
        }
    }
    s.push_str(r#"<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#);
    s
}

const PACKAGE_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#;

fn document_rels(media: &[(String, Vec<u8>)]) -> String {
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rIdFonts" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/><Relationship Id="rIdFooterOdd" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/><Relationship Id="rIdFooterEven" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/>"#,
    );
    for (i, (name, _)) in media.iter().enumerate() {
        let _ = write!(
            s,
            r#"<Relationship Id="rIdImg{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/{name}"/>"#,
            i + 1
        );
    }
    s.push_str("</Relationships>");
    s
}

/// Document properties: the title only. No creation time, so the same page gives the same
/// bytes.
fn core(title: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{}</dc:title><dc:language>zh-CN</dc:language></cp:coreProperties>"#,
        esc(title)
    )
}

/// The `.docx` of `doc`.
pub(super) fn package(doc: &Document) -> Result<Vec<u8>, String> {
    let body = document(doc)?;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // A fixed time (the zip format's first day) instead of the moment of the build.
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let stored = opts.compression_method(zip::CompressionMethod::Stored);
    let mut add = |name: &str, bytes: &[u8], o| -> Result<(), String> {
        zip.start_file(name, o).map_err(|e| e.to_string())?;
        zip.write_all(bytes).map_err(|e| e.to_string())
    };
    add(
        "[Content_Types].xml",
        content_types(&body.media).as_bytes(),
        opts,
    )?;
    add("_rels/.rels", PACKAGE_RELS.as_bytes(), opts)?;
    add("docProps/core.xml", core(&doc.title).as_bytes(), opts)?;
    add("word/document.xml", body.xml.as_bytes(), opts)?;
    add(
        "word/_rels/document.xml.rels",
        document_rels(&body.media).as_bytes(),
        opts,
    )?;
    add("word/styles.xml", styles().as_bytes(), opts)?;
    add("word/settings.xml", settings().as_bytes(), opts)?;
    add("word/fontTable.xml", font_table().as_bytes(), opts)?;
    add("word/footer1.xml", footer(true).as_bytes(), opts)?;
    add("word/footer2.xml", footer(false).as_bytes(), opts)?;
    for (name, bytes) in &body.media {
        // Pictures are compressed already.
        add(&format!("word/media/{name}"), bytes, stored)?;
    }
    let cursor = zip.finish().map_err(|e| e.to_string())?;
    Ok(cursor.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_geometry_is_gb_t_9704() {
        assert_eq!(mm(PAGE_W_MM), 11906);
        assert_eq!(mm(PAGE_H_MM), 16838);
        assert_eq!(mm(TOP_MM), 2098);
        assert_eq!(line_pitch(), 579);
        assert_eq!(condense(), -5);
    }

    #[test]
    fn same_document_same_bytes_and_well_formed_xml() {
        let doc = Document {
            title: "第1期 <&>".into(),
            blocks: vec![
                Block::Para {
                    style: Style::Masthead,
                    runs: vec![Run {
                        text: "简报 & \u{1}".into(),
                        ..Run::default()
                    }],
                },
                Block::Table {
                    rows: vec![vec!["单位".into(), "户".into()], vec!["法院".into()]],
                    header_rows: 1,
                    row_headers: true,
                },
                Block::Tail {
                    lines: vec!["报：市委".into()],
                    left: "某委".into(),
                    right: "共印1份".into(),
                },
            ],
        };
        let a = package(&doc).unwrap();
        assert_eq!(a, package(&doc).unwrap());
        let body = document(&doc).unwrap();
        roxmltree::Document::parse(&body.xml).unwrap();
        for part in [
            styles(),
            settings(),
            font_table(),
            footer(true),
            core(&doc.title),
        ] {
            roxmltree::Document::parse(&part).unwrap();
        }
    }
}

"""Generate the reference.docx of each template, deterministically, with python-docx.

    python templates/make_reference_docx.py

The reference document carries what staff may restyle in Word: paragraph, list and table
styles, the page set-up, and the header and footer. The header and footer hold the
placeholders {MARKING} and {PAGE NUMBER}; the renderer replaces them with the brief's
protective marking and with the page-number fields, keeping whatever formatting the
placeholder's paragraph and first run have. Everything else in the body is ignored.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import parse_xml
from docx.shared import Mm

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from briefpack.render.docx.package import (  # noqa: E402
    show_fields_as_saved, save_deterministically, set_core_properties, set_language,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TEMPLATES = Path(__file__).resolve().parent
MARKING_PLACEHOLDER = "{MARKING}"
PAGE_NUMBER_PLACEHOLDER = "{PAGE NUMBER}"


@dataclass(frozen=True)
class PageSetup:
    """One template's paper and margins, in millimetres, and its body size in points."""

    name: str
    width: float
    height: float
    margin: float
    header_distance: float
    body_pt: float
    #: where a key/value line's value starts (Key Value style), mm from the margin
    key_column: float
    #: top and bottom margins: room for a marking that wraps onto two lines on small paper
    vertical_margin: float

    @property
    def text_width_twips(self) -> int:
        return round((self.width - 2 * self.margin) * 1440 / 25.4)

    @property
    def key_column_twips(self) -> int:
        return round(self.key_column * 1440 / 25.4)


SETUPS = (
    PageSetup("standard", width=210, height=297, margin=25, header_distance=12,
              body_pt=12, key_column=55, vertical_margin=25),
    PageSetup("pocket", width=148, height=210, margin=12, header_distance=6,
              body_pt=12, key_column=34, vertical_margin=18),
)


def half_points(pt: float) -> int:
    return round(pt * 2)


def paragraph_style(style_id: str, name: str, *, based_on: str = "Normal", next_: str = "",
                    ppr: str = "", rpr: str = "", hidden: bool = False) -> str:
    """One w:style of type paragraph (ppr/rpr are inner XML, in schema order)."""
    default = ' w:default="1"' if style_id == "Normal" else ""
    return (
        f'<w:style w:type="paragraph"{default} w:customStyle="{int(style_id not in _BUILT_IN)}" '
        f'w:styleId="{style_id}"><w:name w:val="{name}"/>'
        + (f'<w:basedOn w:val="{based_on}"/>' if based_on else "")
        + (f'<w:next w:val="{next_}"/>' if next_ else "")
        + ('<w:semiHidden/><w:unhideWhenUsed/>' if hidden else "")
        + '<w:qFormat/>'
        + (f"<w:pPr>{ppr}</w:pPr>" if ppr else "")
        + (f"<w:rPr>{rpr}</w:rPr>" if rpr else "")
        + "</w:style>"
    )


_BUILT_IN = {"Normal", "Title", "Subtitle", "Heading1", "Heading2", "Heading3", "ListBullet",
             "ListNumber", "Quote", "Caption", "Header", "Footer", "TOCHeading", "TOC1", "TOC2",
             "TOC3"}


def size(pt: float) -> str:
    return f'<w:sz w:val="{half_points(pt)}"/><w:szCs w:val="{half_points(pt)}"/>'


def spacing(before: int = 0, after: int = 0, line: int = 0) -> str:
    """Spacing in points before/after; line in 240ths (240 = single)."""
    line_attr = f' w:line="{line}" w:lineRule="auto"' if line else ""
    return f'<w:spacing w:before="{before * 20}" w:after="{after * 20}"{line_attr}/>'


def box(colour: str, width_eighths: int, fill: str) -> str:
    """Paragraph border and shading: consecutive paragraphs with the same box form one box."""
    sides = "".join(
        f'<w:{side} w:val="single" w:sz="{width_eighths}" w:space="4" w:color="{colour}"/>'
        for side in ("top", "left", "bottom", "right"))
    return f'<w:pBdr>{sides}</w:pBdr><w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'


def styles_xml(setup: PageSetup) -> str:
    """The complete styles part: Arial (Liberation Sans in LibreOffice), black, en-GB."""
    body = setup.body_pt
    small = body - 1
    tw = setup.text_width_twips
    key = setup.key_column_twips
    callout_indent = '<w:ind w:left="113" w:right="113"/>'
    styles = [
        paragraph_style("Normal", "Normal", based_on="",
                        ppr=spacing(after=8, line=264) + '<w:jc w:val="left"/>'),
        paragraph_style("Title", "Title", next_="Normal",
                        ppr='<w:keepNext/>' + spacing(before=150, after=18, line=240)
                        + '<w:jc w:val="center"/>',
                        rpr="<w:b/><w:bCs/>" + size(body * 2.5)),
        paragraph_style("Subtitle", "Subtitle", next_="Normal",
                        ppr='<w:keepNext/>' + spacing(after=24, line=240)
                        + '<w:jc w:val="center"/>',
                        rpr=size(body * 1.4)),
        paragraph_style("DividerTitle", "Divider Title", based_on="Title", next_="Subtitle",
                        ppr='<w:outlineLvl w:val="0"/>'),
        paragraph_style("DividerDetail", "Divider Detail", next_="DividerDetail",
                        ppr=spacing(after=6) + '<w:jc w:val="center"/>'),
        paragraph_style("Heading1", "heading 1", next_="Normal",
                        ppr='<w:keepNext/><w:keepLines/>' + spacing(before=18, after=6, line=240)
                        + '<w:outlineLvl w:val="0"/>',
                        rpr="<w:b/><w:bCs/>" + size(body * 1.5)),
        paragraph_style("Heading2", "heading 2", next_="Normal",
                        ppr='<w:keepNext/><w:keepLines/>' + spacing(before=14, after=4, line=240)
                        + '<w:outlineLvl w:val="1"/>',
                        rpr="<w:b/><w:bCs/>" + size(body * 1.25)),
        paragraph_style("Heading3", "heading 3", next_="Normal",
                        ppr='<w:keepNext/><w:keepLines/>' + spacing(before=10, after=4, line=240)
                        + '<w:outlineLvl w:val="2"/>',
                        rpr="<w:b/><w:bCs/>" + size(body + 1)),
        paragraph_style("Lead", "Lead", next_="Normal",
                        ppr=spacing(after=10, line=264), rpr=size(body + 1)),
        paragraph_style("Small", "Small", ppr=spacing(after=6, line=252), rpr=size(small)),
        paragraph_style("Quote", "Quote", next_="Normal",
                        ppr='<w:ind w:left="567" w:right="567"/>',
                        rpr="<w:i/><w:iCs/>"),
        paragraph_style("ListBullet", "List Bullet",
                        ppr='<w:numPr><w:numId w:val="1"/></w:numPr>' + spacing(after=4, line=264)),
        paragraph_style("ListNumber", "List Number",
                        ppr='<w:numPr><w:numId w:val="2"/></w:numPr>' + spacing(after=4, line=264)),
        paragraph_style("Caption", "caption", next_="Normal",
                        ppr='<w:keepNext/>' + spacing(before=6, after=4, line=240),
                        rpr="<w:b/><w:bCs/>" + size(small)),
        paragraph_style("TableHeading", "Table Heading", next_="TableText",
                        ppr='<w:keepNext/>' + spacing(line=240),
                        rpr="<w:b/><w:bCs/>" + size(small)),
        paragraph_style("TableText", "Table Text", ppr=spacing(line=240), rpr=size(small)),
        paragraph_style("KeyValue", "Key Value",
                        ppr=f'<w:tabs><w:tab w:val="left" w:pos="{key}"/></w:tabs>'
                        + spacing(after=4, line=252)
                        + f'<w:ind w:left="{key}" w:hanging="{key}"/>'),
        paragraph_style("CalloutNote", "Callout Note",
                        ppr='<w:keepLines/>' + box("595959", 8, "F2F2F2")
                        + spacing(before=4, after=4, line=252) + callout_indent),
        paragraph_style("CalloutWarning", "Callout Warning",
                        ppr='<w:keepLines/>' + box("000000", 18, "FFF4CE")
                        + spacing(before=4, after=4, line=252) + callout_indent),
        paragraph_style("CalloutRag", "Callout RAG",
                        ppr='<w:keepLines/>' + box("000000", 12, "FFFFFF")
                        + spacing(before=4, after=4, line=252) + callout_indent),
        paragraph_style("Header", "header", ppr=spacing(line=240) + '<w:jc w:val="center"/>'),
        paragraph_style("Footer", "footer", ppr=spacing(line=240) + '<w:jc w:val="center"/>',
                        rpr=size(small)),
        paragraph_style("Marking", "Protective Marking", based_on="Header",
                        ppr=spacing(line=240) + '<w:jc w:val="center"/>',
                        rpr='<w:b/><w:bCs/><w:caps/><w:color w:val="000000"/>' + size(body)),
        paragraph_style("TOCHeading", "TOC Heading", based_on="Heading1", next_="Normal",
                        ppr='<w:outlineLvl w:val="9"/>'),
        paragraph_style("TOC1", "toc 1", next_="Normal",
                        ppr=f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{tw}"/></w:tabs>'
                        + spacing(before=4, after=2, line=240) + '<w:ind w:right="567"/>'),
        paragraph_style("TOC2", "toc 2", next_="Normal",
                        ppr=f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{tw}"/></w:tabs>'
                        + spacing(after=2, line=240) + '<w:ind w:left="425" w:right="567"/>'),
        paragraph_style("TOC3", "toc 3", next_="Normal",
                        ppr=f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{tw}"/></w:tabs>'
                        + spacing(after=2, line=240) + '<w:ind w:left="850" w:right="567"/>'),
    ]
    return (
        f'<w:styles xmlns:w="{W}">'
        '<w:docDefaults><w:rPrDefault><w:rPr>'
        '<w:rFonts w:ascii="Arial" w:eastAsia="Arial" w:hAnsi="Arial" w:cs="Arial"/>'
        f'<w:color w:val="000000"/>{size(body)}'
        '<w:lang w:val="en-GB" w:eastAsia="en-GB" w:bidi="ar-SA"/>'
        '</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>'
        f'{spacing(after=8, line=264)}</w:pPr></w:pPrDefault></w:docDefaults>'
        + "".join(styles)
        + _character_and_table_styles()
        + "</w:styles>"
    )


def _character_and_table_styles() -> str:
    cell_margins = ('<w:tblCellMar><w:top w:w="57" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
                    '<w:bottom w:w="57" w:type="dxa"/><w:right w:w="85" w:type="dxa"/>'
                    '</w:tblCellMar>')
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    return (
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        '<w:unhideWhenUsed/></w:style>'
        '<w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/>'
        '<w:basedOn w:val="DefaultParagraphFont"/><w:qFormat/><w:rPr><w:b/><w:bCs/></w:rPr>'
        '</w:style>'
        '<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/>'
        '<w:basedOn w:val="DefaultParagraphFont"/><w:unhideWhenUsed/></w:style>'
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal">'
        '<w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/>'
        '<w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
        f'{cell_margins}</w:tblPr></w:style>'
        '<w:style w:type="table" w:customStyle="1" w:styleId="BriefTable">'
        '<w:name w:val="Brief Table"/><w:basedOn w:val="TableNormal"/><w:qFormat/>'
        '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        f'<w:tblPr><w:tblBorders>{borders}</w:tblBorders>{cell_margins}</w:tblPr>'
        '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr>'
        '<w:tblPr/><w:trPr><w:tblHeader/></w:trPr>'
        '<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="D9D9D9"/></w:tcPr></w:tblStylePr>'
        '</w:style>'
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>'
    )


def numbering_xml() -> str:
    """Bullets (numId 1) and decimal numbers (numId 2) hung 0.63 cm from the margin."""
    def level(fmt: str, text: str, font: str) -> str:
        rpr = f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:hint="default"/></w:rPr>'
        return (f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
                '<w:pPr><w:ind w:left="357" w:hanging="357"/></w:pPr>' + rpr + '</w:lvl>')
    return (
        f'<w:numbering xmlns:w="{W}">'
        '<w:abstractNum w:abstractNumId="0"><w:nsid w:val="5B1A0001"/>'
        '<w:multiLevelType w:val="singleLevel"/>'
        + level("bullet", "\u2022", "Arial")
        + '</w:abstractNum>'
        '<w:abstractNum w:abstractNumId="1"><w:nsid w:val="5B1A0002"/>'
        '<w:multiLevelType w:val="singleLevel"/>'
        + level("decimal", "%1.", "Arial")
        + '</w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
        '</w:numbering>'
    )


def placeholder_paragraphs(*items: tuple[str, str]) -> str:
    return "".join(f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
                   f'<w:r><w:t>{text}</w:t></w:r></w:p>'
                   for style, text in items)


APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>briefpack</Application><DocSecurity>0</DocSecurity></Properties>"
)


def set_app_properties(doc) -> None:
    """Replace python-docx's sample docProps/app.xml, which names another application."""
    for rel in doc.part.package.rels.values():
        if rel.reltype.endswith("/extended-properties"):
            rel.target_part._blob = APP_XML.encode("utf-8")


def drop_unused_parts(doc) -> None:
    """Leave out python-docx's sample thumbnail, customXml and stylesWithEffects."""
    unused = ("stylesWithEffects", "customXml", "webSettings")
    for r_id, rel in list(doc.part.rels.items()):
        if rel.reltype.rsplit("/", 1)[-1] in unused:
            del doc.part.rels[r_id]
    for r_id, rel in list(doc.part.package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del doc.part.package.rels[r_id]


def build(setup: PageSetup) -> Path:
    """Write templates/<setup.name>/reference.docx and return its path."""
    doc = Document()
    drop_unused_parts(doc)
    set_app_properties(doc)
    doc.part._styles_part._element = parse_xml(styles_xml(setup))
    doc.part.numbering_part._element = parse_xml(numbering_xml())
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(setup.width), Mm(setup.height)
    section.left_margin = section.right_margin = Mm(setup.margin)
    section.top_margin = section.bottom_margin = Mm(setup.vertical_margin)
    section.header_distance = section.footer_distance = Mm(setup.header_distance)
    section.gutter = 0
    _fill(section.header._element, placeholder_paragraphs(("Marking", MARKING_PLACEHOLDER)))
    _fill(section.footer._element, placeholder_paragraphs(
        ("Footer", PAGE_NUMBER_PLACEHOLDER), ("Marking", MARKING_PLACEHOLDER)))
    body = doc.element.body
    for paragraph in body.findall(f"{{{W}}}p"):
        body.remove(paragraph)
    show_fields_as_saved(doc)
    set_language(doc, "en-GB")
    _remove_rsids(doc)
    set_core_properties(doc, title=f"briefpack {setup.name} reference", author="briefpack",
                        subject="Styles, page set-up, header and footer for briefs",
                        keywords=("briefpack", "template"), language="en-GB", date=None)
    out = TEMPLATES / setup.name / "reference.docx"
    out.parent.mkdir(parents=True, exist_ok=True)
    save_deterministically(doc, out)
    return out


def _fill(container, paragraphs_xml: str) -> None:
    for child in list(container):
        container.remove(child)
    for paragraph in parse_xml(f'<w:hdr xmlns:w="{W}">{paragraphs_xml}</w:hdr>'):
        container.append(paragraph)


def _remove_rsids(doc) -> None:
    rsids = doc.settings.element.find(f"{{{W}}}rsids")
    if rsids is not None:
        doc.settings.element.remove(rsids)


def main() -> None:
    for setup in SETUPS:
        print(build(setup))


if __name__ == "__main__":
    main()

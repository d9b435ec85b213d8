"""Small builders for WordprocessingML elements the python-docx API does not cover:
fields, bookmarks, page-break control and numbering restarts."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from functools import cache

from docx.oxml.ns import nsmap, qn
from docx.oxml.parser import oxml_parser

#: characters XML 1.0 cannot hold; a stray one from imported data must not sink the render
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


W_NAMESPACE = nsmap["w"]
_W_NSMAP = {"w": W_NAMESPACE}
#: qn() parses its argument each call; a table brief builds thousands of elements
_clark = cache(qn)


def element(tag: str, **attrs: str | int):
    """A w: element; attribute names are w: names (``val`` → ``w:val``)."""
    node = oxml_parser.makeelement(_clark(tag), nsmap=_W_NSMAP)
    for name, value in attrs.items():
        node.set(_clark(f"w:{name}"), str(value))
    return node


def child(parent, tag: str, **attrs: str | int):
    node = element(tag, **attrs)
    parent.append(node)
    return node


def clean_text(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)


def text_run(text: str, *, char_style: str = "", bold: bool = False, size_pt: float = 0):
    """A run; newlines become line breaks and tabs become tab characters."""
    run = element("w:r")
    if char_style or bold or size_pt:
        rpr = child(run, "w:rPr")
        if char_style:
            child(rpr, "w:rStyle", val=char_style)
        if bold:
            child(rpr, "w:b")
        if size_pt:
            child(rpr, "w:sz", val=round(size_pt * 2))
            child(rpr, "w:szCs", val=round(size_pt * 2))
    for index, line in enumerate(clean_text(text).split("\n")):
        if index:
            child(run, "w:br")
        for part_index, part in enumerate(line.split("\t")):
            if part_index:
                child(run, "w:tab")
            if part:
                t = child(run, "w:t")
                t.text = part
                t.set(qn("xml:space"), "preserve")
    return run


def paragraph(style_id: str, runs: Iterable = (), *, align: str = "",
              page_break_before: bool = False, num_id: int = 0):
    """A w:p in ``style_id``; ``align`` is a w:jc value, ``num_id`` a list to join."""
    p = element("w:p")
    ppr = child(p, "w:pPr")
    child(ppr, "w:pStyle", val=style_id)
    if page_break_before:
        child(ppr, "w:pageBreakBefore")
    if num_id:
        numpr = child(ppr, "w:numPr")
        child(numpr, "w:ilvl", val=0)
        child(numpr, "w:numId", val=num_id)
    if align:
        child(ppr, "w:jc", val=align)
    for run in runs:
        p.append(run)
    return p


def set_page_break_before(p) -> None:
    """Add w:pageBreakBefore to an existing paragraph, in schema order (after pStyle…)."""
    ppr = p.find(qn("w:pPr"))
    if ppr is None:
        ppr = element("w:pPr")
        p.insert(0, ppr)
    if ppr.find(qn("w:pageBreakBefore")) is not None:
        return
    later = {qn(t) for t in _PPR_AFTER_PAGE_BREAK_BEFORE}
    anchor = next((c for c in ppr if c.tag in later), None)
    node = element("w:pageBreakBefore")
    if anchor is None:
        ppr.append(node)
    else:
        anchor.addprevious(node)


_PPR_AFTER_PAGE_BREAK_BEFORE = (
    "w:framePr", "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd",
    "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)


def field_runs(instruction: str, placeholder: str = "") -> list:
    """A complex field (w:fldChar begin/separate/end) with ``placeholder`` as its last result.

    The result is what a reader sees until the field is updated, so it should be plausible.
    """
    def fld_char(kind: str, dirty: bool = False):
        run = element("w:r")
        fld = child(run, "w:fldChar", fldCharType=kind)
        if dirty:
            fld.set(qn("w:dirty"), "true")
        return run

    instr_run = element("w:r")
    instr = child(instr_run, "w:instrText")
    instr.text = f" {instruction} "
    instr.set(qn("xml:space"), "preserve")
    return [fld_char("begin"), instr_run, fld_char("separate"), text_run(placeholder),
            fld_char("end")]


def bookmark(p, name: str, bookmark_id: int) -> None:
    """Wrap the whole of paragraph ``p``'s content in a bookmark."""
    start = element("w:bookmarkStart", id=bookmark_id, name=name)
    end = element("w:bookmarkEnd", id=bookmark_id)
    ppr = p.find(qn("w:pPr"))
    if ppr is None:
        p.insert(0, start)
    else:
        ppr.addnext(start)
    p.append(end)


def internal_hyperlink(anchor: str, runs: Sequence):
    link = element("w:hyperlink", anchor=anchor, history=1)
    for run in runs:
        link.append(run)
    return link


def restart_numbering(numbering_root, style_num_id: int, new_num_id: int) -> None:
    """Add w:num ``new_num_id`` sharing ``style_num_id``'s list definition but counting from 1."""
    abstract_id = None
    for num in numbering_root.findall(qn("w:num")):
        if num.get(qn("w:numId")) == str(style_num_id):
            abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    if abstract_id is None:
        raise ValueError(f"numbering definition {style_num_id} is missing from the template")
    num = element("w:num", numId=new_num_id)
    child(num, "w:abstractNumId", val=abstract_id)
    override = child(num, "w:lvlOverride", ilvl=0)
    child(override, "w:startOverride", val=1)
    numbering_root.append(num)

"""Sections of the Word output: odd-page breaks, page-number restarts, and the header and
footer of every section built from the reference document's placeholders.

The marking must be on every page, so every section gets its own default, first-page and
even-page header and footer (none is left linked to a predecessor that might lack it).
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.opc.packuri import PackURI
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.section import Section

from briefpack.render.docx.elements import element, field_runs, paragraph, text_run

MARKING_PLACEHOLDER = "{MARKING}"
PAGE_NUMBER_PLACEHOLDER = "{PAGE NUMBER}"
_HEADER_PARTS = ("header", "first_page_header", "even_page_header")
_FOOTER_PARTS = ("footer", "first_page_footer", "even_page_footer")


@dataclass(frozen=True)
class SectionLook:
    """What one section's header and footer show."""

    marking: str
    #: the pack part's label ("NOR"), or "" outside a pack part
    part_label: str = ""
    watermark: str = ""


@dataclass(frozen=True)
class HeaderFooterTemplate:
    """Deep copies of the reference document's header and footer paragraphs, and the parts
    they came from (whose relationships their pictures and links name)."""

    header: tuple
    footer: tuple
    header_part: Any = None
    footer_part: Any = None

    @classmethod
    def from_document(cls, doc: DocxDocument) -> HeaderFooterTemplate:
        section = doc.sections[0]
        return cls(header=_block_copies(section.header), footer=_block_copies(section.footer),
                   header_part=_part_of(section.header), footer_part=_part_of(section.footer))


def _part_of(header_or_footer):
    return None if header_or_footer.is_linked_to_previous else header_or_footer.part


def _block_copies(header_or_footer) -> tuple:
    if header_or_footer.is_linked_to_previous:
        return ()
    return tuple(copy.deepcopy(child) for child in header_or_footer._element
                 if child.tag in (qn("w:p"), qn("w:tbl")))


def break_section(doc: DocxDocument, last_block, *, odd: bool = False,
                  sentinel=None) -> None:
    """End the current section at ``last_block`` and start the next on a new page, or with
    ``odd`` on the next right-hand page (an odd-page section break: the word processor
    inserts an empty page when its own layout needs one, whatever that layout is).

    The w:sectPr goes into the last paragraph rather than a new empty one, which would
    otherwise push a blank line, and sometimes a blank page, onto the end of the section.
    ``sentinel``: the body's own w:sectPr, if the caller has it (finding it searches the
    whole body).
    """
    if sentinel is None:
        sentinel = doc.element.body.sectPr
    ending = copy.deepcopy(sentinel)
    if not _can_end_section(last_block):
        last_block = element("w:p")
        sentinel.addprevious(last_block)
    ppr = last_block.find(qn("w:pPr"))
    if ppr is None:
        ppr = element("w:pPr")
        last_block.insert(0, ppr)
    ppr.append(ending)
    for reference in sentinel.findall(qn("w:headerReference")) + sentinel.findall(
            qn("w:footerReference")):
        sentinel.remove(reference)
    # the body's own w:sectPr is the last section's (doc.sections would search the body)
    Section(sentinel, doc.part).start_type = WD_SECTION.ODD_PAGE if odd else WD_SECTION.NEW_PAGE
    restart_page_numbers(sentinel, restart=False)


def _can_end_section(block) -> bool:
    """A plain paragraph can carry the section end. Not one inside a field (the last line
    of a contents list): LibreOffice would then swallow the section's page-number fields."""
    if block is None or block.tag != qn("w:p"):
        return False
    ppr = block.find(qn("w:pPr"))
    has_sect_pr = ppr is not None and ppr.find(qn("w:sectPr")) is not None
    return not has_sect_pr and next(block.iter(qn("w:fldChar")), None) is None


def restart_page_numbers(sect_pr, *, restart: bool) -> None:
    """Number this section's pages from 1 (a pack part) or continue from the last section."""
    existing = sect_pr.find(qn("w:pgNumType"))
    if existing is not None:
        sect_pr.remove(existing)
    if not restart:
        return
    number_type = element("w:pgNumType", start=1)
    later = {qn(t) for t in ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg",
                             "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid",
                             "w:printerSettings", "w:sectPrChange")}
    anchor = next((c for c in sect_pr if c.tag in later), None)
    if anchor is None:
        sect_pr.append(number_type)
    else:
        anchor.addprevious(number_type)


def dress_sections(doc: DocxDocument, template: HeaderFooterTemplate,
                   looks: list[SectionLook]) -> None:
    """Give every section its own headers and footers showing the marking and page numbers."""
    sections = list(doc.sections)
    if len(sections) != len(looks):
        raise AssertionError(f"{len(sections)} sections but {len(looks)} section looks")
    shape_numbers = itertools.count(_FIRST_SHAPE_NUMBER)
    with _PartNames(doc.part.package), _RelationshipIds(doc.part.rels):
        for section, look in zip(sections, looks, strict=True):
            for name in _HEADER_PARTS:
                _fill(getattr(section, name), template.header, look, at_top=True,
                      shape_number=next(shape_numbers), source=template.header_part)
            for name in _FOOTER_PARTS:
                _fill(getattr(section, name), template.footer, look, at_top=False,
                      shape_number=0, source=template.footer_part)


class _PartNames:
    """Names new header and footer parts as python-docx would, from one walk of the package.

    python-docx names each new part (``OpcPackage.next_partname``) by walking every part
    of the package, so giving a pack's hundreds of sections their headers and footers
    took time growing with the square of the sections. Inside this context the package
    hands out the lowest free number for each name pattern from a set kept up to date:
    the same names, since parts are only added while it is in force.
    """

    def __init__(self, package) -> None:
        self._package = package
        self._used: set[str] = set()
        self._lowest: dict[str, int] = {}

    def __enter__(self) -> _PartNames:
        self._used = {str(part.partname) for part in self._package.iter_parts()}
        self._package.next_partname = self.next_partname
        return self

    def __exit__(self, *_exc) -> None:
        del self._package.next_partname  # the class's own method again

    def next_partname(self, template: str) -> PackURI:
        number = self._lowest.get(template, 1)
        while template % number in self._used:
            number += 1
        name = template % number
        self._used.add(name)
        self._lowest[template] = number + 1
        return PackURI(name)


class _RelationshipIds:
    """Relates the document to its new header and footer parts as python-docx would, from
    an index of its relationships.

    python-docx's ``Relationships.get_or_add`` looks for an existing relationship to the
    part by walking every relationship, then for the lowest free rId by trying each in
    turn: for a pack's hundreds of sections, time growing with the square of them.
    Inside this context the relationships are indexed by type and target, and the lowest
    free rId is kept: the same rIds, since relationships are only added while it is in
    force.
    """

    def __init__(self, rels) -> None:
        self._rels = rels
        self._by_target: dict[tuple[str, int], object] = {}
        self._lowest = 1

    def __enter__(self) -> _RelationshipIds:
        self._by_target = {(rel.reltype, id(rel.target_part)): rel
                           for rel in self._rels.values() if not rel.is_external}
        self._rels.get_or_add = self.get_or_add
        return self

    def __exit__(self, *_exc) -> None:
        del self._rels.get_or_add  # the class's own method again

    def get_or_add(self, reltype: str, target_part):
        key = (reltype, id(target_part))
        rel = self._by_target.get(key)
        if rel is None:
            while f"rId{self._lowest}" in self._rels:
                self._lowest += 1
            rel = self._rels.add_relationship(reltype, target_part, f"rId{self._lowest}")
            self._by_target[key] = rel
        return rel


#: VML shape ids Word itself would give header shapes (_x0000_s2049, …); each must be unique
_FIRST_SHAPE_NUMBER = 2049


def _fill(header_or_footer, blocks: tuple, look: SectionLook, *, at_top: bool,
          shape_number: int, source=None) -> None:
    header_or_footer.is_linked_to_previous = False
    container = header_or_footer._element
    for old in list(container):
        container.remove(old)
    fillers = {
        MARKING_PLACEHOLDER: lambda: [text_run(look.marking.upper())],
        PAGE_NUMBER_PLACEHOLDER: lambda: page_number_runs(look.part_label),
    }
    for block in blocks:
        fresh = copy.deepcopy(block)
        for p in fresh.iter(qn("w:p")):
            _replace_placeholders(p, fillers)
        if source is not None:
            _relate_copy(fresh, source, header_or_footer.part)
        container.append(fresh)
    if not _shows(container, look.marking.upper()):
        _add_marking_paragraph(container, look.marking.upper(), at_top=at_top)
    if at_top and look.watermark:
        _first_paragraph(container).append(watermark_run(look.watermark, shape_number))


#: the namespace of relationship ids (r:embed of a picture, r:id of a link or an image)
_R_NAMESPACE = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _relate_copy(block, source, target) -> None:
    """Make the relationships ``block`` names (a logo's picture, a link), copied from the
    ``source`` header or footer part, relationships of the ``target`` part too, and point
    ``block`` at them: a copy without them shows a broken picture."""
    for node in block.iter():
        for attribute, rid in node.attrib.items():
            if not attribute.startswith(_R_NAMESPACE) or rid not in source.rels:
                continue
            rel = source.rels[rid]
            node.set(attribute, target.relate_to(rel.target_ref, rel.reltype, is_external=True)
                     if rel.is_external else target.relate_to(rel.target_part, rel.reltype))


def page_number_runs(part_label: str) -> list:
    """"Page 3 of 12", or "NOR – Page 9 of 40" inside a pack part.

    Page numbers run on through the whole pack: a restart at 1 on what LibreOffice lays out
    as a left-hand page makes it add a hidden blank page, and "of N" then counts pages
    nobody sees.
    """
    prefix = f"{part_label} \u2013 Page " if part_label else "Page "
    return [text_run(prefix), *field_runs("PAGE", "1"), text_run(" of "),
            *field_runs("NUMPAGES", "1")]


def _replace_placeholders(p, fillers: dict[str, Callable[[], list]]) -> None:
    # runs of text only: a run holding a picture (a logo beside the marking) stays as it is
    runs = [r for r in p if r.tag == qn("w:r") and r.find(qn("w:t")) is not None]
    joined = "".join(t.text or "" for r in runs for t in r.iter(qn("w:t")))
    if not any(token in joined for token in fillers):
        return
    # Word may split a placeholder over several runs; rebuild the paragraph from its text,
    # keeping the first run's formatting so staff can restyle the placeholder in Word.
    run_format = runs[0].find(qn("w:rPr"))
    anchor_index = list(p).index(runs[0])
    for r in runs:
        p.remove(r)
    new_runs = []
    for piece in _split_on_tokens(joined, tuple(fillers)):
        new_runs.extend(fillers[piece]() if piece in fillers else [text_run(piece)])
    for offset, run in enumerate(new_runs):
        if run_format is not None:
            run.insert(0, copy.deepcopy(run_format))
        p.insert(anchor_index + offset, run)


def _split_on_tokens(text: str, tokens: tuple[str, ...]) -> list[str]:
    pieces, rest = [], text
    while rest:
        hits = [(rest.find(t), t) for t in tokens if t in rest]
        if not hits:
            pieces.append(rest)
            break
        at, token = min(hits)
        if at:
            pieces.append(rest[:at])
        pieces.append(token)
        rest = rest[at + len(token):]
    return pieces


def _shows(container, text: str) -> bool:
    return any(text in "".join(t.text or "" for t in p.iter(qn("w:t")))
               for p in container.iter(qn("w:p")))


def _add_marking_paragraph(container, marking: str, *, at_top: bool) -> None:
    marking_p = paragraph("Marking", [text_run(marking)])
    if at_top:
        container.insert(0, marking_p)
    else:
        container.append(marking_p)


def _first_paragraph(container):
    return next(container.iter(qn("w:p")))


def watermark_run(text: str, shape_number: int):
    """Word's own diagonal text watermark (a VML text-path shape), which LibreOffice imports
    as its watermark too. Word knows a watermark by the PowerPlusWaterMarkObject id."""
    escaped = (text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
               .replace(">", "&gt;"))
    return parse_xml(_WATERMARK_XML.replace("__TEXT__", escaped)
                     .replace("__NUMBER__", str(shape_number)))


_WATERMARK_XML = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word"><w:rPr><w:noProof/></w:rPr><w:pict>'
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas>'
    '<v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/>'
    '<v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/>'
    '<v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/>'
    '<v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/>'
    '<v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/></v:formulas>'
    '<v:path textpathok="t" o:connecttype="custom" '
    'o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>'
    '<v:textpath on="t" fitshape="t"/><v:handles><v:h position="#0,bottomRight" '
    'xrange="6629,14971"/></v:handles><o:lock v:ext="edit" text="t" shapetype="t"/>'
    '</v:shapetype>'
    '<v:shape id="PowerPlusWaterMarkObject__NUMBER__" o:spid="_x0000_s__NUMBER__" '
    'type="#_x0000_t136" '
    'style="position:absolute;margin-left:0;margin-top:0;width:415pt;height:138pt;'
    'rotation:315;z-index:-251657216;mso-position-horizontal:center;'
    'mso-position-horizontal-relative:margin;mso-position-vertical:center;'
    'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#bfbfbf" '
    'stroked="f"><v:fill opacity=".5"/>'
    '<v:textpath style="font-family:&quot;Arial&quot;;font-size:1pt" string="__TEXT__"/>'
    '<w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r>'
)

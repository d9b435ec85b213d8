"""The reference document's styles, found by name.

The renderer writes the style ids of the shipped reference.docx (``Heading1``,
``Marking``…). A reference.docx saved by another word processor keeps the styles' names
but not always their ids: LibreOffice renames ``Marking`` (named "Protective Marking") to
``ProtectiveMarking`` and ``TOC1`` to ``Contents1``, and a localised Word gives built-in
styles ids in its own language ("heading 1" becomes ``berschrift1``). So each style the
renderer relies on is looked up by its name, and its id, with every reference to it in
the package, made the one the renderer writes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx.document import Document as DocxDocument
from docx.oxml.ns import qn

from briefpack.errors import BriefpackError

#: style id the renderer writes -> the style's name in the shipped reference.docx
STYLE_NAMES = {
    "Normal": "Normal", "Title": "Title", "Subtitle": "Subtitle",
    "DividerTitle": "Divider Title", "DividerDetail": "Divider Detail",
    "Heading1": "heading 1", "Heading2": "heading 2", "Heading3": "heading 3",
    "Lead": "Lead", "Small": "Small", "Quote": "Quote", "ListBullet": "List Bullet",
    "ListNumber": "List Number", "Caption": "caption", "TableHeading": "Table Heading",
    "TableText": "Table Text", "KeyValue": "Key Value", "CalloutNote": "Callout Note",
    "CalloutWarning": "Callout Warning", "CalloutRag": "Callout RAG",
    "Marking": "Protective Marking", "TOCHeading": "TOC Heading", "TOC1": "toc 1",
    "TOC2": "toc 2", "TOC3": "toc 3", "BriefTable": "Brief Table", "Strong": "Strong",
}

#: elements whose w:val names a style by its id
_REFERENCES = frozenset(qn(f"w:{tag}") for tag in (
    "pStyle", "rStyle", "tblStyle", "basedOn", "next", "link", "numStyleLink", "styleLink",
    "clickAndTypeStyle", "defaultTableStyle"))


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def adopt_style_ids(doc: DocxDocument, reference_docx: Path) -> None:
    """Give each style the renderer relies on the id it writes, finding the style by its
    name (exactly, then ignoring case and spacing), else by that id. A reference.docx
    lacking one is refused, naming every style missing."""
    styles = list(doc.styles.element.iter(qn("w:style")))
    id_of = {id(s): s.get(qn("w:styleId")) for s in styles}

    def name(style) -> str:
        element = style.find(qn("w:name"))
        return element.get(qn("w:val"), "") if element is not None else ""

    found: dict[str, Any] = {}
    missing: list[str] = []
    for wanted_id, wanted_name in STYLE_NAMES.items():
        style = next((s for s in styles if name(s) == wanted_name), None)
        if style is None:
            style = next((s for s in styles if _key(name(s)) == _key(wanted_name)), None)
        if style is None:
            style = next((s for s in styles if id_of[id(s)] == wanted_id), None)
        if style is None or any(style is other for other in found.values()):
            missing.append(f"{wanted_name!r}")
        else:
            found[wanted_id] = style
    if missing:
        raise BriefpackError(f"{reference_docx} lacks the styles {', '.join(missing)}; "
                             "add them (or restyle a copy of the shipped reference.docx), "
                             "or regenerate it with templates/make_reference_docx.py")
    renames = {id_of[id(style)]: wanted for wanted, style in found.items()
               if id_of[id(style)] != wanted}
    if not renames:
        return
    # a style of the template's own that holds an id wanted for another moves aside
    claimed = set(renames.values())
    taken = set(id_of.values()) | claimed
    for style in styles:
        old = id_of[id(style)]
        if old in claimed and old not in renames and not any(
                style is s for s in found.values()):
            number = 2
            while f"{old}{number}" in taken:
                number += 1
            renames[old] = f"{old}{number}"
            taken.add(renames[old])
    _rename(doc, renames)


def _rename(doc: DocxDocument, renames: dict[str, str]) -> None:
    """Every style id in ``renames`` replaced, in the styles and wherever they are named."""
    for style in doc.styles.element.iter(qn("w:style")):
        old = style.get(qn("w:styleId"))
        if old in renames:
            style.set(qn("w:styleId"), renames[old])
    val = qn("w:val")
    for part in doc.part.package.iter_parts():
        element = getattr(part, "element", None)
        if element is None:
            continue
        for node in element.iter():
            if node.tag in _REFERENCES and node.get(val) in renames:
                node.set(val, renames[node.get(val)])

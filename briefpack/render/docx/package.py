"""Package-level plumbing for the .docx renderer: the cached template, document settings,
core properties and byte-stable saving. No knowledge of Brief blocks here."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import parse_xml
from docx.oxml.ns import qn

#: a fixed timestamp for every zip member, so one brief always gives the same bytes
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
#: used when a brief has no date: still deterministic, plainly not a real date
_FALLBACK_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


@lru_cache(maxsize=8)
def _template_bytes(path: Path, mtime_ns: int) -> bytes:
    """The template file's bytes; the mtime in the key reloads it after staff edit it."""
    return path.read_bytes()


def open_template(reference_docx: Path) -> DocxDocument:
    """A fresh python-docx Document built from the (cached) reference.docx."""
    if not reference_docx.is_file():
        raise FileNotFoundError(f"reference document not found: {reference_docx}")
    blob = _template_bytes(reference_docx, reference_docx.stat().st_mtime_ns)
    return Document(io.BytesIO(blob))


def set_language(doc: DocxDocument, language: str) -> None:
    """Make ``language`` the proofing language of every style (w:docDefaults) and the theme."""
    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr_default is None:
        raise ValueError("reference.docx has no w:docDefaults/w:rPrDefault; regenerate it")
    for lang in styles.iter(qn("w:lang")):
        lang.set(qn("w:val"), language)
    if rpr_default.find(qn("w:lang")) is None:
        rpr_default.append(parse_xml(
            f'<w:lang xmlns:w="{_W}" w:val="{language}" w:eastAsia="{language}" w:bidi="ar-SA"/>'))
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), language)


def show_fields_as_saved(doc: DocxDocument) -> None:
    """No w:updateFields: Word opens the file without asking to update its fields and shows
    the contents as saved (with the PDF layout's page numbers), as LibreOffice does."""
    settings = doc.settings.element
    for update in settings.findall(qn("w:updateFields")):
        settings.remove(update)


#: the Open Packaging core properties hold at most this many characters a value
CORE_PROPERTY_LIMIT = 255


def _fitted(text: str) -> str:
    """``text`` cut at a word to fit a core property, marked with an ellipsis if cut."""
    if len(text) <= CORE_PROPERTY_LIMIT:
        return text
    cut = text[: CORE_PROPERTY_LIMIT - 1].rsplit(" ", 1)[0].rstrip(" ;,")
    return cut + "…"


def set_core_properties(doc: DocxDocument, *, title: str, author: str, subject: str,
                        keywords: tuple[str, ...], language: str, date: dt.date | None) -> None:
    """Title, author, subject, keywords and language for search and screen readers; every
    date is the brief's own so the file does not change from one run to the next."""
    props = doc.core_properties
    stamp = (dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)
             if date else _FALLBACK_DATE)
    props.title = _fitted(title)
    props.author = _fitted(author)
    props.last_modified_by = _fitted(author)
    props.subject = _fitted(subject)
    props.keywords = _fitted("; ".join(keywords))
    props.language = language
    props.created = stamp
    props.modified = stamp
    # never printed yet: a build is not a print (the template's own date goes too)
    for printed in props._element.findall(qn("cp:lastPrinted")):
        props._element.remove(printed)
    props.revision = 1
    props.comments = ""
    props.category = ""
    props.content_status = ""
    props.identifier = ""
    props.version = ""


def save_deterministically(doc: DocxDocument, out: Path,
                           finish_document: Callable[[bytes], Iterable[bytes]] | None = None
                           ) -> None:
    """Save with fixed zip timestamps (python-docx stamps members with the current time);
    ``finish_document`` gets the last word on word/document.xml."""
    raw = io.BytesIO()
    doc.save(raw)
    with out.open("wb") as target:
        normalise_zip(raw.getvalue(), target, {"word/document.xml": finish_document}
                      if finish_document else {})


def normalise_zip(blob: bytes, target: BinaryIO,
                  rewrite: dict[str, Callable[[bytes], Iterable[bytes]]]) -> None:
    """Write the zip ``blob`` to ``target`` with fixed member timestamps and attributes,
    order kept; ``rewrite`` maps member names to functions that give their new content
    in pieces."""
    with zipfile.ZipFile(io.BytesIO(blob)) as source, \
            zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=_ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            content = source.read(member)
            if member.filename not in rewrite:
                zipped.writestr(info, content)
                continue
            with zipped.open(info, "w") as stream:
                for piece in rewrite[member.filename](content):
                    stream.write(piece)


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

"""Block types of the Brief document model.

Pure data: no python-docx, reportlab or Qt here. A renderer decides how a block looks,
never what it says. Text is plain Unicode; renderers escape it for their format.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

_RAG_WORD = re.compile(r"\b(red|amber|green)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Heading:
    """A section heading. Level 1 = a brief section, 2 = a sub-section, 3 = a minor heading.

    Level-1 and level-2 headings go into the contents and the PDF bookmarks.
    """

    text: str
    level: int = 1
    #: a stable id (e.g. "NOR-agreements") for bookmarks and cross references
    anchor: str = ""


@dataclass(frozen=True)
class Paragraph:
    text: str
    #: "body", "lead" (a standfirst), "small" (notes, sources) or "quote"
    style: str = "body"


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]
    numbered: bool = False


@dataclass(frozen=True)
class Column:
    title: str
    #: relative width; renderers share the page width out in proportion
    width: float = 1.0
    #: "left" or "right" (numbers, money)
    align: str = "left"


@dataclass(frozen=True)
class Table:
    """A data table. The header row repeats on every page; cells wrap; never merged."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    #: text to show instead of an empty table
    empty_text: str = "None recorded."


@dataclass(frozen=True)
class KeyValue:
    """Label/value pairs, e.g. the front sheet's visit details."""

    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Callout:
    """A boxed note: kind "note", "warning" (e.g. items withheld) or "rag"."""

    text: str
    title: str = ""
    kind: str = "note"

    def rag_band(self) -> str:
        """A "rag" callout's band as its words say it: "red", "amber" or "green" ("" for
        none). Renderers colour it so, repeating the word, never replacing it."""
        match = _RAG_WORD.search(f"{self.title} {self.text}") if self.kind == "rag" else None
        return match.group(1).lower() if match else ""


#: the words on a blank page a renderer puts in so that a PageBreak(parity="odd") starts
#: a right-hand page (in the PDF and the .docx alike)
BLANK_PAGE_NOTICE = "This page is intentionally left blank"


@dataclass(frozen=True)
class PageBreak:
    """Start a new page. ``parity="odd"`` starts the next right-hand page (packs)."""

    parity: str = ""


@dataclass(frozen=True)
class Contents:
    """Where the contents list goes; renderers fill it with real page numbers."""

    title: str = "Contents"
    #: deepest heading level listed
    depth: int = 1


@dataclass(frozen=True)
class Divider:
    """A page of its own with a large centred title: a pack cover or a country divider."""

    title: str
    subtitle: str = ""
    pairs: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class PartStart:
    """Begins one country's brief inside a pack.

    From here page labels read LABEL-1, LABEL-2 … (footer and PDF page labels), headings
    nest under ``title`` in the bookmarks, and the Word output starts a new section.
    """

    label: str
    title: str


Block = (Heading | Paragraph | Bullets | Table | KeyValue | Callout | PageBreak | Contents
         | Divider | PartStart)


@dataclass(frozen=True)
class BriefFacts:
    """What assembly decided about a brief or pack, for the build and its callers (never
    printed by a renderer): what was withheld, annexed and left out, and how much
    personal data it shows."""

    template: str = ""
    #: the country's code (a brief) or the destinations' codes (a pack)
    country: str = ""
    countries: tuple[str, ...] = ()
    #: section heading -> how many records were withheld from it (above the ceiling)
    withheld: dict[str, int] = field(default_factory=dict)
    #: section heading -> how many records the sensitive annex holds from it
    annex: dict[str, int] = field(default_factory=dict)
    #: the main body's marking (the whole brief's, less a sensitive annex)
    body_marking: str = ""
    #: section heading -> how many records a redacted brief left out as personal data
    personal_left_out: dict[str, int] = field(default_factory=dict)
    #: how many personal records the brief shows by name
    personal_records: int = 0
    #: the sections it shows whose data is stale, e.g. "Agreements (282 days)"
    stale: tuple[str, ...] = ()
    redacted: bool = False
    #: a pack: its copy number and whether it is large print
    pack: bool = False
    copy: int = 1
    large_print: bool = False


@dataclass(frozen=True)
class Brief:
    """One document: metadata plus an ordered list of blocks."""

    title: str
    #: the overall protective marking, printed at top and bottom of every page
    marking: str
    blocks: tuple[Block, ...]
    subject: str = ""
    author: str = ""
    language: str = "en-GB"
    keywords: tuple[str, ...] = ()
    date: dt.date | None = None
    #: short label for page labels and footers in packs, e.g. "NOR"
    label: str = ""
    #: "DRAFT" or "" — a watermark on every page
    watermark: str = ""
    #: body text size in points (12 standard; 14+ large print)
    base_font_size: float = 12.0
    facts: BriefFacts = field(default_factory=BriefFacts, compare=False)

    def headings(self, max_level: int = 2) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading) and b.level <= max_level]

    def text(self) -> str:
        """All the words in reading order (tests compare the two outputs against this)."""
        return "\n".join(block_text(b) for b in self.blocks)


def block_text(block: Block) -> str:
    match block:
        case Heading(text=t) | Paragraph(text=t):
            return t
        case Bullets(items=items):
            return "\n".join(items)
        case Table(columns=cols, rows=rows, caption=cap, empty_text=empty):
            head = [cap] if cap else []
            if not rows:
                return "\n".join(head + [empty])
            return "\n".join(head + [" | ".join(c.title for c in cols)]
                             + [" | ".join(r) for r in rows])
        case KeyValue(pairs=pairs):
            return "\n".join(f"{k}: {v}" for k, v in pairs)
        case Callout(title=title, text=t):
            return f"{title}\n{t}" if title else t
        case Contents(title=title):
            return title
        case Divider(title=title, subtitle=sub, pairs=pairs):
            return "\n".join([title, sub] + [f"{k}: {v}" for k, v in pairs]).strip()
        case PageBreak() | PartStart():
            return ""
    raise TypeError(f"not a Brief block: {block!r}")

"""The PDF style: a template's pdf-style.yaml read into frozen dataclasses, and its fonts.

Every key is required and checked; a problem names the file, the line and the key.
Fonts are registered with reportlab once per process (module-level cache).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import cache
from typing import Any
from pathlib import Path

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ... import paths, yamlio
from ...errors import DataError, Problem

STYLE_FILE = "pdf-style.yaml"
PAGE_SIZES = {"A4": A4, "A5": A5}
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass(frozen=True)
class PageStyle:
    size: str
    margin_top_mm: float
    margin_bottom_mm: float
    margin_left_mm: float
    margin_right_mm: float
    furniture_inset_mm: float

    @property
    def pagesize(self) -> tuple[float, float]:
        return PAGE_SIZES[self.size]

    def margins(self) -> tuple[float, float, float, float]:
        """Top, bottom, left, right in points."""
        return (self.margin_top_mm * mm, self.margin_bottom_mm * mm,
                self.margin_left_mm * mm, self.margin_right_mm * mm)


@dataclass(frozen=True)
class FontFiles:
    regular: str
    bold: str
    italic: str
    bold_italic: str


@dataclass(frozen=True)
class TextStyle:
    leading_ratio: float
    minimum_size: float
    heading1_scale: float
    heading2_scale: float
    heading3_scale: float
    lead_scale: float
    small_scale: float
    table_scale: float
    table_min_scale: float
    contents_scale: float
    divider_title_scale: float
    divider_subtitle_scale: float
    marking_scale: float
    footer_scale: float
    watermark_size: float


@dataclass(frozen=True)
class Spacing:
    paragraph_after_lines: float
    heading_before_lines: float
    heading_after_lines: float
    list_indent_lines: float
    cell_padding_pt: float
    callout_padding_pt: float
    callout_border_pt: float
    warning_border_pt: float
    rag_bar_pt: float


@dataclass(frozen=True)
class Colours:
    text: str
    heading: str
    table_header_fill: str
    table_grid: str
    note_border: str
    note_fill: str
    warning_border: str
    warning_fill: str
    rag_red: str
    rag_amber: str
    rag_green: str
    watermark: str

    def get(self, name: str) -> Color:
        return HexColor(getattr(self, name))


@dataclass(frozen=True)
class PdfStyle:
    page: PageStyle
    fonts: FontFiles
    text: TextStyle
    spacing: Spacing
    colours: Colours
    #: where the style came from, for error messages
    source: str = ""


_SECTION_CLASSES = {"page": PageStyle, "fonts": FontFiles, "text": TextStyle,
                    "spacing": Spacing, "colours": Colours}


def load_pdf_style(path: Path | str) -> PdfStyle:
    """Read and validate one pdf-style.yaml; every problem is reported together."""
    path = Path(path)
    data = yamlio.load(path)
    ctx = yamlio.Context(str(path))
    if not isinstance(data, yamlio.YMap):
        raise DataError(Problem(str(path), None, "", "expected a mapping of style sections"))
    for key in data:
        if key not in _SECTION_CLASSES:
            ctx.add(data.line_of(key), str(key),
                    f"unknown section; expected one of: {', '.join(_SECTION_CLASSES)}")
    sections: dict[str, Any] = {}
    for name, cls in _SECTION_CLASSES.items():
        if name not in data:
            ctx.add(getattr(data, "line", None), name, "required section is missing")
            continue
        sections[name] = yamlio.build(cls, data[name], ctx, name)
    ctx.raise_if_any()
    style = PdfStyle(**sections, source=str(path))
    _check_values(style, data, ctx)
    ctx.raise_if_any()
    return style


def _check_values(style: PdfStyle, data: dict, ctx: yamlio.Context) -> None:
    """Checks a type alone cannot express: ranges, colours, page sizes, font files."""
    for section in ("page", "text", "spacing"):
        for f in dataclasses.fields(getattr(style, section)):
            value = getattr(getattr(style, section), f.name)
            if isinstance(value, float) and value < 0:
                _problem(ctx, data, section, f.name, f"must not be negative, got {value:g}")
    if style.page.size not in PAGE_SIZES:
        _problem(ctx, data, "page", "size",
                 f"expected one of {', '.join(PAGE_SIZES)}, got {style.page.size!r}")
    if style.text.leading_ratio < 1:
        _problem(ctx, data, "text", "leading_ratio", "must be at least 1")
    for f in dataclasses.fields(Colours):
        if not _COLOUR.match(getattr(style.colours, f.name)):
            _problem(ctx, data, "colours", f.name, "expected a colour as \"#RRGGBB\"")
    for f in dataclasses.fields(FontFiles):
        if not font_path(getattr(style.fonts, f.name)).is_file():
            _problem(ctx, data, "fonts", f.name,
                     f"font file not found in {paths.assets_dir() / 'fonts'}")


def _problem(ctx: yamlio.Context, data: dict, section: str, key: str, message: str) -> None:
    ctx.add(data[section].line_of(key), f"{section}.{key}", message)


def default_style_path(template_dir: Path | None = None) -> Path:
    return (template_dir or paths.templates_dir() / "standard") / STYLE_FILE


def font_path(file_name: str) -> Path:
    return paths.assets_dir() / "fonts" / file_name


@dataclass(frozen=True)
class FontNames:
    """The reportlab names of one registered family."""

    regular: str
    bold: str
    italic: str
    bold_italic: str


def register_fonts(fonts: FontFiles) -> FontNames:
    """Register the four faces (once per process) and return their reportlab names."""
    return _register(fonts.regular, fonts.bold, fonts.italic, fonts.bold_italic)


@cache
def _register(regular: str, bold: str, italic: str, bold_italic: str) -> FontNames:
    names = FontNames(*(Path(f).stem for f in (regular, bold, italic, bold_italic)))
    for name, file_name in zip(dataclasses.astuple(names),
                               (regular, bold, italic, bold_italic), strict=True):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(font_path(file_name))))
    pdfmetrics.registerFontFamily(names.regular, normal=names.regular, bold=names.bold,
                                  italic=names.italic, boldItalic=names.bold_italic)
    return names


# -- scripts beyond the template's fonts -------------------------------------------------------

#: Chinese, Japanese and Korean characters (ideographs, kana, hangul, their punctuation)
CJK = re.compile("[\u2e80-\u2fff\u3000-\u30ff\u3100-\u31ff\u3200-\u9fff\uac00-\ud7af"
                 "\uf900-\ufaff\uff00-\uffef]+")
#: the reportlab name of the fallback font CJK runs are set in
CJK_FONT = "BriefpackFallbackCJK"
#: TrueType fonts with CJK glyphs, looked for on the computer in this order (none is
#: bundled: the smallest is several megabytes). On Debian and Ubuntu, fonts-droid-fallback
#: (Droid Sans Fallback, Apache licence 2.0); on Windows, the system's own. Noto Sans CJK
#: (fonts-noto-cjk, OFL) has CFF outlines, which reportlab cannot embed.
CJK_FONT_FILES = (
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/droid/DroidSansFallback.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "C:/Windows/Fonts/msgothic.ttc",
    "C:/Windows/Fonts/YuGothM.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)


@cache
def cjk_font() -> str | None:
    """The registered CJK fallback font's name, or None when the computer has none."""
    for path in CJK_FONT_FILES:
        if not Path(path).is_file():
            continue
        try:
            pdfmetrics.registerFont(TTFont(CJK_FONT, path))
        except Exception:  # noqa: BLE001 - a font reportlab cannot read: try the next
            continue
        pdfmetrics.registerFontFamily(CJK_FONT, normal=CJK_FONT, bold=CJK_FONT,
                                      italic=CJK_FONT, boldItalic=CJK_FONT)
        return CJK_FONT
    return None


def with_fallback_fonts(markup: str) -> str:
    """Paragraph markup with each run of CJK characters set in the fallback font (as it
    is when the computer has one)."""
    if not CJK.search(markup):
        return markup
    name = cjk_font()
    if name is None:
        return markup
    return CJK.sub(lambda m: f'<font name="{name}">{m.group(0)}</font>', markup)


def unprintable(text: str, fonts: FontNames) -> list[str]:
    """The characters of ``text`` the PDF cannot print: those neither the template's font
    nor a fallback has, and letters of right-to-left scripts (Arabic, Hebrew), whose
    joining and order reportlab does not lay out."""
    import unicodedata

    face = pdfmetrics.getFont(fonts.regular).face
    fallback = pdfmetrics.getFont(CJK_FONT).face if cjk_font() else None
    out = []
    for char in dict.fromkeys(text):
        code = ord(char)
        if char.isspace() or code < 32:
            continue
        if unicodedata.bidirectional(char) in ("R", "AL"):
            out.append(char)
        elif code not in face.charToGlyph and not (
                fallback is not None and CJK.match(char) and code in fallback.charToGlyph):
            out.append(char)
    return out

"""Colours for text that carries meaning (errors, warnings, stale data), taken from the
palette and checked for contrast, so they stay readable in light and dark themes."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette, qGray
from PySide6.QtWidgets import QApplication

#: WCAG AA for normal text
MIN_CONTRAST = 4.5
#: the hue each kind of message starts from (light-theme shade)
HUES = {"error": "#b00020", "warning": "#8b4500", "stale": "#8b4500", "ok": "#2e7d32",
        "training": "#8b4500"}


def luminance(colour: QColor) -> float:
    """Relative luminance (WCAG 2.x)."""
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF()))


def contrast_ratio(first: QColor, second: QColor) -> float:
    """WCAG contrast ratio of two colours, 1 to 21."""
    a, b = sorted((luminance(first), luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def _mix(colour: QColor, towards: QColor, amount: float) -> QColor:
    return QColor.fromRgbF(*(c + (t - c) * amount for c, t in (
        (colour.redF(), towards.redF()), (colour.greenF(), towards.greenF()),
        (colour.blueF(), towards.blueF()))))


def readable(colour: QColor, background: QColor, minimum: float = MIN_CONTRAST) -> QColor:
    """``colour``, moved towards black or white (whichever the background is not) only as
    far as needed to reach ``minimum`` contrast on ``background``."""
    if contrast_ratio(colour, background) >= minimum:
        return colour
    target = QColor("white") if luminance(background) < 0.18 else QColor("black")
    for step in range(1, 21):
        mixed = _mix(colour, target, step / 20)
        if contrast_ratio(mixed, background) >= minimum:
            return mixed
    return target


def tab_pane(palette: QPalette) -> QColor:
    """The colour the Fusion style paints a tab widget's page with: the button colour
    lightened as Fusion does (a dark #353535 window gives #434343 pages)."""
    button = palette.color(QPalette.ColorRole.Button)
    gray = qGray(button.rgb())
    shade = button.lighter(100 + max(1, (180 - gray) // 6))
    shade.setHsv(shade.hue(), int(shade.saturation() * 0.75), shade.value())
    return shade.lighter(104)


def backgrounds(palette: QPalette, role: QPalette.ColorRole) -> list[QColor]:
    """What a text may sit on: the role's colour, and for labels (Window) a tab page too."""
    out = [palette.color(role)]
    pane = tab_pane(palette)
    # a palette whose buttons are light in a dark theme (or dark in a light one) is not
    # one a theme ships: its pages are left to the window's colour
    if role == QPalette.ColorRole.Window and (luminance(pane) < 0.18) == (
            luminance(out[0]) < 0.18):
        out.append(pane)
    return out


def meaning_colour(kind: str, palette: QPalette | None = None,
                   role: QPalette.ColorRole = QPalette.ColorRole.Window) -> QColor:
    """The colour for a kind of message ('error', 'warning', 'stale', 'ok') on the
    palette's ``role`` background (Window for labels, Base for views), readable on a tab
    page too, which Fusion paints lighter than the window in a dark theme."""
    palette = palette or QApplication.palette()
    under = backgrounds(palette, role)
    hue = QColor(HUES.get(kind, HUES["warning"]))
    if luminance(under[0]) < 0.18:  # a dark theme: start from a lighter shade
        hue = _mix(hue, QColor("white"), 0.45)
    # the background nearest the text's own lightness is the one that limits contrast
    return readable(hue, min(under, key=lambda b: contrast_ratio(hue, b)))


def style_for(kind: str, palette: QPalette | None = None, *, bold: bool = True) -> str:
    """A style sheet fragment for a QLabel showing a message of this kind."""
    colour = meaning_colour(kind, palette).name()
    return f"color: {colour};" + (" font-weight: bold;" if bold else "")

"""The window icon, drawn at start (no image files to ship or lose)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap


def _draw(size: int) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    margin = size * 0.06
    page = QRectF(margin, margin, size - 2 * margin, size - 2 * margin)
    painter.setBrush(QColor("#1f3a5f"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawRoundedRect(page, size * 0.14, size * 0.14)
    # a folded brief: white sheet with a marking band at top and bottom
    sheet = page.adjusted(size * 0.2, size * 0.12, -size * 0.2, -size * 0.12)
    painter.setBrush(QColor("white"))
    painter.drawRect(sheet)
    painter.setBrush(QColor("#c62828"))
    band = sheet.height() * 0.1
    painter.drawRect(QRectF(sheet.left(), sheet.top(), sheet.width(), band))
    painter.drawRect(QRectF(sheet.left(), sheet.bottom() - band, sheet.width(), band))
    painter.setPen(QColor("#1f3a5f"))
    font = QFont()
    font.setBold(True)
    font.setPixelSize(max(int(sheet.height() * 0.5), 6))
    painter.setFont(font)
    painter.drawText(sheet, Qt.AlignmentFlag.AlignCenter, "b")
    painter.end()
    return pixmap


def app_icon() -> QIcon:
    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256):
        icon.addPixmap(_draw(size))
    return icon

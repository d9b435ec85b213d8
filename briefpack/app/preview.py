"""The brief as PDF inside the window, re-rendered in the background after edits settle."""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPointF, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QPushButton, QSpinBox, QToolButton, QVBoxLayout, QWidget,
)

from . import dialogs, printing
from .build_worker import Jobs

#: quiet time after the last edit before the preview is rebuilt
DEBOUNCE_MS = 250
#: each zoom step multiplies or divides by this; the zoom stays within the limits
ZOOM_STEP, MIN_ZOOM, MAX_ZOOM = 1.25, 0.25, 4.0

#: a preview job writes one PDF into the folder it is given and returns its path
PreviewJob = Callable[[Path], Path]


class PreviewPanel(QWidget):
    """Shows the latest preview PDF; ``request()`` asks for a fresh one."""

    #: a new preview is showing; seconds since the first request it answers
    refreshed = Signal(float)
    failed = Signal(str)

    def __init__(self, jobs: Jobs, parent=None):
        super().__init__(parent)
        self.jobs = jobs
        self.folder = Path(tempfile.mkdtemp(prefix="briefpack-preview-"))
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setAccessibleName("Brief preview")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.pdf_path: Path | None = None
        #: the print job's name: what the preview shows ("Norway brief"), not its temp file
        self.document_name = ""
        self._job: PreviewJob | None = None
        self._asked_at: float | None = None
        self._running = False
        self._serial = 0
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self._start)

        self.status = QLabel("The preview appears here once a country or visit is chosen.", self)
        self.status.setAccessibleName("Preview status")
        self.status.setWordWrap(True)
        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.setAccessibleName("Refresh the preview")
        self.refresh_button.clicked.connect(self.refresh_now)
        self.print_button = QPushButton("Print…", self)
        self.print_button.setAccessibleName("Print the brief")
        self.print_button.clicked.connect(lambda: self.print_dialog())
        self.open_button = QPushButton("Open", self)
        self.open_button.setToolTip("Open the preview in the PDF viewer")
        self.open_button.setAccessibleName("Open the preview in the PDF viewer")
        self.open_button.clicked.connect(self.open_external)
        for button in (self.print_button, self.open_button):
            button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(buttons)
        layout.addLayout(self._navigation())
        layout.addWidget(self.status)
        layout.addWidget(self.view, 1)

    def _navigation(self) -> QHBoxLayout:
        """Page n of m with previous/next, and zoom out/in/fit width."""
        def tool(text: str, name: str, slot, keys: str = "") -> QToolButton:
            button = QToolButton(self)
            button.setText(text)
            button.setAccessibleName(name)
            button.setToolTip(f"{name} ({keys})" if keys else name)
            button.clicked.connect(slot)
            if keys:
                shortcut = QShortcut(QKeySequence(keys), self)
                shortcut.setWhatsThis(name)  # named in Help → Keyboard shortcuts
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(slot)
            return button

        self.page = QSpinBox(self)
        self.page.setAccessibleName("Page shown")
        self.page.setMinimum(1)
        self.page.setMaximum(1)
        self.page.setKeyboardTracking(False)
        self.page.valueChanged.connect(lambda number: self.go_to_page(number - 1))
        self.pages = QLabel("of 0", self)
        self.view.pageNavigator().currentPageChanged.connect(self._page_changed)
        row = QHBoxLayout()
        row.addWidget(tool("◀", "Previous page", lambda: self.go_to_page(self.current_page() - 1),
                           "PgUp"))
        row.addWidget(self.page)
        row.addWidget(self.pages)
        row.addWidget(tool("▶", "Next page", lambda: self.go_to_page(self.current_page() + 1),
                           "PgDown"))
        row.addStretch(1)
        row.addWidget(tool("−", "Zoom out", lambda: self.zoom(1 / ZOOM_STEP), "Ctrl+-"))
        self.zoom_label = QLabel("Fit width", self)
        self.zoom_label.setAccessibleName("Zoom")
        row.addWidget(self.zoom_label)
        row.addWidget(tool("+", "Zoom in", lambda: self.zoom(ZOOM_STEP), "Ctrl++"))
        row.addWidget(tool("Fit", "Fit the page width", self.fit_width, "Ctrl+0"))
        return row

    def current_page(self) -> int:
        return self.view.pageNavigator().currentPage()

    def go_to_page(self, page: int) -> None:
        count = self.document.pageCount()
        if count and 0 <= page < count and page != self.current_page():
            self.view.pageNavigator().jump(page, QPointF(), self.view.zoomFactor())

    def _page_changed(self, page: int) -> None:
        self.page.blockSignals(True)
        self.page.setValue(page + 1)
        self.page.blockSignals(False)

    def zoom(self, factor: float) -> None:
        """Zoom by ``factor`` from what is shown now (fit width becomes a fixed zoom)."""
        current = self.view.zoomFactor()
        if self.view.zoomMode() != QPdfView.ZoomMode.Custom:
            current = self._fitted_zoom()
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(min(max(current * factor, MIN_ZOOM), MAX_ZOOM))
        self.zoom_label.setText(f"{round(self.view.zoomFactor() * 100)}%")

    def _fitted_zoom(self) -> float:
        """The zoom fit-to-width shows: the viewport's width over the page's (in pixels)."""
        if not self.document.pageCount():
            return 1.0
        points = self.document.pagePointSize(0).width()
        pixels = points / 72 * self.logicalDpiX()
        return max(self.view.viewport().width() - 20, 50) / max(pixels, 1)

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.zoom_label.setText("Fit width")

    # -- requests -------------------------------------------------------------------------

    def request(self, job: PreviewJob | None) -> None:
        """Ask for a preview made by ``job``; rapid requests collapse into one render."""
        self._job = job
        if job is None:
            self._timer.stop()
            return
        if self._asked_at is None:
            self._asked_at = time.perf_counter()
        self.status.setText("Updating the preview…")
        self._timer.start()

    def refresh_now(self) -> None:
        if self._job is not None:
            self._asked_at = self._asked_at or time.perf_counter()
            self._timer.stop()
            self._start()

    def _start(self) -> None:
        if self._job is None:
            return
        if self._running:
            self._timer.start()  # the render in flight is out of date: go again after it
            return
        self._running = True
        self._serial += 1
        target = self.folder / f"preview-{self._serial}.pdf"
        job = self._job
        self.jobs.start(lambda: job(target), name="preview",
                        on_finished=self._finished, on_failed=self._failed)

    def _finished(self, path) -> None:
        self._running = False
        self.load(Path(path))
        asked, self._asked_at = self._asked_at, None
        if asked is not None and not self._timer.isActive():
            self.refreshed.emit(time.perf_counter() - asked)

    def _failed(self, message: str) -> None:
        self._running = False
        self._asked_at = None
        self.status.setText(f"The preview could not be made: {message}")
        self.failed.emit(message)

    def load(self, path: Path) -> None:
        """Show a PDF (keeping the reader's page)."""
        page = self.view.pageNavigator().currentPage()
        previous = self.pdf_path
        self.document.close()
        error = self.document.load(str(path))
        if error != QPdfDocument.Error.None_:
            self.status.setText(f"The preview could not be shown: {error.name} ({path})")
            return
        self.pdf_path = path
        if 0 < page < self.document.pageCount():
            self.view.pageNavigator().jump(page, QPointF(), self.view.zoomFactor())
        pages = self.document.pageCount()
        self.page.setMaximum(max(pages, 1))
        self.pages.setText(f"of {pages}")
        self._page_changed(self.current_page())
        self.status.setText(f"Preview: {pages} page{'s' if pages != 1 else ''}, "
                            f"updated {time.strftime('%H:%M:%S')}.")
        for button in (self.print_button, self.open_button):
            button.setEnabled(True)
        if previous is not None and previous != path:
            previous.unlink(missing_ok=True)

    # -- printing -----------------------------------------------------------------------------

    def print_dialog(self, path: Path | None = None, name: str = "") -> None:
        """Print ``path`` (default: the preview) under a job name people recognise: the PDF
        itself goes to the system's printing, two-sided if it was laid out for it."""
        path = path or self.pdf_path
        if path is None:
            self.status.setText("Nothing to print yet: the preview is still being made.")
            return
        title = name or self.document_name or path.stem
        two_sided = printing.laid_out_two_sided(path)
        job: printing.PrintJob | None = printing.PrintJob(path, title, two_sided)
        if sys.platform != "win32":  # there the PDF application's own print action asks
            job = self.ask_printer(path, title, two_sided, pack=bool(name))
        if job is None:
            return
        self.status.setText("Sending it to the printer…")
        self.jobs.start(lambda: printing.send(job), name="print",
                        on_finished=lambda said: self.status.setText(
                            f"Sent “{title}” to the printer. {said}"),
                        on_failed=lambda message: dialogs.show_error(self, "Cannot print",
                                                                     message))

    def ask_printer(self, path: Path, title: str, two_sided: bool, *,
                    pack: bool = False) -> printing.PrintJob | None:
        """The printer, copies, pages and sides, asked in the system's print dialog; None if
        cancelled, or if the user printed to a file (the PDF is copied there)."""
        printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
        printer.setDocName(title)
        printer.setDuplex(QPrinter.DuplexMode.DuplexLongSide if two_sided
                          else QPrinter.DuplexMode.DuplexNone)
        # a printer Qt cannot ask about (none set up, or no duplex unit it knows of) keeps
        # the PDF's own choice: the print system applies it where the printer can
        asked = not two_sided or printer.duplex() != QPrinter.DuplexMode.DuplexNone
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print the pack" if pack else "Print the brief")
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return None
        if printer.outputFileName():
            shutil.copyfile(path, printer.outputFileName())
            self.status.setText(f"Saved “{title}” as {printer.outputFileName()}.")
            return None
        pages = f"{printer.fromPage()}-{printer.toPage()}" \
            if printer.printRange() == QPrinter.PrintRange.PageRange else ""
        return printing.PrintJob(
            path, title,
            printer.duplex() != QPrinter.DuplexMode.DuplexNone if asked else two_sided,
            printer.printerName(), max(printer.copyCount(), 1), pages)

    def open_external(self) -> None:
        if self.pdf_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.pdf_path)))

    def cleanup(self) -> None:
        self.document.close()
        shutil.rmtree(self.folder, ignore_errors=True)

"""The app's build progress: a pack's render moves the bar page by page and the label
names the file and the page; Esc cancels mid-render."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtPdfWidgets")

from PySide6.QtCore import Qt  # noqa: E402

from briefpack import model  # noqa: E402
from briefpack.app import domain  # noqa: E402
from briefpack.app.build_progress import BAR_STEPS  # noqa: E402
from briefpack.app import dialogs as dialogs_module  # noqa: E402
from briefpack.app.main_window import MainWindow  # noqa: E402
from briefpack.options import BuildOptions  # noqa: E402
from briefpack.pipeline import PARALLEL_FROM  # noqa: E402

from fixtures_app import errors, store_path  # noqa: E402,F401  (fixtures)
from test_app_daily import window  # noqa: E402,F401  (fixture)

WAIT_MS = 60000
TEN = ("NOR", "DNK", "LVA", "FRA", "DEU", "POL", "EST", "LTU", "SWE", "FIN")


def pack_request(window: MainWindow, out: Path) -> domain.BuildRequest:
    assert len(TEN) >= PARALLEL_FROM  # rendered in the pack's worker process
    visit = model.Visit(title="Tour of ten partners", principal="Minister for the Armed Forces",
                        start=dt.date(2026, 12, 7), end=dt.date(2026, 12, 12), countries=TEN,
                        template="standard")
    return domain.BuildRequest(store_path=window.store.path, countries=TEN, visit=visit,
                               pack=True, options=BuildOptions(out_dir=out, author="Jo Bloggs"),
                               priorities_path=window.priorities_path)


def test_the_bar_moves_during_a_pack_render_and_the_label_names_the_page(qtbot, window,
                                                                         tmp_path, monkeypatch):
    monkeypatch.setattr(dialogs_module.BuildDoneDialog, "exec", lambda self: 0)
    window.resize(1366, 768)
    shown: list[tuple[int, str, str]] = []
    worker = window.builds.start(pack_request(window, tmp_path / "out"))
    # connected after the window's own slot: sees the bar and label as the window left them
    worker.signals.stepped.connect(lambda progress: shown.append(
        (window.builds.progress.value(), window.message.text(), window.builds.progress.format())))
    qtbot.waitUntil(lambda: window.builds.worker is None, timeout=WAIT_MS)
    assert sorted(p.suffix for p in (tmp_path / "out").iterdir()) == [".docx", ".pdf"]
    values = [value for value, _, _ in shown]
    assert values == sorted(values) and values[-1] == BAR_STEPS
    writing = [(value, label) for value, label, _ in shown if label.startswith("Writing")]
    pages = [(value, label) for value, label in writing if " — laying out page " in label]
    assert pages, [label for _, label in writing]
    assert "-pack-standard.docx — laying out page " in pages[0][1]
    # the bar moves within the render, not one step in fifteen
    render_values = sorted({value for value, _ in writing})
    assert len(render_values) >= 3
    assert render_values[-1] - render_values[0] > BAR_STEPS // 2
    assert all(fmt.endswith("%") or " s" in fmt for _, _, fmt in shown)


def test_escape_cancels_a_pack_mid_render(qtbot, window, tmp_path):
    out = tmp_path / "out"
    request = pack_request(window, out)
    worker = window.builds.start(request)
    labels: list[str] = []
    worker.signals.stepped.connect(lambda progress: labels.append(window.message.text()))
    qtbot.waitUntil(lambda: any(" — laying out page " in label for label in labels)
                    or window.builds.worker is None, timeout=WAIT_MS)
    if window.builds.worker is None:
        pytest.skip("the pack was built before Esc could be pressed")
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.builds.worker is None, timeout=WAIT_MS)
    assert window.message.text() == "Build cancelled."
    assert not out.exists() or list(out.iterdir()) == []

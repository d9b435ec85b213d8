"""Finer build progress: renderers report pages (and Word its briefs) as they go; builds
and packs pass that on as Progress details, from a thread or from the pack's worker
process; the terminal line shows it; Cancel stops a render mid-way."""

from __future__ import annotations

import datetime as dt
import sys
import threading
import time

import pytest

from briefpack import background, cli, pipeline
from briefpack.pipeline import PARALLEL_FROM, BuildOptions, build, build_pack, run
from briefpack.progress import Detail, Plan, Progress, forwards
from briefpack.render.docx import render_docx
from briefpack.render.pdf import render_pdf
from briefpack import model

from test_pack import TODAY, TOUR, db, tour  # noqa: F401  (fixtures of a sample pack)

pypdf = pytest.importorskip("pypdf")

#: enough countries for a pack rendered in a worker process
TEN = ("NOR", "DNK", "LVA", "FRA", "DEU", "POL", "EST", "LTU", "SWE", "FIN")


@pytest.fixture(scope="module")
def pack_brief(db, tour, tmp_path_factory):
    options = BuildOptions(out_dir=tmp_path_factory.mktemp("pack"), today=TODAY,
                           formats=["pdf"])
    return run(build_pack(db, options, visit=tour)).briefs[0]


def ten_country_visit() -> model.Visit:
    assert len(TEN) >= PARALLEL_FROM
    return model.Visit(title="Tour of ten partners", principal="Minister for the Armed Forces",
                       start=dt.date(2026, 12, 7), end=dt.date(2026, 12, 12), countries=TEN,
                       template="standard")


# -- the renderers -----------------------------------------------------------------------------

def test_pdf_reports_pages_counting_up_to_the_real_page_count(pack_brief, tmp_path):
    seen: list[Detail] = []
    out = tmp_path / "pack.pdf"
    pages = render_pdf(pack_brief, out, on_progress=seen.append)
    real = len(pypdf.PdfReader(out).pages)
    assert pages == real and len(seen) >= real  # a report per page at least
    counts = [d.done for d in seen]
    assert counts == sorted(counts) and counts[0] == 1
    assert seen[-1] == Detail(real, real, "page")  # the last: the real count, no "about"
    assert all(d.unit == "page" for d in seen)
    assert all(d.expected is None or d.done <= d.expected for d in seen)
    shares = [d.fraction for d in seen]
    assert shares == sorted(shares) and shares[-1] == 1.0
    guessed = [d for d in seen[:-1] if d.expected is not None]
    assert guessed and all(d.estimated for d in guessed)
    assert "page 1" in str(seen[0]) and f"page {real} of {real}" == str(seen[-1])
    assert any(" of about " in str(d) for d in guessed)


def test_word_reports_the_layout_then_each_brief_of_the_pack(pack_brief, tour, tmp_path):
    seen: list[Detail] = []
    render_docx(pack_brief, tmp_path / "pack.docx", on_progress=seen.append)
    laying_out = [d for d in seen if d.activity == "laying out"]
    briefs = [d for d in seen if d.unit == "brief"]
    assert laying_out and briefs and seen.index(briefs[0]) > seen.index(laying_out[-1])
    countries = len(tour.countries)
    assert [d.done for d in briefs] == [*range(1, countries + 1), countries]
    assert {d.expected for d in briefs} == {countries}
    assert str(briefs[0]) == f"brief 1 of {countries}"
    shares = [d.fraction for d in seen]
    assert shares == sorted(shares) and 0 < shares[-1] < 1  # saving is still to come


def test_a_brief_is_reported_by_sections_in_word(sample_store, tmp_path):
    result = run(build(sample_store, BuildOptions(out_dir=tmp_path, formats=["pdf"]),
                       country="NOR"))
    seen: list[Detail] = []
    render_docx(result.briefs[0], tmp_path / "nor.docx", on_progress=seen.append)
    sections = [d for d in seen if d.unit == "section"]
    assert sections and sections[-1].done == sections[-1].expected > 1


# -- the progress protocol ---------------------------------------------------------------------

def test_a_detail_never_shows_a_count_beyond_its_total():
    assert Detail(130, 120, "page", estimated=True).expected == 130
    assert str(Detail(37, 120, "page", estimated=True)) == "page 37 of about 120"
    assert str(Detail(12, 60, "brief")) == "brief 12 of 60"
    assert str(Detail(9, None, "page", activity="laying out")) == "laying out page 9"
    step = Progress(3, 5, "Writing pack.pdf", detail=Detail(37, 120, "page", estimated=True))
    assert step.text == "Writing pack.pdf — page 37 of about 120"
    assert Progress(3, 5, "Writing pack.pdf").text == "Writing pack.pdf"


def test_a_plan_weighs_steps_by_their_cost_and_never_goes_back():
    plan = Plan((1.0, 1.0, 8.0, 0.0))
    seen = [plan.progress(1, "a"), plan.progress(2, "b"), plan.progress(3, "render"),
            plan.progress(3, "render", detail=Detail(5, 10, "page")),
            plan.progress(3, "render", detail=Detail(10, 10, "page")),
            plan.progress(4, "done", result="r")]
    assert [p.done for p in seen] == [0.0, 0.1, 0.2, 0.6, 1.0, 1.0]
    assert all(p.total == 4 for p in seen)
    assert Progress(2, 4, "old style").done == 0.25  # no plan: equal steps


def test_forwards_drops_news_that_would_go_backwards():
    news = [Detail(5, 50, "page", share=0.1), Detail(1, 50, "page", share=0.12),
            Detail(6, 50, "page", share=0.09), Detail(7, 50, "page", share=0.15),
            Detail(1, 3, "brief", share=0.9)]
    assert [(d.unit, d.done) for d in forwards(news)] == [("page", 5), ("page", 7),
                                                          ("brief", 1)]


def test_work_in_a_thread_stops_at_its_next_report_when_closed():
    reports = []

    def work(report):
        for page in range(1, 10_000):
            reports.append(page)
            report(Detail(page, None, "page"))
            time.sleep(0.001)
        return "finished"

    following = background.in_thread(work, name="test-work", every=0)
    first = next(following)
    assert first.done >= 1
    following.close()
    stopped_at = len(reports)
    assert stopped_at < 9_999
    time.sleep(0.05)
    assert len(reports) == stopped_at  # it ran no further
    assert not any(t.name == "test-work" for t in threading.enumerate())


def test_work_in_a_thread_gives_its_result_or_its_error():
    def failing(report):
        report(Detail(1, 2, "page"))
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        list(background.in_thread(failing))

    def fine(report):
        return 42

    following = background.in_thread(fine)
    with pytest.raises(StopIteration) as stop:
        next(following)
    assert stop.value.value == 42


# -- builds and packs --------------------------------------------------------------------------

def test_a_brief_build_reports_the_pages_it_writes(db, tmp_path):
    seen = list(build(db, BuildOptions(out_dir=tmp_path, formats=["pdf"], today=TODAY),
                      country="NOR"))
    news = [p for p in seen if p.detail is not None]
    assert news and all(p.message.startswith("Writing ") for p in news)
    pdf = seen[-1].result.outputs[0]
    real = len(pypdf.PdfReader(pdf).pages)
    assert news[-1].detail == Detail(real, real, "page")
    assert [p.done for p in seen] == sorted(p.done for p in seen)


def test_a_big_pack_reports_the_render_from_its_worker_process(db, tmp_path, monkeypatch):
    def not_here(*args, **kwargs):
        raise AssertionError("a big pack renders in its worker process, not here")

    monkeypatch.setattr(pipeline._Staging, "render", not_here)
    options = BuildOptions(out_dir=tmp_path, today=TODAY)
    seen = list(build_pack(db, options, visit=ten_country_visit(), workers=2))
    news = [p for p in seen if p.detail is not None]
    assert {p.message.rsplit(".", 1)[1] for p in news} >= {"docx"}
    pages = [p.detail for p in news if p.detail.unit == "page"]
    assert pages and pages[0].activity == "laying out"
    assert any(p.detail.unit == "brief" for p in news)
    assert [p.done for p in seen] == sorted(p.done for p in seen)
    # the render is most of a pack's work: its news moves the share most of the way
    writing = [p.done for p in seen if p.message.startswith("Writing")]
    assert writing[0] < 0.3 and writing[-1] > 0.8
    pdf = next(p for p in seen[-1].result.outputs if p.suffix == ".pdf")
    real = len(pypdf.PdfReader(pdf).pages)
    assert all(d.done <= real for d in pages)


def test_cancel_stops_a_big_pack_mid_render_and_leaves_nothing(db, tmp_path):
    out = tmp_path / "out"
    steps = build_pack(db, BuildOptions(out_dir=out, today=TODAY), visit=ten_country_visit(),
                       workers=2)
    for progress in steps:
        if progress.detail is not None:  # mid-render
            break
    else:
        pytest.fail("the render reported nothing")
    started = time.monotonic()
    steps.close()
    assert time.monotonic() - started < 5
    assert not out.exists()


def test_cancel_stops_an_in_process_render_at_its_next_page(db, tour, tmp_path):
    out = tmp_path / "out"
    steps = build_pack(db, BuildOptions(out_dir=out, today=TODAY), visit=tour)
    for progress in steps:
        if progress.detail is not None:
            break
    steps.close()
    assert not any(t.name.startswith("briefpack-render") for t in threading.enumerate())
    assert not out.exists()


# -- the command line --------------------------------------------------------------------------

def test_the_terminal_line_shows_the_pages_of_a_pack(db, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert cli.main(["--db", str(db), "pack", str(TOUR), "--out", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    lines = err.split("\r")
    assert any("— laying out page " in line and "%" in line for line in lines)
    assert any("— brief 3 of 3" in line for line in lines)
    assert err.endswith("\n") and "100%" in lines[-1]


def test_a_log_gets_no_progress_lines(db, tmp_path, capsys):
    assert cli.main(["--db", str(db), "pack", str(TOUR), "--out", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "\r" not in err and "page" not in err

"""``--sensitive-annex``: OFFICIAL-SENSITIVE material only after the annex heading, on pages
of its own; the main body and the front sheet hold none of it; the whole document keeps
the combined marking on every page."""

from __future__ import annotations

import zipfile

import pytest
from test_ceiling_e2e import (ABOVE, TODAY, assert_marked_everywhere, build_files,  # noqa: F401
                              pdf_page_lines, places, planted)

from briefpack.brief.assemble import SENSITIVE_ANNEX_HEADING
from briefpack.brief.document import Heading, PageBreak
from briefpack.pipeline import BuildOptions, build, run
from briefpack.store import Store

OVERALL = "OFFICIAL-SENSITIVE - PERSONAL DATA"


@pytest.fixture
def annexed(planted, tmp_path, capsys):
    db, sentinels = planted
    return build_files(db, tmp_path / "out", "--sensitive-annex"), sentinels


def test_sensitive_material_is_only_in_the_annex_of_the_pdf(annexed):
    files, sentinels = annexed
    pages = pdf_page_lines(files[1])
    starts = [i for i, lines in enumerate(pages) if SENSITIVE_ANNEX_HEADING in lines]
    # the heading is also named by the contents list and the front sheet; the annex
    # itself begins a page, straight after the marking
    annex = next(i for i in starts if pages[i][1] == SENSITIVE_ANNEX_HEADING)
    body, tail = pages[:annex], pages[annex:]
    assert all(ABOVE not in "".join("".join(lines).split()) for lines in body)
    tail_text = "".join("".join(line.split()) for lines in tail for line in lines)
    for sentinel in sentinels.values():
        assert sentinel in tail_text, sentinel
    assert_marked_everywhere(files, OVERALL)


def test_sensitive_material_is_only_after_the_annex_heading_in_the_docx(annexed):
    files, sentinels = annexed
    with zipfile.ZipFile(files[0]) as package:
        document = package.read("word/document.xml").decode()
        others = [n for n in package.namelist() if n != "word/document.xml"]
        assert not any(ABOVE.encode() in package.read(n) for n in others)
    heading = document.rindex(f">{SENSITIVE_ANNEX_HEADING}<")
    assert ABOVE not in document[:heading]
    assert all(s in document[heading:] for s in sentinels.values())


def test_front_sheet_says_what_the_annex_holds_without_its_content(planted, tmp_path):
    db, sentinels = planted
    store = Store.open(db)
    try:
        brief = run(build(store, BuildOptions(formats=["pdf"], out_dir=tmp_path,
                                              sensitive_annex=True, today=TODAY),
                          country="NOR")).briefs[0]
    finally:
        store.close()
    blocks = list(brief.blocks)
    at = next(i for i, b in enumerate(blocks)
              if isinstance(b, Heading) and b.text == SENSITIVE_ANNEX_HEADING)
    assert isinstance(blocks[at - 1], PageBreak) and blocks[at].level == 1
    front = blocks[:next(i for i, b in enumerate(blocks) if isinstance(b, PageBreak))]
    front_text = "\n".join(map(_text, front))
    assert ABOVE not in front_text
    assert f"{SENSITIVE_ANNEX_HEADING}, at the end of this brief, holds 5 items" in \
        " ".join(front_text.split())
    assert brief.facts.annex == {
        "Who's who": 2, "Relationship summary": 2,
        "Active agreements": 1, "Alumni of UK military education": 1,
        "Export and capability-collaboration opportunities": 1}
    assert brief.facts.withheld == {}
    assert brief.marking == OVERALL
    assert brief.facts.body_marking == "OFFICIAL"
    body = "\n".join(map(_text, blocks[:at]))
    assert ABOVE not in body


def test_the_main_body_is_scored_from_the_main_body_only(planted, tmp_path):
    """A score in the main body that counted annex records would hint at them."""
    db, _ = planted
    store = Store.open(db)
    try:
        plain, annexed = (run(build(store, BuildOptions(formats=["pdf"], out_dir=tmp_path / n,
                                                        ceiling=ceiling, sensitive_annex=split,
                                                        today=TODAY), country="NOR")).briefs[0]
                          for n, ceiling, split in (("a", "OFFICIAL", False), ("b", None, True)))
    finally:
        store.close()
    annex = next(i for i, b in enumerate(annexed.blocks)
                 if isinstance(b, Heading) and b.text == SENSITIVE_ANNEX_HEADING)
    body = [b.text for b in annexed.blocks[:annex] if isinstance(b, Heading)]
    # the scorecard's headings carry each objective's score
    assert body == [b.text for b in plain.blocks if isinstance(b, Heading)]


def test_no_annex_when_nothing_is_sensitive(sample_store, tmp_path):
    brief = run(build(sample_store, BuildOptions(formats=["pdf"], out_dir=tmp_path,
                                                 sensitive_annex=True, today=TODAY),
                      country="NOR")).briefs[0]
    assert SENSITIVE_ANNEX_HEADING not in brief.text()
    assert brief.facts.annex == {}


def test_the_annex_and_the_ceiling_together_leave_nothing_sensitive(planted, tmp_path,
                                                                   capsys):
    db, _ = planted
    files = build_files(db, tmp_path / "out", "--sensitive-annex", "--ceiling", "OFFICIAL")
    assert places(files, ABOVE) == []
    assert_marked_everywhere(files, "OFFICIAL")


def _text(block) -> str:
    from briefpack.brief.document import block_text

    return block_text(block)

"""``--redact personal``: personal data left out of both files (not covered up), no author,
PERSONAL DATA off the marking once none remains; and the aggregation warning."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest
from test_ceiling_e2e import (TODAY, assert_marked_everywhere, build_files, pdf_places,
                              places)

from briefpack import model
from briefpack.brief import redaction
from briefpack.pipeline import BuildOptions, build, run

PERSONAL = "SENTINEL-PERSONAL-5c1e"
ROLE = "Chief of Sentinel Defence Staff"


def plant_personal_records(store, alumni: int = 3) -> dict[str, str]:
    """OFFICIAL personal records (within any ceiling), every personal detail a sentinel."""
    sentinels = {"name": f"{PERSONAL}-name", "biography": f"{PERSONAL}-biography",
                 "appointment": f"{PERSONAL}-appointment",
                 "pronunciation": f"{PERSONAL}-pronunciation",
                 "engagement": f"{PERSONAL}-engagement"}
    saved = [store.save(model.Alumnus(country="NOR", name=f"{sentinels['name']}-{i}",
                                      course="Royal College of Defence Studies", year=2019,
                                      appointment=sentinels["appointment"], senior=i == 0))
             for i in range(alumni)]
    store.save(model.Interlocutor(
        country="NOR", name=f"{sentinels['name']}-person", role=ROLE,
        biography=sentinels["biography"], pronunciation=sentinels["pronunciation"],
        last_met=dt.date(2026, 4, 1), alumnus_id=saved[0].id if saved else None))
    # a record of another table that its owner marked as holding personal data
    store.save(model.Engagement(country="NOR", title=sentinels["engagement"],
                                date=dt.date(2026, 5, 1), marking="OFFICIAL - PERSONAL DATA"))
    return sentinels


@pytest.fixture
def personal(sample_store, tmp_path):
    sentinels = plant_personal_records(sample_store)
    return sample_store.backup_to(tmp_path / "store.db"), sentinels


def test_redacted_files_hold_no_personal_data_and_no_author(personal, tmp_path, capsys):
    db, sentinels = personal
    files = build_files(db, tmp_path / "out", "--redact", "personal")
    assert [p.name for p in files] == [f"{dt.date.today().isoformat()}-NOR-standard-redacted"
                                       f".{fmt}" for fmt in ("docx", "pdf")]
    assert places(files, PERSONAL) == []
    assert places(files, "test.user") == []  # the author, and the "refreshed by" column
    with zipfile.ZipFile(files[0]) as package:
        core = package.read("docProps/core.xml").decode()
    assert "<dc:creator></dc:creator>" in core or "<dc:creator/>" in core
    assert "<cp:lastModifiedBy></cp:lastModifiedBy>" in core or "<cp:lastModifiedBy/>" in core
    pypdf = pytest.importorskip("pypdf")
    assert pypdf.PdfReader(str(files[1])).metadata.get("/Author", "") == ""
    assert_marked_everywhere(files, "OFFICIAL")


def test_the_unredacted_brief_shows_what_redaction_removes(personal, tmp_path, capsys):
    """The control: the same store without --redact names the people and the author."""
    db, sentinels = personal
    files = build_files(db, tmp_path / "out")
    for sentinel in sentinels.values():
        assert places(files, sentinel), sentinel
    assert any("metadata /Author" in f for f in pdf_places(files[1], "test.user"))
    assert_marked_everywhere(files, "OFFICIAL - PERSONAL DATA")


def test_redacted_brief_gives_counts_and_roles(personal):
    db, _ = personal
    from briefpack.store import Store

    store = Store.open(db)
    try:
        brief = run(build(store, BuildOptions(formats=["pdf"], out_dir=db.parent / "o",
                                              redact_personal=True, author="Jo Bloggs",
                                              today=TODAY),
                          country="NOR")).briefs[0]
    finally:
        store.close()
    text = " ".join(brief.text().split())
    assert "3 alumni of UK courses; 1 in a senior appointment." in text
    assert ROLE in text and f"Last met {ROLE}: 1 April 2026" in text
    assert "Personal data is left out of this version" in text
    # (the scores, which would count their evidence too, are not built unless asked for)
    assert brief.facts.personal_left_out == {"Relationship summary": 1}
    assert brief.author == "" and "Jo Bloggs" not in text
    assert brief.marking == "OFFICIAL" and brief.facts.personal_records == 0


def test_personal_data_stays_on_the_marking_while_any_remains(sample_store, tmp_path):
    plant_personal_records(sample_store)
    plain = run(build(sample_store, BuildOptions(formats=["pdf"], out_dir=tmp_path / "a",
                                                 today=TODAY), country="NOR")).briefs[0]
    redacted = run(build(sample_store, BuildOptions(formats=["pdf"], out_dir=tmp_path / "b",
                                                    redact_personal=True, today=TODAY),
                         country="NOR")).briefs[0]
    assert plain.marking == "OFFICIAL - PERSONAL DATA"
    assert redacted.marking == "OFFICIAL"


def test_redaction_keeps_the_classification_of_what_it_summarises(sample_store, tmp_path):
    sample_store.save(model.Alumnus(country="NOR", name="Sensitive Alumnus",
                                    marking="OFFICIAL-SENSITIVE - PERSONAL DATA - LOCSEN"))
    brief = run(build(sample_store, BuildOptions(formats=["pdf"], out_dir=tmp_path,
                                                 redact_personal=True, today=TODAY),
                      country="NOR")).briefs[0]
    assert brief.marking == "OFFICIAL-SENSITIVE - LOCSEN"
    assert "Sensitive Alumnus" not in brief.text()


@pytest.mark.parametrize("alumni, threshold, warned", [(3, 5, False), (4, 5, True),
                                                      (3, 4, True)])
def test_many_personal_records_warn_and_do_not_raise_the_marking(
        sample_store, tmp_path, alumni, threshold, warned):
    # each build also shows one interlocutor and one personal engagement
    plant_personal_records(sample_store, alumni=alumni)
    steps = list(build(sample_store, BuildOptions(formats=["docx"], out_dir=tmp_path,
                                                  personal_threshold=threshold, today=TODAY),
                       country="NOR"))
    everything = [w for step in steps for w in step.warnings]
    result = steps[-1].result
    assert list(result.warnings) == everything
    warnings = [w for w in everything if "personal records" in w]  # not the stale-data one
    assert bool(warnings) is warned
    if warned:
        assert f"gathers {alumni + 2} personal records (more than {threshold})" in warnings[0]
    assert result.briefs[0].marking == "OFFICIAL - PERSONAL DATA"


def test_the_cli_prints_the_warning_to_stderr(personal, tmp_path, capsys):
    db, _ = personal
    build_files(db, tmp_path / "a", "--personal-threshold", "4", "--format", "docx")
    err = capsys.readouterr().err
    assert "warning: The NOR brief gathers 5 personal records" in err
    build_files(db, tmp_path / "b", "--personal-threshold", "5", "--format", "docx")
    assert "personal records" not in capsys.readouterr().err
    build_files(db, tmp_path / "c", "--personal-threshold", "0", "--format", "docx",
                "--redact", "personal")
    assert "personal records" not in capsys.readouterr().err  # a redacted brief names no one


def test_default_threshold_and_wording():
    assert redaction.PERSONAL_DATA_WARNING_THRESHOLD == 20
    assert redaction.personal_data_warning(20, 20, "The NOR brief") == ""
    assert "21 personal records" in redaction.personal_data_warning(21, 20, "The NOR brief")
    one = model.Alumnus(country="NOR", name="X", senior=False)
    assert redaction.alumni_summary([one]) == \
        "1 alumnus of UK courses; 0 in a senior appointment."

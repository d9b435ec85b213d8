"""Currency that tells the truth (issue 21, item 7): a section is as current as the newest
source of its records; a readout refreshes engagements and actions; "Data as of" names no
one and keeps its source's precision."""

from __future__ import annotations

import datetime as dt

import yaml

from briefpack import model
from briefpack.store.packets import _dump, apply_import, checksum, export_packet, \
    parse_packet, plan_import


def _refreshed(store, code: str) -> dict[str, str]:
    return {c.section: c.refreshed_at.date().isoformat() for c in store.currency(code)}


def test_a_packet_changing_one_record_refreshes_only_its_section(sample_store):
    before = _refreshed(sample_store, "NOR")
    assert set(before.values()) == {"2026-03-01"}
    data = yaml.safe_load(export_packet(sample_store, "NOR"))
    data["exported_at"] = "2026-12-04T09:00:00+00:00"
    data["sections"]["agreements"][0]["commits"] = "Renewed at the December talks."
    data["checksum"] = checksum(data)
    packet = parse_packet(_dump(data), "NOR.yaml")
    apply_import(sample_store, plan_import(sample_store, packet), user="da.oslo")
    after = _refreshed(sample_store, "NOR")
    assert after["agreements"] == "2026-12-04"  # the packet's own date, not the import's
    # the packet repeated every other section unchanged: still as of March 2026
    assert {s: d for s, d in after.items() if s != "agreements"} == \
        {s: d for s, d in before.items() if s != "agreements"}


def test_an_older_source_never_makes_a_section_look_older(sample_store):
    sample_store.mark_refreshed("NOR", ["alumni"], user="x", at="2026-10-01T00:00:00+00:00",
                                newer_only=True)
    sample_store.mark_refreshed("NOR", ["alumni"], user="y", at="2026-05-01T00:00:00+00:00",
                                newer_only=True)
    (alumni,) = [c for c in sample_store.currency("NOR") if c.section == "alumni"]
    assert alumni.refreshed_at.date() == dt.date(2026, 10, 1) and alumni.refreshed_by == "x"


def test_a_readout_refreshes_engagements_and_actions(sample_store):
    from briefpack.readout import apply_readout

    visit = model.Visit(title="To Oslo", principal="Secretary of State",
                        start=dt.date(2026, 11, 25), end=dt.date(2026, 11, 26),
                        countries=("NOR",), readout_date=dt.date(2026, 11, 27),
                        outcomes=(model.Outcome("Lunna House", "Agreed next steps"),),
                        actions=(model.ReadoutAction("Send the paper", "PS"),))
    apply_readout(sample_store, visit, today=dt.date(2026, 12, 1), backup=False)
    after = _refreshed(sample_store, "NOR")
    assert after["engagements"] == after["actions"] == "2026-11-27"
    assert after["agreements"] == "2026-03-01"


def test_data_as_of_keeps_the_sources_precision_and_names_no_one(seeded_db, tmp_path):
    from briefpack.brief.document import KeyValue
    from briefpack.options import BuildOptions
    from briefpack.pipeline import build, run
    from briefpack.store import Store

    def data_as_of() -> str:
        result = run(build(seeded_db, BuildOptions(formats=("pdf",), out_dir=tmp_path,
                                                   today=dt.date(2026, 12, 1)),
                           country="NOR"))
        front = next(b for b in result.briefs[0].blocks if isinstance(b, KeyValue))
        return dict(front.pairs)["Data as of"]

    shown = data_as_of()
    assert shown.startswith("March 2026 (sample data: source dated March 2026")
    assert "1 March 2026" not in shown
    store = Store.open(seeded_db)
    store.mark_refreshed("NOR", ["country", *model.TABLES],
                         user="jbloggs", at="2026-11-30T10:00:00+00:00")
    store.close()
    shown = data_as_of()
    assert shown == "30 November 2026" and "jbloggs" not in shown

"""The sample data holds every country-level fact of the Defence Diplomacy Strategy summary.

Facts are read back through the store (``Store.memory(seed=True)``), so the test also
proves the loader reads data/ as intended. Structural checks read data/countries.yaml
directly, because the store would hide a duplicated code.
"""

from __future__ import annotations

import collections
import datetime as dt
import importlib.util
from dataclasses import dataclass
from pathlib import Path

import pycountry
import pytest
import yaml

from briefpack import model
from briefpack.store import Store

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
STRATEGY = "Defence Diplomacy Strategy 2026, public summary"


@dataclass(frozen=True)
class Has:
    """Expect text (or a list/tuple item) containing ``part``, not an exact value."""

    part: str


def matches(actual, expected) -> bool:
    if isinstance(expected, Has):
        if isinstance(actual, (tuple, list)):
            return expected.part in actual
        return expected.part in (actual or "")
    return actual == expected


# (code, table, fields): "country" checks the Country itself; other tables need one
# record whose fields all match.
FACTS = [
    # Norway: Lunna House and the frigate deal
    ("NOR", "agreements", {"name": "Lunna House", "signed": None,
                           "announced": dt.date(2025, 12, 4),
                           "strategic": True, "kind": "strategic agreement"}),
    ("NOR", "exports", {"value_gbp": 10e9, "quantity": 13, "jobs": 4000, "stage": "won",
                        "programme": Has("Anti-Submarine Warfare frigates")}),
    ("NOR", "exports", {"programme": Has("eight British, at least five Norwegian")}),
    ("NOR", "country", {"summary": Has("more than 2,000 in Scotland")}),
    ("NOR", "country", {"co_leads": Has("Maritime Capability Coalition")}),
    ("NOR", "country", {"memberships": Has("JEF")}),
    ("NOR", "engagements", {"title": Has("Maritime Capability Coalition")}),
    # Germany: Trinity House, UDCG, formats
    ("DEU", "agreements", {"name": "Trinity House Agreement", "signed": dt.date(2024, 10, 23),
                           "value_gbp": 800e6, "jobs": 600, "strategic": True}),
    ("DEU", "agreements", {"commits": Has("London, Telford, Swindon and Plymouth")}),
    ("DEU", "country", {"co_leads": Has("Ukraine Defence Contact Group")}),
    ("DEU", "country", {"summary": Has("February 2025")}),
    ("DEU", "country", {"memberships": Has("UDCG")}),
    ("DEU", "country", {"memberships": Has("E3")}),
    ("DEU", "country", {"memberships": Has("E5")}),
    ("DEU", "country", {"memberships": Has("Eurofighter")}),
    # France: Lancaster House 2.0, Northwood, Coalition of the Willing, Interstorm
    ("FRA", "agreements", {"name": "Lancaster House 2.0 Agreement",
                           "signed": None, "announced": dt.date(2025, 7, 10), "jobs": 1300,
                           "strategic": True}),
    ("FRA", "agreements", {"commits": Has("warfighting, industrial and nuclear domains")}),
    ("FRA", "agreements", {"name": "Northwood Declaration", "commits": Has("2025")}),
    # the Storm Shadow line upgrade is work under Lancaster House 2.0, not an export won
    ("FRA", "agreements", {"commits": Has("more than 300 at MBDA for upgrading existing "
                                          "Storm Shadow production lines")}),
    ("FRA", "country", {"co_leads": Has("Coalition of the Willing")}),
    ("FRA", "country", {"memberships": Has("Coalition of the Willing")}),
    ("FRA", "country", {"memberships": Has("E3")}),
    ("FRA", "country", {"memberships": Has("E5")}),
    ("FRA", "engagements", {"title": Has("Operation Interstorm"), "kind": "Ukraine training",
                            "status": "ongoing"}),
    # United States
    ("USA", "country", {"defence_section": "resident", "priority_tier": None}),
    ("USA", "country", {"summary": Has("most important defence and security ally")}),
    ("USA", "country", {"summary": Has("150 people")}),
    ("USA", "country", {"summary": Has("almost 900")}),
    ("USA", "agreements", {"name": "Polaris Sales Agreement", "commits": Has("1963")}),
    ("USA", "agreements", {"name": "Mutual Defence Agreement", "commits": Has("1958")}),
    ("USA", "agreements", {"name": "AUKUS", "commits": Has("Pillar 1")}),
    ("USA", "agreements", {"name": "AUKUS", "commits": Has("Pillar 2")}),
    ("USA", "country", {"memberships": Has("AUKUS")}),
    ("USA", "country", {"memberships": Has("Five Eyes")}),
    # Ukraine: capability and training support
    ("UKR", "agreements", {"name": "LYRA agreement"}),
    ("UKR", "engagements", {"title": "Ukraine Capabilities Hub"}),
    ("UKR", "engagements", {"title": "Task Force Hirst"}),
    ("UKR", "engagements", {"title": Has("Ukraine Defence Contact Group"),
                            "description": Has("over $45 billion")}),
    ("UKR", "engagements", {"title": Has("Ukraine Defence Contact Group"),
                            "description": Has("$35 billion so far in 2026")}),
    ("UKR", "engagements", {"title": Has("Drone Capability Coalition")}),
    ("UKR", "engagements", {"title": Has("Maritime Capability Coalition")}),
    ("UKR", "engagements", {"title": Has("International Fund for Ukraine"),
                            "description": Has("14 partner nations")}),
    ("UKR", "engagements", {"title": Has("over £2.6 billion")}),
    ("UKR", "engagements", {"title": Has("Operation Interflex"),
                            "description": Has("14 nations")}),
    ("UKR", "engagements", {"title": Has("over 62,000")}),
    ("UKR", "engagements", {"title": Has("Operation Interstorm: 200 Ukrainian pilots"),
                            "description": Has("Denmark and France")}),
    ("UKR", "engagements", {"title": Has("Project Renovator: £40 million"),
                            "description": Has("five NATO Allies")}),
    ("UKR", "engagements", {"title": Has("NSATU"), "description": Has("50 UK officers")}),
    ("UKR", "engagements", {"title": Has("NSATU"), "description": Has("£171 million")}),
    ("UKR", "engagements", {"title": Has("Coalition of the Willing"),
                            "description": Has("35 nations")}),
    ("UKR", "engagements", {"title": "Multi-National Force-Ukraine", "status": "planned"}),
    # what the strategy calls current is ongoing, not past
    ("UKR", "engagements", {"title": Has("Operation Interflex"), "status": "ongoing",
                            "kind": "Ukraine training"}),
    ("UKR", "engagements", {"title": Has("Ukraine Defence Contact Group"),
                            "status": "ongoing", "kind": "Ukraine coalition"}),
    ("UKR", "engagements", {"title": Has("International Fund"), "status": "ongoing",
                            "kind": "Ukraine fund"}),
    ("UKR", "engagements", {"title": Has("Project Renovator"), "status": "past"}),
    ("DEU", "engagements", {"title": Has("Ukraine Defence Contact Group"),
                            "status": "ongoing"}),
    # Turkey: Typhoon
    ("TUR", "exports", {"value_gbp": 8e9, "quantity": 20, "stage": "won",
                        "programme": Has("Typhoon")}),
    ("TUR", "country", {"name": "Turkey"}),
    ("TUR", "country", {"summary": Has("Germany, Italy and Spain")}),
    ("TUR", "country", {"memberships": Has("NATO")}),
    # Indonesia: Maritime Partnership Programme
    ("IDN", "exports", {"company": "Babcock", "value_gbp": 4e9, "quantity": 2, "jobs": 1000,
                        "programme": Has("Arrowhead 140")}),
    ("IDN", "exports", {"next_milestone": Has("more than 1,000 fishing vessels")}),
    ("IDN", "country", {"summary": Has("Rosyth, Bristol and Devonport")}),
    # India: maritime propulsion
    ("IND", "exports", {"programme": "Maritime propulsion", "stage": "won"}),
    ("IND", "country", {"summary": Has("unprecedented")}),
    # GCAP, E5, Eurofighter partners
    ("ITA", "agreements", {"name": "Global Combat Air Programme"}),
    ("ITA", "country", {"memberships": Has("GCAP")}),
    ("ITA", "country", {"memberships": Has("E5")}),
    ("ITA", "country", {"memberships": Has("Eurofighter")}),
    ("JPN", "agreements", {"name": "Global Combat Air Programme"}),
    ("JPN", "country", {"memberships": Has("GCAP")}),
    ("POL", "country", {"memberships": Has("E5")}),
    ("ESP", "country", {"memberships": Has("Eurofighter")}),
    ("ESP", "country", {"summary": Has("Turkey Typhoon")}),
    # AUKUS, FPDA, Five Eyes
    ("AUS", "agreements", {"name": "AUKUS", "commits": Has("Pillar 1")}),
    ("AUS", "country", {"memberships": Has("AUKUS")}),
    ("AUS", "country", {"memberships": Has("FPDA")}),
    ("MYS", "country", {"memberships": Has("FPDA")}),
    ("SGP", "country", {"memberships": Has("FPDA")}),
    ("NZL", "country", {"memberships": Has("FPDA")}),
    ("NZL", "country", {"memberships": Has("Five Eyes")}),
    ("CAN", "country", {"memberships": Has("Coalition of the Willing")}),
    ("CAN", "country", {"memberships": Has("Five Eyes")}),
    # Latvia and Denmark: Ukraine coalitions and training
    ("LVA", "country", {"co_leads": Has("Drone Capability Coalition")}),
    ("LVA", "engagements", {"title": Has("Drone Capability Coalition")}),
    ("DNK", "engagements", {"title": Has("Operation Interstorm"),
                            "description": Has("Denmark and France")}),
    # Czech Republic: Petr Pavel
    ("CZE", "country", {"name": "Czech Republic"}),
    ("CZE", "alumni", {"name": "Petr Pavel", "appointment": "President of the Czech Republic",
                       "senior": True}),
    ("CZE", "interlocutors", {"name": "Petr Pavel", "biography": Has("Retired General")}),
    # Cyprus and Russia
    ("CYP", "country", {"summary": Has("Sovereign Base Areas")}),
    ("RUS", "country", {"summary": Has("illegal war of aggression")}),
]

# Every number in the summary that is not about one country: key -> value.
FIGURES = {
    "non_operational_activities": 400, "countries_deployed": 97,
    "ministerial_engagements": 240, "nations_with_representation": 172,
    "defence_section_staff": 239, "nato_personnel": 1000, "exports_staff_overseas": 70,
    "international_student_places": 600, "countries_training_students": 100,
    "exportable_courses": 36, "exportable_course_students": 1000,
    "defence_diplomacy_staff_london": 100, "collaboration_exports_staff": 400,
    "british_defence_staffs": 8, "training_estates": 6, "regional_hubs": 6,
    "countries_with_defence_sections": 91, "non_resident_attache_countries": 81,
    "world_coverage_percent": 90, "staff_deployed_overseas": 8500,
    "foreign_defence_sections_in_uk": 102, "bds_us_staff": 150, "us_embedded": 900,
    "fdi_since_july_2024": 3.2e9, "highmast_supporting_nations": 30,
    "highmast_uk_companies": 91, "highmast_export_prospects_gbp": 20e9,
    "nato_allies": 32, "nato_spending_target_percent": 5, "udcg_nations": 50,
    "udcg_pledges_2025_usd": 45e9, "udcg_pledges_2026_usd": 35e9,
    "ifu_raised_gbp": 2.6e9, "ifu_partner_nations": 14, "interflex_nations": 14,
    "interflex_trained": 62000, "interstorm_pilots": 200, "renovator_allies": 5,
    "renovator_gbp": 40e6, "nsatu_uk_officers": 50, "nsatu_trust_fund_gbp": 171e6,
    "coalition_of_the_willing_nations": 35, "defence_levers": 3, "defence_tools": 12,
}

# Countries the strategy names, plus the members of the formats it names the UK's role in
# (FPDA membership; JEF, which the UK leads as framework nation).
NAMED = {
    "NOR", "DEU", "FRA", "USA", "UKR", "TUR", "IDN", "IND", "ITA", "JPN", "AUS", "POL",
    "LVA", "DNK", "ESP", "CZE", "CAN", "CYP", "RUS",
    "MYS", "SGP", "NZL",
    "EST", "FIN", "ISL", "LTU", "NLD", "SWE",
}

@pytest.fixture(scope="module")
def store() -> Store:
    return Store.memory(seed=True)


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return yaml.safe_load((DATA / "countries.yaml").read_text(encoding="utf-8"))


def _describe(fields: dict) -> str:
    return ", ".join(f"{k}={v.part if isinstance(v, Has) else v}" for k, v in fields.items())


@pytest.mark.parametrize(("code", "table", "fields"), FACTS,
                         ids=[f"{c}-{t}-{_describe(f)}"[:90] for c, t, f in FACTS])
def test_strategy_fact_is_in_the_store(store, code, table, fields):
    cf = store.country_file(code)
    if table == "country":
        candidates = [cf.country]
    else:
        spec = model.table_named(table)
        assert spec is not None, f"unknown table {table}"
        candidates = spec.records(cf)
    assert any(all(matches(getattr(rec, k), v) for k, v in fields.items())
               for rec in candidates), f"{code} {table}: nothing matches {_describe(fields)}"


@pytest.mark.parametrize(("key", "value"), sorted(FIGURES.items()))
def test_national_figure(store, key, value):
    figures = {f.key: f for f in store.national_figures()}
    assert key in figures, f"uk.yaml has no figure {key}"
    assert figures[key].value == pytest.approx(value)
    assert figures[key].source.startswith(STRATEGY)


def test_qualifiers_live_in_labels(store):
    labels = {f.key: f.label for f in store.national_figures()}
    assert "Almost 600" in labels["international_student_places"]
    assert "over 100" in labels["countries_training_students"]
    assert "Over 1,000" in labels["nato_personnel"]
    assert "Over $45 billion" in labels["udcg_pledges_2025_usd"]


def test_country_codes_are_valid_and_unique(rows):
    codes = [r["code"] for r in rows]
    dupes = [c for c, n in collections.Counter(codes).items() if n > 1]
    assert not dupes, f"listed twice: {dupes}"
    unknown = [c for c in codes if pycountry.countries.get(alpha_3=c) is None]
    assert not unknown, f"not ISO 3166 alpha-3: {unknown}"
    assert "GBR" not in codes
    # 193 UN members less the UK, plus Taiwan
    assert len(codes) == 193
    assert "TWN" in codes


def test_rows_use_only_the_documented_keys(rows):
    allowed = {"code", "name", "region", "memberships", "defence_section", "priority_tier"}
    for row in rows:
        assert set(row) <= allowed, f"{row['code']}: unexpected keys {set(row) - allowed}"


def test_membership_counts_match_public_lists(rows):
    counts = collections.Counter(m for r in rows for m in r["memberships"])
    assert counts["NATO"] + 1 == 32  # + the UK
    assert counts["EU"] == 27
    assert counts["JEF"] == 9  # + the UK as framework nation
    assert counts["Commonwealth"] + 1 == 56
    assert counts["FPDA"] == 4
    assert counts["Five Eyes"] == 4


def test_strategy_only_formats_list_only_named_countries(rows):
    members = collections.defaultdict(set)
    for row in rows:
        for fmt in row["memberships"]:
            members[fmt].add(row["code"])
    assert members["UDCG"] == {"DEU"}
    assert members["Coalition of the Willing"] == {"FRA", "CAN"}
    assert members["E3"] == {"FRA", "DEU"}
    assert members["E5"] == {"FRA", "DEU", "ITA", "POL"}
    assert members["AUKUS"] == {"USA", "AUS"}
    assert members["GCAP"] == {"ITA", "JPN"}
    assert members["Eurofighter"] == {"DEU", "ITA", "ESP"}


def test_regions_formats_and_sections_are_valid(rows):
    for row in rows:
        assert row["region"] in model.REGIONS, row["code"]
        assert set(row["memberships"]) <= set(model.FORMATS), row["code"]
        assert row["defence_section"] in model.DEFENCE_SECTIONS, row["code"]


def test_the_sample_sets_no_priority_tiers(rows, store):
    """The strategy's prioritisation is classified: a tier is the user's (or a packet's)
    to set, never the sample data's."""
    assert all("priority_tier" not in row for row in rows)
    assert {c.priority_tier for c in store.countries()} == {None}


def test_sample_facts_carry_their_source_date(store):
    """The sample's "as of" is its source's (March 2026), not the day the store was made."""
    cf = store.country_file("NOR")
    assert {r.updated_at[:10] for r in (cf.country, *cf.agreements, *cf.export_opportunities)} == \
        {"2026-03-01"}
    currency = store.currency("NOR", at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    assert {c.refreshed_at.date() for c in currency} == {dt.date(2026, 3, 1)}
    assert all(c.stale and c.age_days == 275 for c in currency)
    assert all("March 2026" in c.refreshed_by for c in currency)


def test_every_named_country_has_a_detail_file(rows):
    codes = {r["code"] for r in rows}
    files = {p.stem for p in (DATA / "countries").glob("*.yaml")}
    assert NAMED <= codes
    assert NAMED - files == set(), "named countries without data/countries/<CODE>.yaml"
    assert files - NAMED == set(), "detail files for countries the strategy does not name"


def test_names_print_in_latin_extended(store):
    for country in store.countries():
        assert all(ord(ch) <= 0x024F for ch in country.name), country.name
    assert store.country("TWN").name == "Taiwan"
    assert store.country("CIV").name == "Côte d'Ivoire"


def test_every_detail_record_cites_the_strategy(store):
    for code in sorted(NAMED):
        cf = store.country_file(code)
        assert cf.country.summary.strip(), f"{code}: no relationship summary"
        for table, spec in model.TABLES.items():
            for rec in spec.records(cf):
                assert rec.source.startswith(STRATEGY), f"{code} {table}: {rec.source!r}"


def test_personal_records_carry_review_date_and_marking(store):
    for code in sorted(NAMED):
        cf = store.country_file(code)
        for rec in [*cf.alumni, *cf.interlocutors]:
            assert rec.review_date is not None, f"{code}: {rec.name} has no review date"
            assert "PERSONAL DATA" in rec.marking, f"{code}: {rec.name} not marked"


def test_interlocutor_links_to_alumnus(store):
    cf = store.country_file("CZE")
    (alumnus,) = [a for a in cf.alumni if a.name == "Petr Pavel"]
    (person,) = [i for i in cf.interlocutors if i.name == "Petr Pavel"]
    assert person.alumnus_id == alumnus.id


def test_generated_countries_file_is_up_to_date():
    spec = importlib.util.spec_from_file_location("make_countries",
                                                  ROOT / "tools" / "make_countries.py")
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    assert generator.render() == (DATA / "countries.yaml").read_text(encoding="utf-8"), \
        "data/countries.yaml differs from tools/make_countries.py output; rerun it"

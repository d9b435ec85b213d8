"""The priorities loader: the shipped file, and every way a file can be wrong."""

from __future__ import annotations

import re
import textwrap

import pytest

from briefpack import model, paths
from briefpack.coercion import parse_amount
from briefpack.errors import DataError
from briefpack.priorities import (
    MEASURES,
    Scale,
    load_priorities,
    region_named,
)

VALID = textwrap.dedent("""\
    version: 1
    bands:
      green: 60
      amber: 30
    regions:
      Euro-Atlantic: 100
      Middle East: 60
      Indo-Pacific: 50
      Africa: 30
      Latin America and the Caribbean: 20
    objectives:
      - key: euro_atlantic
        label: Deter and defend in the Euro-Atlantic
        weight: 3
        criteria:
          - key: nato_ally
            label: NATO ally
            measure: membership
            formats: [NATO]
            weight: 1
            scale:
              thresholds: {1: 100}
          - key: agreements
            label: Agreements in force
            measure: record_count
            table: agreements
            filter:
              status: active
            weight: 1
            scale:
              linear: {cap: 4}
      - key: growth
        label: Secure and resilient growth
        weight: 1
        criteria:
          - key: pipeline
            label: Export pipeline
            measure: export_pipeline
            stages: {won: 1, bid: 0.5}
            weight: 1
            scale:
              thresholds: {"£1 million": 50, "£10 million": 100}
    """)


def write(tmp_path, text: str):
    path = tmp_path / "priorities.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, fragment: str) -> int:
    """1-based line of the first line containing ``fragment``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(f"{fragment!r} not in the text")


def problems(tmp_path, text: str) -> list:
    with pytest.raises(DataError) as caught:
        load_priorities(write(tmp_path, text))
    return caught.value.problems


def only_problem(tmp_path, text: str):
    found = problems(tmp_path, text)
    assert len(found) == 1, [str(p) for p in found]
    problem = found[0]
    assert problem.file.endswith("priorities.yaml")
    return problem


# -- the shipped file ------------------------------------------------------------------


def test_shipped_file_encodes_the_five_ends_and_the_regional_order():
    priorities = load_priorities()
    assert priorities.source == str(paths.data_dir() / "priorities.yaml")
    labels = [o.label for o in priorities.objectives]
    assert [o.key for o in priorities.objectives] == [
        "homeland", "euro_atlantic", "global", "growth", "wider_government"]
    assert "Deter and defend in the Euro-Atlantic" in labels
    assert "Secure and resilient growth" in labels
    weights = [w for _, w in priorities.regions]
    assert [r for r, _ in priorities.regions] == list(model.REGIONS)
    assert weights == sorted(weights, reverse=True) and len(set(weights)) == 5
    euro = priorities.objective("euro_atlantic")
    assert euro.weight == max(o.weight for o in priorities.objectives)  # NATO First
    assert priorities.bands.green > priorities.bands.amber


def test_shipped_file_uses_every_measure_of_the_vocabulary_it_needs():
    priorities = load_priorities()
    used = {c.measure for o in priorities.objectives for c in o.criteria}
    assert used == set(MEASURES)


def test_default_path_is_used_when_none_given():
    assert load_priorities(None) == load_priorities(paths.data_dir() / "priorities.yaml")


def test_valid_file_builds_frozen_dataclasses(tmp_path):
    priorities = load_priorities(write(tmp_path, VALID))
    growth = priorities.objective("growth")
    pipeline = growth.criteria[0]
    assert pipeline.stages == (("won", 1.0), ("bid", 0.5))
    assert pipeline.scale.steps == ((1e6, 50.0), (1e7, 100.0))
    assert priorities.region_weight("Latin America and Caribbean") == 20
    agreements = priorities.objective("euro_atlantic").criteria[1]
    assert agreements.table == "agreements"
    assert agreements.filters[0].field == "status" and agreements.filters[0].values == ("active",)
    with pytest.raises(AttributeError):
        growth.weight = 5  # frozen


# -- every error path: one test each --------------------------------------------------------


def test_bad_yaml_syntax_names_file_and_line(tmp_path):
    text = VALID.replace("  green: 60", "  green: [60")
    problem = only_problem(tmp_path, text)
    assert "not valid YAML" in problem.message
    assert problem.line is not None and problem.line >= line_of(text, "green: [60")


def test_unknown_measure(tmp_path):
    text = VALID.replace("measure: membership", "measure: popularity")
    problem = only_problem(tmp_path, text)
    assert problem.line == line_of(text, "measure: popularity")
    assert problem.field == "objectives[euro_atlantic].criteria[nato_ally].measure"
    assert "unknown measure 'popularity'" in problem.message
    assert "expected one of: membership" in problem.message


def test_unknown_key(tmp_path):
    text = VALID.replace("    weight: 3\n", "    weight: 3\n    colour: red\n")
    problem = only_problem(tmp_path, text)
    assert problem.line == line_of(text, "colour: red")
    assert problem.field == "objectives[euro_atlantic].colour"
    assert "unknown key 'colour'" in problem.message and "expected one of: key, label" \
        in problem.message


def test_missing_key(tmp_path):
    text = VALID.replace("    label: Secure and resilient growth\n", "")
    problem = only_problem(tmp_path, text)
    assert problem.field == "objectives[growth].label"
    assert problem.message == "required key is missing"
    assert problem.line == line_of(text, "- key: growth")


def test_bad_scale(tmp_path):
    text = VALID.replace("linear: {cap: 4}", "linear: {cap: 4}\n          thresholds: {1: 50}")
    problem = only_problem(tmp_path, text)
    assert problem.field == "objectives[euro_atlantic].criteria[agreements].scale"
    assert "expected exactly one of: thresholds, linear, categories" in problem.message
    assert problem.line == line_of(text, "linear: {cap: 4}") - 1


def test_points_above_100_are_a_bad_scale(tmp_path):
    text = VALID.replace("thresholds: {1: 100}", "thresholds: {1: 150}")
    problem = only_problem(tmp_path, text)
    assert problem.field == "objectives[euro_atlantic].criteria[nato_ally].scale.thresholds.1"
    assert problem.message == "150 is out of range: expected 0 to 100"


def test_category_scale_on_a_numeric_measure_is_a_bad_scale(tmp_path):
    text = VALID.replace("thresholds: {1: 100}", "categories: {NATO: 100}")
    problem = only_problem(tmp_path, text)
    assert "measure membership gives a number; expected a thresholds or linear scale" \
        in problem.message


def test_weight_not_a_number(tmp_path):
    text = VALID.replace("    weight: 3\n", "    weight: lots\n")
    problem = only_problem(tmp_path, text)
    assert problem.line == line_of(text, "weight: lots")
    assert problem.field == "objectives[euro_atlantic].weight"
    assert problem.message == "'lots' is not a number"


def test_unknown_field_in_a_filter(tmp_path):
    text = VALID.replace("          status: active", "          colour: blue")
    problem = only_problem(tmp_path, text)
    assert problem.line == line_of(text, "colour: blue")
    assert problem.field == "objectives[euro_atlantic].criteria[agreements].filter.colour"
    assert "unknown field 'colour' of agreements; expected one of: " in problem.message
    assert "kind, signed, announced, status" in problem.message


def test_unknown_value_in_a_filter(tmp_path):
    text = VALID.replace("          status: active", "          status: actve")
    problem = only_problem(tmp_path, text)
    assert "unknown status 'actve'; expected one of: active, planned, expired" in problem.message


def test_unknown_category(tmp_path):
    text = VALID.replace("""      - key: pipeline""", """      - key: presence
        label: Defence section
        measure: defence_section
        weight: 1
        scale: {categories: {residnet: 100}}
      - key: pipeline""")
    problem = only_problem(tmp_path, text)
    assert problem.line == line_of(text, "residnet")
    assert "unknown category 'residnet'; expected one of: resident, non-resident" \
        in problem.message


def test_unknown_region(tmp_path):
    text = VALID.replace("  Africa: 30\n", "  Africa: 30\n  Antarctica: 5\n")
    problem = only_problem(tmp_path, text)
    assert problem.line == line_of(text, "Antarctica")
    assert problem.field == "regions.Antarctica"
    assert "unknown region 'Antarctica'; expected one of: Euro-Atlantic" in problem.message


def test_missing_region(tmp_path):
    text = VALID.replace("  Africa: 30\n", "")
    problem = only_problem(tmp_path, text)
    assert problem.field == "regions.Africa" and "missing" in problem.message


def test_option_the_measure_does_not_take(tmp_path):
    text = VALID.replace("formats: [NATO]", "formats: [NATO]\n        table: agreements")
    problem = only_problem(tmp_path, text)
    assert "measure membership does not take 'table'; it takes: formats" in problem.message


def test_unknown_format(tmp_path):
    text = VALID.replace("formats: [NATO]", "formats: [NATTO]")
    problem = only_problem(tmp_path, text)
    assert "unknown format 'NATTO'" in problem.message


def test_bands_out_of_order(tmp_path):
    problem = only_problem(tmp_path, VALID.replace("amber: 30", "amber: 70"))
    assert problem.field == "bands.amber" and "below bands.green (60)" in problem.message


def test_several_errors_are_reported_at_once(tmp_path):
    text = (VALID.replace("measure: membership", "measure: popularity")
            .replace("    weight: 3\n", "    weight: lots\n")
            .replace("          status: active", "          colour: blue")
            .replace("  Africa: 30\n", "  Antarctica: 5\n"))
    with pytest.raises(DataError) as caught:
        load_priorities(write(tmp_path, text))
    fields = {p.field for p in caught.value.problems}
    assert {"objectives[euro_atlantic].criteria[nato_ally].measure",
            "objectives[euro_atlantic].weight",
            "objectives[euro_atlantic].criteria[agreements].filter.colour",
            "regions.Antarctica", "regions.Africa"} <= fields
    message = str(caught.value)
    assert message.startswith(f"{len(caught.value.problems)} problems:")
    assert re.search(r"priorities\.yaml:\d+ \[regions\.Antarctica\]", message)


def test_top_level_must_be_a_mapping(tmp_path):
    problem = only_problem(tmp_path, "- just\n- a list\n")
    assert "expected a mapping" in problem.message


# -- small parts -------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    (12, 12.0), (0.5, 0.5), ("1,000", 1000.0), ("£800 million", 8e8), ("£2 billion", 2e9),
    ("2bn", 2e9), ("40k", 4e4), ("lots", None), (True, None), (None, None)])
def test_parse_amount(text, expected):
    assert parse_amount(text) == expected


def test_region_named_accepts_aliases_and_first_words():
    assert region_named("latin america and the caribbean") == "Latin America and Caribbean"
    assert region_named("euro") == "Euro-Atlantic"
    assert region_named("Mars") is None


def test_scales_give_points():
    steps = Scale("thresholds", steps=((1, 60), (2, 100)))
    assert [steps.points(v) for v in (0, 1, 1.5, 2, 9)] == [0, 60, 60, 100, 100]
    assert steps.counted(1.5) == 1
    linear = Scale("linear", cap=4)
    assert [linear.points(v) for v in (0, 1, 4, 8, -1)] == [0, 25, 100, 100, 0]
    categories = Scale("categories", categories=(("resident", 100.0),), missing=10)
    assert categories.points("resident") == 100 and categories.points("none") == 0
    assert categories.points(None) == 10


@pytest.mark.parametrize("value", ["[agreements]", "{a: 1}", "{}"])
def test_a_table_that_is_not_a_name_is_a_named_error(tmp_path, value):
    text = VALID.replace("table: agreements", f"table: {value}")
    problem = only_problem(tmp_path, text)  # not a TypeError: a list or mapping is no name
    assert problem.line == line_of(text, f"table: {value}")
    assert problem.field == "objectives[euro_atlantic].criteria[agreements].table"
    assert problem.message.startswith("unknown table ")

"""How commands print rows: text tables that fit the terminal, JSON and CSV."""

from __future__ import annotations

import io
import json

from briefpack.commands.output import emit_table

SUMMARY = "\n".join(f"Fact {n}: " + "a long sentence about the relationship " * 3
                    for n in range(5))


def _table(rows, monkeypatch, columns: int = 100) -> list[str]:
    monkeypatch.setenv("COLUMNS", str(columns))
    out = io.StringIO()
    emit_table(rows, "table", out)
    return out.getvalue().splitlines()


def test_a_long_multi_line_value_wraps_in_its_cell(monkeypatch):
    rows = [{"at": "2026-12-01T03:11:55+00:00", "field": "summary", "before": SUMMARY,
             "after": SUMMARY + "\nOne more fact."},
            {"at": "2026-12-01T03:12:00+00:00", "field": "name", "before": "A", "after": "B"}]
    lines = _table(rows, monkeypatch)
    assert max(len(line) for line in lines) <= 100
    assert lines[0].split() == ["at", "field", "before", "after"]
    # dates are never broken; the short row is one line, not padded out to the long one
    assert lines[2].startswith("2026-12-01T03:11:55+00:00")
    short = next(line for line in lines if line.startswith("2026-12-01T03:12:00"))
    assert short.split() == ["2026-12-01T03:12:00+00:00", "name", "A", "B"]
    assert short == short.rstrip()
    text = " ".join(" ".join(lines).split())
    assert "Fact 4:" in text and "One more fact." in text


def test_a_narrow_table_is_not_wrapped(monkeypatch):
    rows = [{"code": "NOR", "name": "Norway"}, {"code": "FRA", "name": "France"}]
    assert _table(rows, monkeypatch) == ["code    name", "------  ------",
                                         "NOR     Norway", "FRA     France"]


def test_values_print_as_text(monkeypatch):
    lines = _table([{"tier": None, "memberships": ["NATO", "JEF"], "n": 7}], monkeypatch)
    assert lines[2].split() == ["NATO,", "JEF", "7"]


def test_no_rows(monkeypatch):
    assert _table([], monkeypatch) == ["(none)"]


def test_json_and_csv_are_for_programs():
    rows = [{"name": "Norway", "note": "=1+1", "lines": "a\nb"}]
    out = io.StringIO()
    emit_table(rows, "json", out)
    assert json.loads(out.getvalue()) == rows
    out = io.StringIO()
    emit_table(rows, "csv", out)
    assert out.getvalue() == "name,note,lines\nNorway,'=1+1,\"a\nb\"\n"

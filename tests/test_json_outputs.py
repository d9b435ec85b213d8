"""`judge` and `import` speak JSON for scripts (--format json)."""

from __future__ import annotations

import json


def test_judge_as_json(cli, seeded_db):
    code, out, err = cli("--db", seeded_db, "judge", "Norway", "--tier", "1",
                         "--format", "json")
    assert code == 0, err
    assert json.loads(out) == {"code": "NOR", "name": "Norway", "priority_tier": 1,
                               "defence_section": None, "changed": ["priority_tier"]}
    code, out, _ = cli("--db", seeded_db, "judge", "Norway", "--format", "json")
    assert json.loads(out)["changed"] == [] and json.loads(out)["priority_tier"] == 1


def test_import_as_json_dry_run_then_applied(cli, seeded_db, tmp_path):
    packet = tmp_path / "nor.yaml"
    assert cli("--db", seeded_db, "export", "Norway", "--out", packet)[0] == 0
    code, out, err = cli("--db", seeded_db, "import", packet, "--dry-run", "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert report["dry_run"] is True and report["applied"] is False
    assert set(report["counts"]) == {"added", "changed", "removed", "conflicts"}
    assert report["source"].endswith("nor.yaml") and report["summary"] is None
    code, out, err = cli("--db", seeded_db, "import", packet, "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert report["applied"] is True and report["summary"]["added"] == 0

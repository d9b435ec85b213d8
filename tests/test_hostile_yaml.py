"""Hostile YAML: aliases, duplicate keys, deep nesting and huge files are named errors."""

import tracemalloc

import pytest

from briefpack import yamlio
from briefpack.errors import DataError
from briefpack.store import Store
from briefpack.store.packets import export_packet, read_packet


def _bomb() -> str:
    """A 1 MB anchor aliased 3,000 times: 3 GB once expanded."""
    return ("packet: briefpack country packet\nbig: &big '" + "A" * 1_000_000 + "'\nmore:\n"
            + "".join("  - *big\n" for _ in range(3000)))


def test_an_alias_bomb_is_refused_before_it_is_expanded(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(_bomb())
    tracemalloc.start()
    try:
        with pytest.raises(DataError) as caught:
            read_packet(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(caught.value) == (
        f"{path}:2: YAML anchors (&name) and aliases (*name) are not allowed: "
        "write each value out in full")
    assert peak < 50 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"


def test_an_unused_anchor_is_refused_too():
    with pytest.raises(DataError, match=r"<text>:3: YAML anchors"):
        yamlio.loads("a: 1\nb:\n  c: &x 2\n")


def test_the_cli_refuses_a_bomb_and_changes_nothing(cli, tmp_path):
    db = tmp_path / "s.db"
    path = tmp_path / "bomb.yaml"
    path.write_text(_bomb())
    assert cli("--db", db, "init")[0] == 0
    before = Store.open(db).revision()
    code, out, err = cli("--db", db, "import", path)
    assert code == 3 and "Traceback" not in err
    assert err.startswith(f"briefpack: {path}:2: YAML anchors")
    assert Store.open(db).revision() == before


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: 1\nb: 2\na: 3\n", 3, "the key 'a' is given twice (also at line 1)"),
        ("x:\n  name: One\n  kind: treaty\n  name: Two\n", 4, "'name' is given twice"),
    ],
)
def test_duplicate_keys_are_refused_with_the_line(text, line, message):
    with pytest.raises(DataError) as caught:
        yamlio.loads(text, "f.yaml")
    problem, = caught.value.problems
    assert problem.line == line and message in problem.message


def test_a_duplicate_key_in_a_packet_names_the_line(sample_store, tmp_path):
    text = export_packet(sample_store, "NOR")
    text = text.replace("  - id:", "  - marking: OFFICIAL\n    id:", 1)
    path = tmp_path / "p.yaml"
    path.write_text(text)
    with pytest.raises(DataError, match=r"p.yaml:\d+: not valid YAML: the key 'marking' is given"):
        read_packet(path)


@pytest.mark.parametrize("depth", [2000, 100_000])
def test_deep_nesting_is_a_named_error(depth):
    with pytest.raises(DataError, match=r"<text>:1: not valid YAML: exceeded maximum nesting"):
        yamlio.loads("a: " + "[" * depth + "]" * depth)


def test_oversized_inputs_are_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "big.yaml"
    path.write_text("a: '" + "x" * 3 * 1024 * 1024 + "'\n")
    monkeypatch.setenv("BRIEFPACK_MAX_INPUT_MB", "2")
    with pytest.raises(DataError, match=r"big.yaml: larger than 2 MB.*BRIEFPACK_MAX_INPUT_MB"):
        yamlio.load(path)
    monkeypatch.setenv("BRIEFPACK_MAX_INPUT_MB", "4")
    assert len(yamlio.load(path)["a"]) == 3 * 1024 * 1024


def test_the_size_cap_applies_to_csv_too(cli, tmp_path, seeded_db, monkeypatch):
    path = tmp_path / "alumni.csv"
    path.write_text("name,country\n" + "A Person,NOR\n" * 200_000)
    monkeypatch.setenv("BRIEFPACK_MAX_INPUT_MB", "1")
    code, _, err = cli("--db", seeded_db, "import-csv", "alumni", path)
    assert code == 3 and "larger than 1 MB" in err


def test_a_directory_or_device_is_not_an_input(tmp_path):
    with pytest.raises(DataError, match="not a regular file"):
        yamlio.load("/dev/zero")
    with pytest.raises(DataError, match="a folder, not a regular file"):
        yamlio.load(tmp_path)

"""The command line: every command, its help, its error paths."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from briefpack import cli

README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.fixture
def db(seeded_db):
    return str(seeded_db)



def subcommands():
    parser = cli.build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return action.choices


def test_every_command_has_help_and_is_in_the_readme():
    readme = README.read_text(encoding="utf-8")
    action = next(a for a in cli.build_parser()._actions if a.dest == "command")
    helps = {c.dest: c.help for c in action._choices_actions}
    for name, parser in subcommands().items():
        assert helps.get(name), f"{name} has no help text"
        assert f"briefpack {name}" in readme, f"{name} is not in the README"
        for opt in parser._actions:
            if opt.option_strings and opt.dest != "help":
                assert opt.help, f"{name} {opt.option_strings} has no help text"


def test_importing_the_cli_does_not_load_qt():
    code = ("import sys, briefpack.cli; briefpack.cli.build_parser(); "
            "sys.exit(1 if any(m.startswith('PySide6') for m in sys.modules) else 0)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_help_loads_no_store_yaml_or_renderer():
    """`briefpack --help` stays quick: the heavy libraries load with the commands that
    use them (benchmarks/bench_build.py times it)."""
    code = ("import sys, briefpack.cli\n"
            "try:\n    briefpack.cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = ('sqlite_utils', 'yaml', 'docx', 'reportlab', 'jinja2', 'PySide6')\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.splitlines()[-1] == "[]"


def test_the_command_table_matches_what_the_modules_register():
    """The top-level help comes from cli.COMMANDS without importing a command module: it
    must name exactly the commands the modules add, in their order, with their help."""
    action = next(a for a in cli.build_parser()._actions if a.dest == "command")
    registered = [(c.dest, c.help) for c in action._choices_actions]
    table = [(name, help_text) for commands in cli.COMMANDS.values()
             for name, help_text in commands.items()]
    assert table == registered, "a command added or changed: say so in cli.COMMANDS too"
    for module, commands in cli.COMMANDS.items():
        assert {cli.command_module([name]) for name in commands} == {module}


def test_help_imports_no_command_module_and_a_command_only_its_own():
    """`briefpack --help` loads no command module and no sqlite-utils; `briefpack build
    --help` loads the building commands and no other command module."""
    code = ("import sys, briefpack.cli\n"
            "try:\n    briefpack.cli.main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith(('briefpack.commands.', "
            "'sqlite_utils', 'click', 'pluggy', 'dateutil'))))")

    def loaded(*argv):
        done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True,
                              text=True, check=True)
        return done.stdout.splitlines()[-1]

    assert loaded("--help") == "[]"
    assert loaded("--db", "x.db", "-h") == "[]"
    # nor what only a running command needs (the top-level help aims at 30 ms in all)
    stdlib = ("import sys, briefpack.cli\n"
              "try:\n    briefpack.cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
              "print(sorted({'sqlite3', 'pathlib', 'dataclasses', 'threading', "
              "'briefpack.errors', 'briefpack.processes'} & set(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", stdlib], capture_output=True, text=True,
                          check=True)
    assert done.stdout.splitlines()[-1] == "[]"
    building = loaded("--db", "x.db", "build", "--help")
    assert "'briefpack.commands.building'" in building
    assert not any(f"'briefpack.commands.{m}'" in building
                   for m in cli.COMMANDS if m != "building")


def test_the_command_is_found_after_the_global_options():
    assert cli.command_module(["--db", "build", "rank"]) == "scoring"
    assert cli.command_module(["--db=x.db", "--prio", "p.yaml", "pack", "A"]) == "building"
    assert cli.command_module(["-h"]) is None
    assert cli.command_module(["nonsense"]) is None


def test_python_dash_m_runs_the_cli():
    done = subprocess.run([sys.executable, "-m", "briefpack", "--help"],
                          capture_output=True, text=True)
    assert done.returncode == 0 and "countries" in done.stdout


def test_first_use_creates_and_fills_the_default_store(cli):
    from briefpack import paths

    assert not paths.default_db_path().exists()
    code, out, _ = cli("countries", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) > 190 and {"code", "name", "region"} <= set(rows[0])
    assert paths.default_db_path().exists()


def test_a_named_store_that_does_not_exist_is_made_only_by_init(cli, tmp_path):
    missing = tmp_path / "typo.db"
    code, _, err = cli("--db", missing, "countries")
    assert code == 2 and str(missing) in err and "init" in err
    assert not missing.exists() and list(tmp_path.iterdir()) == []
    assert cli("--db", missing, "init")[0] == 0
    assert cli("--db", missing, "countries")[0] == 0


def test_db_from_environment(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFPACK_DB", str(tmp_path / "env.db"))
    code, _, err = cli("countries", "--region", "africa")
    assert code == 2 and str(tmp_path / "env.db") in err
    assert not (tmp_path / "env.db").exists()
    assert cli("init")[0] == 0
    assert cli("countries", "--region", "africa")[0] == 0


def test_countries_by_region_as_csv(cli, db):
    code, out, _ = cli("--db", db, "countries", "--region", "Indo-Pacific",
                       "--format", "csv")
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("code,name,region")
    assert all("Indo-Pacific" in line for line in lines[1:])
    assert any(line.startswith("JPN,") for line in lines)


def test_countries_table(cli, db):
    code, out, _ = cli("--db", db, "countries", "--region", "Euro-Atlantic")
    assert code == 0 and "Norway" in out and "NOR" in out


def test_unknown_region_is_an_error(cli, db):
    code, _, err = cli("--db", db, "countries", "--region", "Atlantis")
    assert code == 2 and "unknown region" in err


def test_show_norway_has_lunna_house_and_the_frigate_deal(cli, db):
    code, out, _ = cli("--db", db, "show", "Norway")
    assert code == 0
    assert "Lunna House" in out and "4 December 2025" in out
    assert "£10 billion" in out and "4,000" in out and "13" in out


@pytest.mark.parametrize("name", ["norway", "NO", "nor"])
def test_show_accepts_names_and_codes(cli, db, name):
    code, out, _ = cli("--db", db, "show", name, "--format", "json")
    assert code == 0 and json.loads(out)["country"]["code"] == "NOR"


def test_show_unknown_country_exits_2_with_suggestions(cli, db):
    code, _, err = cli("--db", db, "show", "Norwya")
    assert code == 2 and "unknown country" in err and "Norway (NOR)" in err


def test_db_that_is_not_sqlite(cli, tmp_path):
    path = tmp_path / "report.docx"
    path.write_bytes(b"PK\x03\x04 not a database")
    code, _, err = cli("--db", str(path), "countries")
    assert code == 2 and "not a SQLite database" in err
    assert path.read_bytes() == b"PK\x03\x04 not a database"


def test_init_refuses_to_replace_without_force(cli, tmp_path):
    db = tmp_path / "new.db"
    assert cli("--db", db, "init")[0] == 0
    code, _, err = cli("--db", db, "init")
    assert code == 1 and "--force" in err


def test_init_force_backs_up_first(cli, db, tmp_path):
    code, out, _ = cli("--db", db, "init", "--force", "--empty")
    assert code == 0 and "backed up" in out
    assert list((tmp_path / "backups").glob("store-*.db"))
    code, out, _ = cli("--db", db, "countries", "--format", "json")
    assert json.loads(out) == []


def test_show_flags_stale_sections(cli, db):
    from briefpack.store import Store

    store = Store.open(db)
    store.mark_refreshed("NOR", ["alumni"], user="oslo", at="2020-01-01T00:00:00+00:00")
    store.close()
    code, out, _ = cli("--db", db, "show", "Norway")
    assert code == 0 and "alumni: refreshed 1 January 2020 by oslo  STALE" in out
    code, out, _ = cli("--db", db, "show", "Norway", "--format", "json")
    alumni = next(c for c in json.loads(out)["currency"] if c["section"] == "alumni")
    assert alumni["stale"] is True and alumni["refreshed_by"] == "oslo"


def test_show_json_gives_refresh_times_as_iso_text(cli, db):
    from briefpack.store import Store

    store = Store.open(db)
    store.mark_refreshed("NOR", ["alumni"], user="oslo", at="2020-01-01T00:00:00+00:00")
    store.close()
    code, out, _ = cli("--db", db, "show", "Norway", "--format", "json")
    alumni = next(c for c in json.loads(out)["currency"] if c["section"] == "alumni")
    assert code == 0 and alumni["refreshed_at"] == "2020-01-01T00:00:00+00:00"


def test_build_and_pack_share_their_output_options():
    """--format, --template, --out and --ceiling are declared once for build and pack."""
    action = next(a for a in cli.build_parser()._actions if a.dest == "command")

    def options(command: str) -> dict:
        return {a.option_strings[0]: (a.default, a.metavar, a.help.split(" (default")[0])
                for a in action.choices[command]._actions
                if a.option_strings and a.option_strings[0] in (
                    "--format", "--template", "--out", "--ceiling")}

    assert options("build") == options("pack") and len(options("build")) == 4

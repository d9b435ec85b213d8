"""The CLI writes UTF-8 to files and pipes whatever the console's code page."""

from __future__ import annotations

import os
import subprocess
import sys


def _run(args, db, tmp_path, encoding="cp1252"):
    env = {**os.environ, "PYTHONIOENCODING": encoding, "PYTHONUTF8": "0",
           "BRIEFPACK_USER": "test.user"}
    out = tmp_path / "out.txt"
    with out.open("wb") as handle:
        done = subprocess.run([sys.executable, "-m", "briefpack", "--db", str(db), *args],
                              stdout=handle, stderr=subprocess.PIPE, env=env, timeout=120)
    return done, out.read_bytes()


def test_redirected_output_is_utf8_under_a_windows_code_page(seeded_db, tmp_path):
    """`score Norway --explain > f.txt` crashed with UnicodeEncodeError under cp1252."""
    done, data = _run(["score", "Norway", "--explain"], seeded_db, tmp_path)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    text = data.decode("utf-8")
    assert "Norway" in text
    assert any(ord(ch) > 0xFF for ch in text)  # "—", "…", "’": not in Latin-1


def test_an_exported_packet_piped_to_a_file_imports(seeded_db, tmp_path):
    """`export Norway > nor.yaml` wrote the console's code page, which import refused."""
    done, data = _run(["export", "Norway"], seeded_db, tmp_path)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    packet = tmp_path / "nor.yaml"
    packet.write_bytes(data)
    data.decode("utf-8")
    again = subprocess.run([sys.executable, "-m", "briefpack", "--db", str(seeded_db),
                            "import", str(packet), "--dry-run"],
                           capture_output=True, timeout=120)
    assert again.returncode == 0, again.stderr.decode("utf-8", "replace")


def test_import_reads_a_packet_from_standard_input(seeded_db, tmp_path):
    """`briefpack export NOR | briefpack import -`, under a Windows code page."""
    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "BRIEFPACK_USER": "test.user"}
    exported = subprocess.run([sys.executable, "-m", "briefpack", "--db", str(seeded_db),
                               "export", "Norway"], capture_output=True, env=env, timeout=120)
    assert exported.returncode == 0
    done = subprocess.run([sys.executable, "-m", "briefpack", "--db", str(seeded_db),
                           "import", "-", "--dry-run"], input=exported.stdout,
                          capture_output=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert "<standard input>" in done.stdout.decode("utf-8")
    bad = subprocess.run([sys.executable, "-m", "briefpack", "--db", str(seeded_db),
                          "import", "-"], input=b"packet: [\n", capture_output=True,
                         env=env, timeout=120)
    assert bad.returncode == 3 and b"<standard input>" in bad.stderr

"""The app speaks in its own words and controls, not the command line's options."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtPdfWidgets")

from briefpack.app import domain  # noqa: E402
from briefpack.app.build_dialog import REDACT_TEXT  # noqa: E402
from briefpack.brief import redaction  # noqa: E402

PACKAGE = Path(domain.__file__).resolve().parents[1]


def test_each_cli_phrase_the_app_rewords_is_still_written_somewhere():
    """A stale entry would leave the CLI's words in the app unnoticed."""
    source = "".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py")
                     if "app" not in p.relative_to(PACKAGE).parts)
    joined = re.sub(r'"\s*\n\s*f?"', "", source)  # strings continued over lines, as one
    for cli, _app in domain.IN_APP_WORDS:
        assert cli in joined, cli


def test_the_personal_data_warning_names_the_apps_control():
    cli = redaction.personal_data_warning(30, 20, "The Norway brief")
    assert "--redact" in cli
    shown = domain.in_app_words(cli)
    assert "--" not in shown and REDACT_TEXT.split(" (")[0] in shown

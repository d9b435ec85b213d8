"""Text sorted the way people read it: 'Côte d'Ivoire' before 'Czech Republic', 'Åland'
with the As, case ignored and numbers in number order (Qt's collator, no new dependency)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QCollator, QLocale, Qt


@functools.cache
def collator() -> QCollator:
    """The user's language's collation; British English where the system names none (C)."""
    locale = QLocale.system()
    if locale.language() in (QLocale.Language.C, QLocale.Language.AnyLanguage):
        locale = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
    collate = QCollator(locale)
    collate.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    collate.setNumericMode(True)
    return collate


def text_key(text: str) -> Any:
    """A sort key for ``text`` (comparable with other keys of this function)."""
    return _key(str(text))


_key: Callable[[str], Any] = functools.cmp_to_key(lambda a, b: collator().compare(a, b))


def ranks(texts: Iterable[str]) -> dict[str, int]:
    """Each distinct text's place in reading order, for models that sort on a number."""
    return {text: place for place, text in enumerate(sorted(set(texts), key=text_key))}

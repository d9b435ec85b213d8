"""Protective markings under the Government Security Classifications Policy (GSCP) 2024.

briefpack holds OFFICIAL and OFFICIAL-SENSITIVE material only. A marking reads

    CLASSIFICATION - HANDLING INSTRUCTION(S) - DESCRIPTOR(S)

and ``str(marking)`` always writes it in one canonical form, each part separated by " - ":

- classification: OFFICIAL or OFFICIAL-SENSITIVE;
- handling instructions in this order: RECIPIENTS ONLY, "<ORG> USE ONLY" (organisations in
  alphabetical order, HMG being one of them), FOR PUBLIC RELEASE, EMBARGOED UNTIL
  YYYY-MM-DD HH:MM;
- descriptors in policy order (PERSONAL DATA, LEGAL PROFESSIONAL PRIVILEGE, LEGAL,
  MARKET SENSITIVE, COMMERCIAL, HR/MANAGEMENT), then local descriptors alphabetically.

Combinations refused, with the reason:

- RECIPIENTS ONLY on plain OFFICIAL (it is for OFFICIAL-SENSITIVE);
- FOR PUBLIC RELEASE with OFFICIAL-SENSITIVE, with any descriptor (every descriptor marks
  information that needs care, which public release would defeat) or with "<ORG> USE ONLY";
- national caveats (UK EYES ONLY, RELEASABLE TO ...), which belong to SECRET and above;
- "-SENSITIVE" on anything but OFFICIAL;
- legacy markings (UNCLASSIFIED, PROTECT, RESTRICTED, CONFIDENTIAL), with the modern equivalent;
- SECRET and TOP SECRET in any form, and look-alikes of them (5ECRET, S3CR3T, SE CRET,
  TS, COSMIC): briefpack is not accredited for them;
- "<ORG> USE ONLY" for an organisation not in ``ORGANISATIONS``, characters outside
  A-Z, digits, spaces and the separators, and text longer than ``MAX_LENGTH`` (runs of
  spaces counted as one).

Markings are partially ordered by protection: ``a <= b`` when ``b`` protects at least
everything ``a`` does (same or higher classification, every descriptor and restricting
handling instruction of ``a``, an embargo no earlier, and FOR PUBLIC RELEASE only if ``a``
has it too). ``combine`` is the least upper bound in this order and ``is_lowering(old, new)``
is ``not old <= new``. Use ``rank`` to compare classification levels alone.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from .errors import BriefpackError

__all__ = [
    "DESCRIPTORS",
    "LOCAL_DESCRIPTORS",
    "OFFICIAL",
    "OFFICIAL_SENSITIVE",
    "Marking",
    "MAX_LENGTH",
    "MarkingError",
    "NotAccreditedError",
    "ORGANISATIONS",
    "check_change",
    "combine",
    "is_lowering",
    "normalise",
    "parse",
    "parse_ceiling",
    "rank",
    "with_descriptor",
]

#: The GSCP 2024 descriptors, in the order ``str(Marking)`` writes them.
DESCRIPTORS = (
    "PERSONAL DATA",
    "LEGAL PROFESSIONAL PRIVILEGE",
    "LEGAL",
    "MARKET SENSITIVE",
    "COMMERCIAL",
    "HR/MANAGEMENT",
)

#: Local descriptors accepted by default; pass ``local_descriptors=`` to use another set.
LOCAL_DESCRIPTORS = frozenset({"LOCSEN"})

_LEVELS = ("OFFICIAL", "OFFICIAL-SENSITIVE")

_EXAMPLE = "e.g. OFFICIAL-SENSITIVE - RECIPIENTS ONLY - COMMERCIAL"
_SHAPE = f"a marking reads CLASSIFICATION - HANDLING INSTRUCTION - DESCRIPTOR, {_EXAMPLE}"

_NOT_ACCREDITED = (
    "briefpack is not accredited for SECRET or TOP SECRET material; "
    "hold and print it only on an accredited system"
)

_LEGACY_HINTS = {
    "UNCLASSIFIED": (
        "there is no UNCLASSIFIED under GSCP: use OFFICIAL, or OFFICIAL - FOR PUBLIC RELEASE "
        "for material that is already public"
    ),
    "PROTECT": (
        "PROTECT is a pre-2014 marking and is no longer used: use OFFICIAL, or "
        "OFFICIAL-SENSITIVE if it needs extra care"
    ),
    "RESTRICTED": (
        "RESTRICTED is a pre-2014 marking and is no longer used: most RESTRICTED material is "
        "now OFFICIAL-SENSITIVE; check with the originator"
    ),
    "CONFIDENTIAL": (
        "CONFIDENTIAL is a pre-2014 marking and is no longer used: most CONFIDENTIAL material "
        "is now SECRET, which briefpack cannot hold; check with the originator"
    ),
}

_CAVEAT_WORDS = frozenset({"RELEASABLE", "REL", "UKEO", "NOFORN"})

_WORD_HINTS = {
    "PERSONAL": "the descriptor is PERSONAL DATA",
    "MANAGEMENT": "the descriptor is HR/MANAGEMENT",
    "HR": "the descriptor is HR/MANAGEMENT",
    "EMBARGO": "write EMBARGOED UNTIL 2026-03-01 09:00",
}

# Words a local descriptor or organisation may not reuse, so parsing stays unambiguous.
_RESERVED_WORDS = frozenset(
    {"OFFICIAL", "SENSITIVE", "SECRET", "TOP", "ONLY", "EMBARGOED", "USE", "UNTIL"}
    | {"RELEASE", "EYES"}
    | set(_LEGACY_HINTS)
    | _CAVEAT_WORDS
)

_NAME = re.compile(r"[A-Z0-9&'/.]+(?: [A-Z0-9&'/.]+)*")

#: Organisations a marking may restrict to with "<ORG> USE ONLY": a bounded list of UK
#: government bodies, so a made-up caveat (or a look-alike of SECRET) can never become a
#: page marking.
ORGANISATIONS = frozenset({
    "HMG", "MOD", "FCDO", "CABINET OFFICE", "HOME OFFICE", "HM TREASURY", "DBT", "DSIT",
    "DE&S", "DSTL", "DIO", "PJHQ", "UKSTRATCOM", "NCSC", "UKDSE", "NSS", "DESNZ", "HMRC",
})

#: The longest marking text accepted: the longest valid marking is well under this.
MAX_LENGTH = 200

# What a marking may be written with: Latin capitals (after putting text in upper case),
# digits, spaces and the separators of the grammar. Anything else (Cyrillic look-alikes,
# symbols, control characters) is refused before the words are read.
_ALLOWED_CHARS = re.compile(r"[A-Z0-9 \t\-,;|\[\]()&/'.:]*")
# Digits and symbols people use for letters, to spot SECRET written in disguise.
_LEET = str.maketrans({"0": "O", "1": "I", "3": "E", "4": "A", "5": "S", "7": "T", "8": "B",
                       "$": "S", "@": "A", "€": "E"})
_SECRET_WORDS = frozenset({"TS", "COSMIC", "STRAP", "TOPSECRET", "SECRET"})


class MarkingError(BriefpackError, ValueError):
    """A protective marking that is not valid under GSCP 2024; the message says why."""


class NotAccreditedError(MarkingError):
    """SECRET or TOP SECRET material, which briefpack must neither hold nor print."""

    def __init__(self, message: str = _NOT_ACCREDITED):
        super().__init__(message)


def _allowed_summary() -> str:
    return (
        "a marking here is OFFICIAL or OFFICIAL-SENSITIVE, then handling instructions "
        "(RECIPIENTS ONLY, FOR PUBLIC RELEASE, EMBARGOED UNTIL <date> <time>, or "
        f"<ORG> USE ONLY for one of {', '.join(sorted(ORGANISATIONS))}), then descriptors "
        f"({_descriptor_list()})"
    )


@dataclass(frozen=True)
class Marking:
    """One valid protective marking. Construct directly or with ``parse``.

    Names (descriptors, organisations) are put in capitals with single spaces; any
    invalid combination raises ``MarkingError``. ``<`` and ``<=`` are the protection
    order described in the module docstring, a partial order: ``OFFICIAL - COMMERCIAL``
    and ``OFFICIAL - PERSONAL DATA`` are neither higher than the other, so use ``combine``
    rather than ``max`` for an overall marking.
    """

    classification: str = "OFFICIAL"
    sensitive: bool = False
    recipients_only: bool = False
    #: organisations in "<ORG> USE ONLY", e.g. {"MOD"} or {"HMG"}
    use_only: frozenset[str] = field(default_factory=frozenset)
    public_release: bool = False
    #: to the minute, UK local time, no time zone
    embargoed_until: dt.datetime | None = None
    descriptors: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        object.__setattr__(self, "classification", _canonical_classification(self.classification))
        object.__setattr__(self, "use_only", _names(self.use_only, "organisation"))
        object.__setattr__(self, "descriptors", _names(self.descriptors, "descriptor"))
        _check_embargo(self.embargoed_until)
        self._check_combination()

    def _check_combination(self) -> None:
        if self.recipients_only and not self.sensitive:
            raise MarkingError(
                "RECIPIENTS ONLY cannot be used on plain OFFICIAL: "
                "it applies to OFFICIAL-SENSITIVE only"
            )
        if not self.public_release:
            return
        if self.sensitive:
            raise MarkingError(
                "FOR PUBLIC RELEASE cannot be used with OFFICIAL-SENSITIVE: "
                "sensitive material is not for public release"
            )
        if self.descriptors:
            raise MarkingError(
                f"FOR PUBLIC RELEASE cannot be used with {self.ordered_descriptors[0]}: "
                "a descriptor marks information that needs care, "
                "so it cannot be released to the public"
            )
        if self.use_only:
            raise MarkingError(
                f"FOR PUBLIC RELEASE cannot be used with {min(self.use_only)} USE ONLY: "
                "material cannot be both public and restricted to one organisation"
            )

    @property
    def level(self) -> str:
        """The classification level: "OFFICIAL" or "OFFICIAL-SENSITIVE"."""
        return _LEVELS[self.sensitive]

    @property
    def handling(self) -> tuple[str, ...]:
        """Handling instructions as written, in canonical order."""
        parts = ["RECIPIENTS ONLY"] if self.recipients_only else []
        parts += [f"{org} USE ONLY" for org in sorted(self.use_only)]
        if self.public_release:
            parts.append("FOR PUBLIC RELEASE")
        if self.embargoed_until is not None:
            parts.append(f"EMBARGOED UNTIL {self.embargoed_until:%Y-%m-%d %H:%M}")
        return tuple(parts)

    @property
    def ordered_descriptors(self) -> tuple[str, ...]:
        """Descriptors in policy order, then local ones alphabetically."""
        return _ordered_descriptors(self.descriptors)

    def __str__(self) -> str:
        return " - ".join((self.level, *self.handling, *self.ordered_descriptors))

    def is_within(self, ceiling: Marking | str) -> bool:
        """True when this marking's classification level does not exceed ``ceiling``'s."""
        return rank(self) <= _ceiling_rank(ceiling)

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Marking):
            return NotImplemented
        return _protects_at_least(other, self)

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Marking):
            return NotImplemented
        return _protects_at_least(self, other)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Marking):
            return NotImplemented
        return self != other and _protects_at_least(other, self)

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Marking):
            return NotImplemented
        return self != other and _protects_at_least(self, other)


def parse(text: str, *, local_descriptors: Iterable[str] = LOCAL_DESCRIPTORS) -> Marking:
    """Read a marking written by a person: any case, spacing or dash, strict about meaning."""
    normal = _normal_text(text)
    _refuse_secret(normal)
    _check_shape(normal)
    tokens = _tokens(normal)
    words = [t for kind, t in tokens if kind == "word"]
    if not words:
        raise MarkingError(f"no marking given: every record needs one, {_EXAMPLE}")
    for word in words:
        if word in _LEGACY_HINTS:
            raise MarkingError(_LEGACY_HINTS[word])
    return _Reader(tokens, _vocabulary(_local_names(local_descriptors))).marking()


def parse_ceiling(text: str) -> Marking:
    """Read a ceiling: a classification level alone, OFFICIAL or OFFICIAL-SENSITIVE."""
    return _as_ceiling(parse(text))


def normalise(text: str, *, local_descriptors: Iterable[str] = LOCAL_DESCRIPTORS) -> str:
    """The canonical text of a marking."""
    return str(parse(text, local_descriptors=local_descriptors))


def rank(marking: Marking | str) -> int:
    """Classification level as a number: OFFICIAL 0, OFFICIAL-SENSITIVE 1."""
    return int(_as_marking(marking).sensitive)


def combine(
    *markings: Marking | str, local_descriptors: Iterable[str] = LOCAL_DESCRIPTORS
) -> Marking:
    """The overall marking of a document made of these parts (plain OFFICIAL for none).

    Highest classification, union of descriptors and handling instructions, except that
    FOR PUBLIC RELEASE survives only if every part has it and the latest embargo wins.
    """
    parts = [_as_marking(m, local_descriptors) for m in markings]
    if not parts:
        return OFFICIAL
    embargoes = [p.embargoed_until for p in parts if p.embargoed_until is not None]
    return Marking(
        sensitive=any(p.sensitive for p in parts),
        recipients_only=any(p.recipients_only for p in parts),
        use_only=frozenset().union(*(p.use_only for p in parts)),
        public_release=all(p.public_release for p in parts),
        embargoed_until=max(embargoes, default=None),
        descriptors=frozenset().union(*(p.descriptors for p in parts)),
    )


def with_descriptor(
    marking: Marking | str,
    descriptor: str,
    *,
    local_descriptors: Iterable[str] = LOCAL_DESCRIPTORS,
) -> Marking:
    """``marking`` with ``descriptor`` added, e.g. ``with_descriptor(m, "PERSONAL DATA")``."""
    name = _name(descriptor)
    if name not in DESCRIPTORS and name not in _local_names(local_descriptors):
        raise MarkingError(f"{descriptor!r} is not a descriptor: use one of {_descriptor_list()}")
    current = _as_marking(marking, local_descriptors)
    return replace(current, descriptors=current.descriptors | {name})


def is_lowering(
    old: Marking | str, new: Marking | str, *, local_descriptors: Iterable[str] = LOCAL_DESCRIPTORS
) -> bool:
    """True when ``new`` protects less than ``old`` in any way.

    That is: a lower classification, a dropped descriptor or restricting handling
    instruction, an earlier or removed embargo, or FOR PUBLIC RELEASE added.
    """
    return not _as_marking(old, local_descriptors) <= _as_marking(new, local_descriptors)


def check_change(
    old: Marking | str,
    new: Marking | str,
    *,
    imported: bool,
    local_descriptors: Iterable[str] = LOCAL_DESCRIPTORS,
) -> Marking:
    """Return the new marking, refusing to lower a marking that came from an import."""
    before = _as_marking(old, local_descriptors)
    after = _as_marking(new, local_descriptors)
    if imported and not before <= after:
        raise MarkingError(
            "lowering a marking that came from an import is refused: "
            "only the originator may lower it"
        )
    return after


# --- validation helpers -------------------------------------------------------------


def _canonical_classification(text: str) -> str:
    normal = _normal_text(text)
    _refuse_secret(normal)
    for word in re.findall(r"[A-Z]+", normal):
        if word in _LEGACY_HINTS:
            raise MarkingError(_LEGACY_HINTS[word])
    if normal.strip() != "OFFICIAL":
        raise MarkingError(
            f"the classification must be OFFICIAL, not {text!r}; "
            "add -SENSITIVE with sensitive=True"
        )
    return "OFFICIAL"


def _name(text: str) -> str:
    return " ".join(_normal_text(text).replace(" / ", "/").split())


def _names(values: Iterable[str], what: str) -> frozenset[str]:
    if isinstance(values, str):
        raise MarkingError(f"give {what}s as a set of names, not the single text {values!r}")
    names = frozenset(_name(v) for v in values)
    for name in names:
        _refuse_look_alike(name)
    # The standard descriptors may use reserved words ("MARKET SENSITIVE"); they are known phrases.
    for name in names if what == "organisation" else names.difference(DESCRIPTORS):
        if not _NAME.fullmatch(name) or _RESERVED_WORDS.intersection(name.split()):
            raise MarkingError(f"{name!r} cannot be used as a {what} in a protective marking")
        if what == "organisation" and _contains_phrase(name.split()):
            raise MarkingError(
                f"{name!r} cannot be used as an organisation: it contains a word of the marking "
                "vocabulary, so the marking would read differently"
            )
        if what == "organisation" and name not in ORGANISATIONS:
            raise MarkingError(
                f"{name} USE ONLY is not allowed: <ORG> USE ONLY names one of "
                + ", ".join(sorted(ORGANISATIONS))
            )
    return names


def _contains_phrase(words: list[str]) -> bool:
    vocabulary = _vocabulary(LOCAL_DESCRIPTORS)
    return any(
        tuple(words[start:end]) in vocabulary
        for start in range(len(words))
        for end in range(start + 1, len(words) + 1)
    )


def _check_embargo(when: dt.datetime | None) -> None:
    if when is None:
        return
    if not isinstance(when, dt.datetime):
        raise MarkingError(
            "an embargo needs a date and a time, e.g. EMBARGOED UNTIL 2026-03-01 09:00"
        )
    if when.tzinfo is not None or when.second or when.microsecond:
        raise MarkingError("an embargo is given to the minute in UK time, e.g. 2026-03-01 09:00")
    if not 1900 <= when.year <= 2100:
        raise MarkingError(f"an embargo date is between 1900 and 2100, not {when:%Y-%m-%d}")


def _ordered_descriptors(descriptors: frozenset[str]) -> tuple[str, ...]:
    standard = [d for d in DESCRIPTORS if d in descriptors]
    return (*standard, *sorted(descriptors.difference(DESCRIPTORS)))


def _descriptor_list() -> str:
    return ", ".join(DESCRIPTORS) + " or a local descriptor such as LOCSEN"


def _local_names(local_descriptors: Iterable[str]) -> frozenset[str]:
    return _names(local_descriptors, "local descriptor")


def _protects_at_least(high: Marking, low: Marking) -> bool:
    embargo_kept = low.embargoed_until is None or (
        high.embargoed_until is not None and high.embargoed_until >= low.embargoed_until
    )
    return (
        rank(high) >= rank(low)
        and (high.recipients_only or not low.recipients_only)
        and high.use_only >= low.use_only
        and (low.public_release or not high.public_release)
        and embargo_kept
        and high.descriptors >= low.descriptors
    )


def _as_marking(
    value: Marking | str, local_descriptors: Iterable[str] = LOCAL_DESCRIPTORS
) -> Marking:
    if isinstance(value, Marking):
        return value
    if isinstance(value, str):
        return parse(value, local_descriptors=local_descriptors)
    raise TypeError(f"expected a Marking or its text, got {type(value).__name__}")


def _as_ceiling(marking: Marking) -> Marking:
    if marking != Marking(sensitive=marking.sensitive):
        raise MarkingError(
            "a ceiling is a classification level only (OFFICIAL or OFFICIAL-SENSITIVE), "
            f"not {marking}"
        )
    return marking


def _ceiling_rank(ceiling: Marking | str) -> int:
    return rank(parse_ceiling(ceiling) if isinstance(ceiling, str) else _as_ceiling(ceiling))


# --- reading text -----------------------------------------------------------------

# Hyphens, en and em dashes, minus signs and their small and full-width forms.
_DASH_CHARS = "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe58\ufe63\uff0d"
_DASHES = dict.fromkeys(map(ord, _DASH_CHARS), "-")

_TOKEN = re.compile(
    r"""
      (?P<date>\d{4}-\d{1,2}-\d{1,2}(?:T\d{1,2}:\d{2})?)
    | (?P<time>\d{1,2}:\d{2})
    | (?P<sep>[-,;|\[\]()])
    | (?P<word>[^\s\-,;|\[\]()]+)
    """,
    re.VERBOSE,
)


def _normal_text(text: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"a marking is text, got {type(text).__name__}")
    text = unicodedata.normalize("NFKC", text).translate(_DASHES).upper()
    # Zero-width and other invisible format characters must not hide a word such as SECRET.
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return re.sub(r"\bHR\s*/\s*MANAGEMENT\b", "HR/MANAGEMENT", text)


def _check_shape(normal: str) -> None:
    # the length of what it says: runs of spaces count as one, as they do in the canonical
    # text; the raw text is bounded too, so megabytes of spaces are not read word by word
    length = len(" ".join(normal.split())) if len(normal) <= 4 * MAX_LENGTH else len(normal)
    if length > MAX_LENGTH:
        raise MarkingError(
            f"a marking is at most {MAX_LENGTH} characters, not {length}; "
            + _allowed_summary()
        )
    for word in re.findall(r"[^\s\-,;|\[\]()]+", normal):
        _refuse_look_alike(word)
    _refuse_look_alike(normal)
    if not _ALLOWED_CHARS.fullmatch(normal):
        bad = next(c for c in normal if not _ALLOWED_CHARS.fullmatch(c))
        shown = f"{bad} (U+{ord(bad):04X})" if bad.isprintable() else f"U+{ord(bad):04X}"
        raise MarkingError(
            f"a marking is written in the letters A-Z, digits, spaces and - , / & ( ) [ ], "
            f"not {shown}; " + _allowed_summary()
        )


def _refuse_look_alike(text: str) -> None:
    """Refuse SECRET in disguise: 5ECRET, S3CR3T, SE CRET, TS, COSMIC (NATO's TOP SECRET)."""
    squashed = re.sub(r"[^A-Z]", "", text.upper().translate(_LEET))
    if squashed in _SECRET_WORDS or "SECRET" in squashed:
        raise NotAccreditedError(
            f"{text.strip()!r} reads as SECRET or above: {_NOT_ACCREDITED}"
        )


def _refuse_secret(normal: str) -> None:
    words = re.findall(r"[A-Z]+", normal)
    # Join letters written apart ("S E C R E T") back into a word.
    joined = re.sub(r"\b([A-Z]) (?=[A-Z]\b)", r"\1", " ".join(words)).split()
    if any(w in ("SECRET", "TOPSECRET") for w in words + joined):
        raise NotAccreditedError()


def _tokens(normal: str) -> list[tuple[str, str]]:
    return [(m.lastgroup or "", m.group()) for m in _TOKEN.finditer(normal)]


@lru_cache(maxsize=16)
def _vocabulary(local: frozenset[str]) -> dict[tuple[str, ...], tuple[str, str]]:
    """Phrase (as words) -> (kind, value) for every phrase a marking may contain."""
    phrases: dict[tuple[str, ...], tuple[str, str]] = {
        ("OFFICIAL",): ("classification", "OFFICIAL"),
        ("SENSITIVE",): ("sensitive", "SENSITIVE"),
        ("RECIPIENTS", "ONLY"): ("recipients", "RECIPIENTS ONLY"),
        ("FOR", "PUBLIC", "RELEASE"): ("public", "FOR PUBLIC RELEASE"),
        ("USE", "ONLY"): ("use_only", "USE ONLY"),
        ("EMBARGOED",): ("embargo", "EMBARGOED"),
        ("EYES", "ONLY"): ("caveat", "EYES ONLY"),
    }
    phrases.update({(w,): ("caveat", w) for w in _CAVEAT_WORDS})
    for name in (*DESCRIPTORS, *local):
        phrases[tuple(name.split())] = ("descriptor", name)
    return phrases


class _Reader:
    """Reads tokens left to right into the parts of a marking."""

    def __init__(self, tokens: list[tuple[str, str]], vocabulary: dict):
        self.tokens = tokens
        self.vocabulary = vocabulary
        self.longest = max(map(len, vocabulary))
        self.at = 0
        self.pending: list[str] = []  # unrecognised words: an organisation, or an error
        self.parts: list[tuple[str, object]] = []

    def marking(self) -> Marking:
        while self.at < len(self.tokens):
            kind, text = self.tokens[self.at]
            if kind == "sep":
                self._flush()
                self.at += 1
            elif kind in ("date", "time"):
                raise MarkingError(
                    f"{text!r} is out of place: a date and time only follow EMBARGOED UNTIL"
                )
            else:
                self._read_phrase()
        self._flush()
        return self._build()

    def _read_phrase(self) -> None:
        match = self._longest_match()
        if match is None:
            self.pending.append(self.tokens[self.at][1])
            self.at += 1
            return
        (kind, value), end = match
        self.at = end
        if kind == "use_only":
            if not self.pending:
                raise MarkingError(
                    "USE ONLY needs the organisation in front of it, e.g. MOD USE ONLY"
                )
            self.parts.append(("use_only", " ".join(self.pending)))
            self.pending = []
        elif kind == "caveat":
            caveat = " ".join([*self.pending, value, *self._words_to_separator()])
            raise MarkingError(
                f"{caveat} is a national caveat: national caveats "
                "(UK EYES ONLY, RELEASABLE TO ...) belong to SECRET and above only "
                "and cannot be used on OFFICIAL or OFFICIAL-SENSITIVE"
            )
        elif kind == "sensitive":
            self._check_sensitive_follows_official()
            self.parts.append(("sensitive", True))
        else:
            self._flush()
            if kind == "embargo":
                value = self._read_embargo()
            self.parts.append((kind, value))

    def _longest_match(self):
        """The longest known phrase at the cursor, allowing hyphens between its words."""
        words: list[str] = []
        ends: list[int] = []
        at = self.at
        while at < len(self.tokens) and len(words) < self.longest:
            kind, text = self.tokens[at]
            if kind == "word":
                words.append(text)
                ends.append(at + 1)
            elif not (kind == "sep" and text == "-" and words):
                break
            at += 1
        for n in range(len(words), 0, -1):
            found = self.vocabulary.get(tuple(words[:n]))
            if found:
                return found, ends[n - 1]
        return None

    def _words_to_separator(self) -> list[str]:
        words = []
        for kind, text in self.tokens[self.at :]:
            if kind == "sep":
                break
            words.append(text)
        return words

    def _check_sensitive_follows_official(self) -> None:
        rule = "-SENSITIVE is added to OFFICIAL only (OFFICIAL-SENSITIVE)"
        if self.pending:
            raise MarkingError(f"{rule}, not to {' '.join(self.pending)}")
        if not self.parts:
            raise MarkingError(f"{rule}: start the marking with OFFICIAL")
        kind, value = self.parts[-1]
        if kind == "sensitive":
            raise MarkingError(f"{rule}, and only once")
        if kind != "classification":
            raise MarkingError(f"{rule}, not to {value}")

    def _read_embargo(self) -> dt.datetime:
        example = "e.g. EMBARGOED UNTIL 2026-03-01 09:00"
        if self._peek() == ("word", "UNTIL"):
            self.at += 1
        kind, text = self._peek()
        if kind != "date":
            raise MarkingError(f"EMBARGOED needs a date and time, {example}")
        self.at += 1
        if "T" in text:
            day, time = text.split("T")
        else:
            kind, time = self._peek()
            if kind != "time":
                raise MarkingError(f"EMBARGOED needs a time as well as a date, {example}")
            self.at += 1
            day = text
        try:
            return dt.datetime.strptime(f"{day} {time}", "%Y-%m-%d %H:%M")
        except ValueError:
            raise MarkingError(f"{day} {time} is not a real date and time, {example}") from None

    def _peek(self) -> tuple[str, str]:
        return self.tokens[self.at] if self.at < len(self.tokens) else ("end", "")

    def _flush(self) -> None:
        if self.pending:
            word = self.pending[0]
            hint = _WORD_HINTS.get(word, _SHAPE)
            raise MarkingError(f"{word!r} is not part of a protective marking: {hint}")

    def _build(self) -> Marking:
        kinds = [kind for kind, _ in self.parts]
        if kinds[0] != "classification":
            raise MarkingError(
                f"a marking starts with its classification (OFFICIAL or OFFICIAL-SENSITIVE), "
                f"not {self.parts[0][1]}"
            )
        if kinds.count("classification") > 1:
            raise MarkingError(
                "a marking has one classification, but OFFICIAL is given more than once"
            )
        values: dict[str, set[Any]] = {kind: {v for k, v in self.parts if k == kind}
                                       for kind in kinds}
        embargoes = values.get("embargo", set())
        if len(embargoes) > 1:
            raise MarkingError("a marking has one embargo, but two different times are given")
        return Marking(
            sensitive="sensitive" in values,
            recipients_only="recipients" in values,
            use_only=frozenset(values.get("use_only", ())),
            public_release="public" in values,
            embargoed_until=next(iter(embargoes), None),
            descriptors=frozenset(values.get("descriptor", ())),
        )


# Defined last: building a Marking uses the helpers above.
OFFICIAL = Marking()
OFFICIAL_SENSITIVE = Marking(sensitive=True)

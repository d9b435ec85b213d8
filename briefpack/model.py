"""Domain dataclasses: what briefpack knows about countries, their records and visits.

No I/O here. Dates are ``datetime.date``; money is pounds sterling as ``float``.
Every stored record carries a protective marking, a source and who last changed it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

REGIONS = (
    "Euro-Atlantic",
    "Middle East",
    "Indo-Pacific",
    "Africa",
    "Latin America and Caribbean",
)

#: Memberships and formats a country can be recorded in.
FORMATS = (
    "NATO",
    "EU",
    "JEF",
    "E3",
    "E5",
    "FPDA",
    "Five Eyes",
    "AUKUS",
    "GCAP",
    "Coalition of the Willing",
    "UDCG",
    "Eurofighter",
    "Commonwealth",
)

DEFENCE_SECTIONS = ("resident", "non-resident", "none", "unknown")

AGREEMENT_STATUSES = ("active", "planned", "expired")
EXPORT_STAGES = ("identified", "pursuing", "bid", "negotiation", "won", "delivering", "lost")
ENGAGEMENT_STATUSES = ("past", "ongoing", "planned")
ENGAGEMENT_LEVELS = ("ministerial", "senior military", "official", "military")

DEFAULT_MARKING = "OFFICIAL"
PERSONAL_MARKING = "OFFICIAL - PERSONAL DATA"


@dataclass(kw_only=True)
class Record:
    """Fields every stored record carries."""

    marking: str = DEFAULT_MARKING
    source: str = ""
    updated_at: str = ""
    updated_by: str = ""
    #: "local" (made here) or "import" (from a packet or the sample data: its originator
    #: owns the marking, which may be raised here but never lowered)
    origin: str = "local"


@dataclass(kw_only=True)
class Country(Record):
    code: str  # ISO 3166 alpha-3
    name: str
    alpha2: str = ""
    region: str = "Euro-Atlantic"
    memberships: tuple[str, ...] = ()
    #: formats the UK co-leads with this country, e.g. "Ukraine Defence Contact Group"
    co_leads: tuple[str, ...] = ()
    defence_section: str = "unknown"
    #: staccato relationship facts, one per line
    summary: str = ""
    priority_tier: int | None = None


@dataclass(kw_only=True)
class Agreement(Record):
    id: int | None = None
    country: str
    name: str
    kind: str = "agreement"
    signed: dt.date | None = None
    status: str = "active"
    commits: str = ""
    value_gbp: float | None = None
    jobs: int | None = None
    strategic: bool = False


@dataclass(kw_only=True)
class Alumnus(Record):
    id: int | None = None
    country: str
    name: str
    course: str = ""
    institution: str = ""
    year: int | None = None
    appointment: str = ""
    senior: bool = False
    review_date: dt.date | None = None
    marking: str = PERSONAL_MARKING


@dataclass(kw_only=True)
class ExportOpportunity(Record):
    id: int | None = None
    country: str
    programme: str
    company: str = ""
    value_gbp: float | None = None
    quantity: int | None = None
    jobs: int | None = None
    stage: str = "identified"
    next_milestone: str = ""
    lead: str = ""
    #: what the figures mean, e.g. "value is for the UK economy"
    notes: str = ""


@dataclass(kw_only=True)
class Engagement(Record):
    id: int | None = None
    country: str
    title: str
    date: dt.date | None = None
    kind: str = "activity"
    level: str = "official"
    status: str = "past"
    description: str = ""


@dataclass(kw_only=True)
class Interlocutor(Record):
    id: int | None = None
    country: str
    name: str
    role: str = ""
    biography: str = ""
    pronunciation: str = ""
    last_met: dt.date | None = None
    alumnus_id: int | None = None
    review_date: dt.date | None = None
    marking: str = PERSONAL_MARKING


@dataclass(kw_only=True)
class NationalFigure(Record):
    """A UK-wide figure from the strategy, e.g. nations with UK defence representation."""

    key: str
    label: str
    value: float | None = None
    unit: str = ""


@dataclass(frozen=True)
class VisitObjective:
    text: str
    #: strategy objective keys from priorities.yaml this objective serves
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ask:
    ask: str
    response: str


@dataclass(frozen=True)
class ProgrammeItem:
    day: str
    time: str
    place: str
    event: str
    uk_lead: str = ""
    press: str = "closed"  # "open" or "closed"
    country: str = ""


@dataclass(kw_only=True)
class Visit:
    id: int | None = None
    title: str
    principal: str
    start: dt.date
    end: dt.date
    countries: tuple[str, ...]
    objectives: tuple[VisitObjective, ...] = ()
    points_to_make: tuple[str, ...] = ()
    asks: tuple[Ask, ...] = ()
    if_raised: tuple[str, ...] = ()
    press_lines: tuple[str, ...] = ()
    programme: tuple[ProgrammeItem, ...] = ()
    interlocutors: tuple[int, ...] = ()
    template: str = "standard"
    ceiling: str = "OFFICIAL-SENSITIVE"
    owning_team: str = ""
    final: bool = False
    version: str = "1"
    updated_at: str = ""
    updated_by: str = ""


@dataclass(frozen=True)
class SectionCurrency:
    """How current one section of a country's data is."""

    #: "country" or a record table name
    section: str
    refreshed_at: dt.datetime | None
    refreshed_by: str
    age_days: int | None
    stale: bool


@dataclass(kw_only=True)
class CountryFile:
    """Everything the store holds about one country."""

    country: Country
    agreements: list[Agreement] = field(default_factory=list)
    alumni: list[Alumnus] = field(default_factory=list)
    exports: list[ExportOpportunity] = field(default_factory=list)
    engagements: list[Engagement] = field(default_factory=list)
    interlocutors: list[Interlocutor] = field(default_factory=list)


#: table name -> record class, for every per-country table
RECORD_TABLES: dict[str, type[Record]] = {
    "agreements": Agreement,
    "alumni": Alumnus,
    "export_opportunities": ExportOpportunity,
    "engagements": Engagement,
    "interlocutors": Interlocutor,
}

"""Domain dataclasses: what briefpack knows about countries, their records and visits.

No I/O here. Dates are ``datetime.date``; money is pounds sterling as ``float``.
Every stored record carries a protective marking, a source and who last changed it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .coercion import converted, one_of, time_of_day

#: field metadata: the field names or reaches a person (a name, a phone number, an email
#: address); a redacted brief leaves it out (``redaction.without_personal_fields``)
PERSONAL: dict[str, Any] = {"personal": True}


def titled(title: str) -> dict[str, Any]:
    """Field metadata: how tables head the field, where its name in words will not do
    ("What it commits", not "Commits"); read through ``field_title``."""
    return {"title": title}


def field_title(record: type, name: str) -> str:
    """How the brief's tables head field ``name`` of ``record``: its declared title (see
    ``titled``), else its name in words ("next_milestone" -> "Next milestone")."""
    for f in dataclasses.fields(record):
        if f.name == name:
            return f.metadata.get("title") or name.replace("_", " ").capitalize()
    raise KeyError(f"{record.__name__} has no field {name!r}")

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

#: formats whose sample lists hold only the members the strategy names in that role, so
#: not being listed says nothing (see tools/make_countries.py)
PARTIAL_FORMATS = ("Coalition of the Willing", "UDCG")

#: fields of a country that are judgements, set by the user (audited) or by a packet,
#: never invented by the sample data: field -> the values allowed (None: not set)
DEFENCE_SECTIONS = ("resident", "non-resident", "none", "unknown")
JUDGEMENTS = {"priority_tier": (1, 2, 3, 4), "defence_section": DEFENCE_SECTIONS}

AGREEMENT_STATUSES = ("active", "planned", "expired")
EXPORT_STAGES = ("identified", "pursuing", "bid", "negotiation", "won", "delivering", "lost")
ENGAGEMENT_STATUSES = ("past", "ongoing", "planned")
ENGAGEMENT_LEVELS = ("ministerial", "senior military", "official", "military")
ACTION_STATUSES = ("open", "done", "dropped")
OUTCOME_STATUSES = ("achieved", "partly achieved", "not achieved")
#: whether the press may attend a programme item
PRESS_ACCESS = ("open", "closed")

DEFAULT_MARKING = "OFFICIAL"
#: who a refresh from the sample data is credited to: a source, never a person
SAMPLE_REFRESHED_BY = "sample data"
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
    region: str = field(default="Euro-Atlantic", metadata=one_of(REGIONS))
    memberships: tuple[str, ...] = field(default=(), metadata=one_of(FORMATS))
    #: formats the UK co-leads with this country, e.g. "Ukraine Defence Contact Group"
    co_leads: tuple[str, ...] = ()
    defence_section: str = field(default="unknown", metadata=one_of(DEFENCE_SECTIONS))
    #: staccato relationship facts, one per line
    summary: str = ""
    priority_tier: int | None = None


@dataclass(kw_only=True)
class Agreement(Record):
    id: int | None = None
    country: str
    name: str
    kind: str = field(default="agreement", metadata=titled("Type"))
    signed: dt.date | None = None
    #: announced or launched but not (or not known to be) signed: never shown as signed
    announced: dt.date | None = None
    status: str = field(default="active", metadata=one_of(AGREEMENT_STATUSES))
    commits: str = field(default="", metadata=titled("What it commits"))
    value_gbp: float | None = None
    jobs: int | None = field(default=None, metadata=titled("UK jobs"))
    strategic: bool = False


@dataclass(kw_only=True)
class Alumnus(Record):
    id: int | None = None
    country: str
    name: str
    course: str = ""
    institution: str = ""
    year: int | None = None
    appointment: str = field(default="", metadata=titled("Current appointment"))
    senior: bool = False
    review_date: dt.date | None = None
    marking: str = PERSONAL_MARKING


@dataclass(kw_only=True)
class ExportOpportunity(Record):
    id: int | None = None
    country: str
    programme: str
    company: str = field(default="", metadata=titled("UK company"))
    value_gbp: float | None = None
    quantity: int | None = None
    jobs: int | None = field(default=None, metadata=titled("UK jobs"))
    stage: str = field(default="identified", metadata=one_of(EXPORT_STAGES))
    next_milestone: str = ""
    lead: str = field(default="", metadata=PERSONAL)
    #: what the figures mean, e.g. "value is for the UK economy"
    notes: str = ""


@dataclass(kw_only=True)
class Engagement(Record):
    id: int | None = None
    country: str
    title: str
    date: dt.date | None = None
    kind: str = "activity"
    level: str = field(default="official", metadata=one_of(ENGAGEMENT_LEVELS))
    status: str = field(default="past", metadata=one_of(ENGAGEMENT_STATUSES))
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
    #: languages they work in, e.g. "Norwegian, English"
    languages: str = ""
    alumnus_id: int | None = None
    review_date: dt.date | None = None
    marking: str = PERSONAL_MARKING


@dataclass(kw_only=True)
class Action(Record):
    """A follow-up action agreed on a visit: who does what by when, and where it stands."""

    id: int | None = None
    country: str
    action: str
    owner: str = field(default="", metadata=PERSONAL)
    due: dt.date | None = None
    status: str = field(default="open", metadata=one_of(ACTION_STATUSES))
    #: the visit (or meeting) that raised it
    raised_at: str = field(default="", metadata=titled("Agreed at"))

    def overdue(self, today: dt.date) -> bool:
        """Still open after its due date."""
        return self.status == "open" and self.due is not None and self.due < today


@dataclass(kw_only=True)
class Background(Record):
    """The defence section's background on the relationship: a few paragraphs of prose
    (paragraphs split by a blank line), dated, with its own marking. The section writes
    a new one when it refreshes it; the brief prints the latest."""

    id: int | None = None
    country: str
    text: str
    #: as of when the text is true (the brief prints it beside the background)
    date: dt.date | None = None


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
    #: the ask the principal most needs to be ready for (the one-page summary shows it)
    difficult: bool = False


@dataclass(frozen=True)
class PressQuestion:
    """Reactive press lines: a question journalists may ask, and the answer to give."""

    question: str
    answer: str


@dataclass(frozen=True)
class Attendee:
    """Someone the principal meets at a call: an interlocutor record, or only a role."""

    role: str = ""
    #: the interlocutor record's id, when the person is known to the store
    interlocutor: int | None = None


@dataclass(frozen=True)
class VisitPerson:
    """Someone the visit meets, written in the visit file before the store holds them.

    The visit's briefs show them as an interlocutor record (the ceiling and redaction
    apply as to any other); saving the visit or recording its readout stores them as one.
    """

    name: str
    #: their appointment: the interlocutor record's role
    appointment: str = ""
    #: one of the visit's countries ("" on a one-country visit: that one)
    country: str = ""
    biography: str = ""
    pronunciation: str = ""
    languages: str = ""
    review_date: dt.date | None = None
    marking: str = PERSONAL_MARKING

    def interlocutor(self, person_id: int | None = None) -> Interlocutor:
        """This person as an interlocutor record (not yet stored)."""
        return Interlocutor(id=person_id, country=self.country, name=self.name,
                            role=self.appointment, biography=self.biography,
                            pronunciation=self.pronunciation, languages=self.languages,
                            review_date=self.review_date, marking=self.marking,
                            source="Visit file")


def visit_person_id(index: int) -> int:
    """The id a visit gives the person at ``index`` of its ``people`` until they are stored
    (negative, so never a stored record's)."""
    return -(index + 1)


@dataclass(frozen=True)
class ProgrammeItem:
    """One item of the programme; with a purpose, attendees or points it is a call."""

    day: str
    #: HH:MM on the 24-hour clock
    time: str = field(metadata=converted(time_of_day))
    place: str
    event: str
    uk_lead: str = field(default="", metadata=titled("UK lead"))
    press: str = field(default="closed", metadata=one_of(PRESS_ACCESS))
    country: str = ""
    purpose: str = ""
    interlocutors: tuple[Attendee, ...] = ()
    points_to_make: tuple[str, ...] = ()
    asks: tuple[Ask, ...] = ()
    if_raised: tuple[str, ...] = ()
    dress: str = ""

    @property
    def is_call(self) -> bool:
        return bool(self.purpose or self.interlocutors or self.points_to_make or self.asks
                    or self.if_raised)


@dataclass(frozen=True)
class CountryContent:
    """What the visit says about one of its countries; only that country's brief shows it."""

    country: str
    purpose: str = ""
    objectives: tuple[VisitObjective, ...] = ()
    top_lines: tuple[str, ...] = ()
    points_to_make: tuple[str, ...] = ()
    asks: tuple[Ask, ...] = ()
    if_raised: tuple[str, ...] = ()
    press_lines: tuple[str, ...] = ()
    press_qa: tuple[PressQuestion, ...] = ()
    #: handling notes and sensitivities: what to avoid, what to be careful of
    sensitivities: tuple[str, ...] = ()
    marking: str = DEFAULT_MARKING


@dataclass(frozen=True)
class TeamMember:
    """One of the UK team or delegation; ``country`` "" travels for the whole visit."""

    role: str
    name: str = field(default="", metadata=PERSONAL)
    country: str = ""


@dataclass(frozen=True)
class LogisticsItem:
    """A move, a timing or a dress note."""

    detail: str = field(metadata=titled("Move or timing"))
    day: str = ""
    time: str = field(default="", metadata=converted(time_of_day))
    dress: str = ""
    country: str = ""


@dataclass(frozen=True)
class Contact:
    role: str
    name: str = field(default="", metadata=PERSONAL)
    organisation: str = ""
    phone: str = field(default="", metadata=PERSONAL)
    email: str = field(default="", metadata=PERSONAL)
    country: str = ""


@dataclass(frozen=True)
class Outcome:
    """What a visit achieved against one of its objectives (the readout)."""

    #: the objective: its number in the country's (or the visit's) list, or its text
    objective: str
    outcome: str
    status: str = field(default="achieved", metadata=one_of(OUTCOME_STATUSES))
    country: str = ""


@dataclass(frozen=True)
class ReadoutAction:
    """An action agreed on the visit, as the readout records it."""

    action: str
    owner: str = field(default="", metadata=PERSONAL)
    due: dt.date | None = None
    status: str = field(default="open", metadata=one_of(ACTION_STATUSES))
    country: str = ""
    #: names the action within its visit, so a rerun of the readout updates the action it
    #: wrote even after its words change; "" for its words (``readout.action_key``)
    key: str = ""


#: the visit's lists that hold content, tour-wide on a Visit or per country
CONTENT_LISTS = ("objectives", "top_lines", "points_to_make", "asks", "if_raised",
                 "press_lines", "press_qa", "sensitivities")
#: the visit's lists whose items may name a country ("" for the whole visit)
PLACED_LISTS = ("team", "logistics", "contacts")


@dataclass(kw_only=True)
class Visit:
    id: int | None = None
    title: str
    principal: str
    start: dt.date
    end: dt.date
    countries: tuple[str, ...]
    #: why the visit happens, in a sentence or two
    purpose: str = ""
    objectives: tuple[VisitObjective, ...] = ()
    top_lines: tuple[str, ...] = ()
    points_to_make: tuple[str, ...] = ()
    asks: tuple[Ask, ...] = ()
    if_raised: tuple[str, ...] = ()
    press_lines: tuple[str, ...] = ()
    press_qa: tuple[PressQuestion, ...] = ()
    sensitivities: tuple[str, ...] = ()
    per_country: tuple[CountryContent, ...] = ()
    programme: tuple[ProgrammeItem, ...] = ()
    interlocutors: tuple[int, ...] = ()
    #: people written in the visit file, not yet stored (ids: visit_person_id)
    people: tuple[VisitPerson, ...] = ()
    team: tuple[TeamMember, ...] = ()
    logistics: tuple[LogisticsItem, ...] = ()
    contacts: tuple[Contact, ...] = ()
    #: after the visit: the readout's date, outcomes against objectives, and actions
    readout_date: dt.date | None = None
    outcomes: tuple[Outcome, ...] = ()
    actions: tuple[ReadoutAction, ...] = ()
    template: str = "standard"
    ceiling: str = "OFFICIAL-SENSITIVE"
    #: the protective marking of the visit's own words (objectives, points, asks …)
    marking: str = DEFAULT_MARKING
    owning_team: str = ""
    final: bool = False
    version: str = "1"
    updated_at: str = ""
    updated_by: str = ""

    def content_for(self, code: str) -> CountryContent | None:
        return next((c for c in self.per_country if c.country == code), None)

    def for_country(self, code: str) -> Visit:
        """The visit as one country's brief sees it.

        That country's own content; the tour-wide lists too when the visit has only this
        country (an old one-country file keeps its content there), otherwise they belong
        to the pack's steering brief. Programme, team, logistics and contacts keep the
        items for this country and, for a one-country visit, those for the whole visit.
        """
        own = self.content_for(code)
        single = self.countries == (code,)
        lists: dict = {}
        for name in CONTENT_LISTS:
            lists[name] = ((getattr(self, name) if single else ())
                           + (getattr(own, name) if own else ()))
        for name in PLACED_LISTS + ("programme",):
            lists[name] = tuple(i for i in getattr(self, name)
                                if i.country == code or (single and not i.country))
        purpose = " ".join(p for p in ((self.purpose if single else ""),
                                       own.purpose if own else "") if p)
        # the country's section stays for its marking; emptied once merged into the lists,
        # so that a view of a view is the same view
        kept = own if own is None or not single else CountryContent(country=code,
                                                                     marking=own.marking)
        return dataclasses.replace(self, purpose=purpose, per_country=(kept,) if kept else (),
                                   **lists)

    def interlocutor_ids(self) -> list[int]:
        """Every interlocutor the visit names, once each: its own list, then those at its
        calls, then the rest of its people."""
        at_calls = [a.interlocutor for item in self.programme for a in item.interlocutors
                    if a.interlocutor]
        own = [visit_person_id(i) for i in range(len(self.people))]
        return list(dict.fromkeys((*self.interlocutors, *at_calls, *own)))

    def people_records(self, code: str) -> list[Interlocutor]:
        """The visit's people in country ``code`` as interlocutor records with their
        visit ids, for a brief built before they are stored."""
        return [p.interlocutor(visit_person_id(i)) for i, p in enumerate(self.people)
                if p.country == code]

    def with_people_stored(self, ids: Mapping[int, int]) -> Visit:
        """The visit once its people are stored: each visit id (``ids`` maps it to the
        stored record's id) replaced, people no longer carried; those it named nowhere
        join its interlocutors."""
        def stored(person_id: int) -> int:
            return ids.get(person_id, person_id)

        named = {*self.interlocutors, *(a.interlocutor for item in self.programme
                                        for a in item.interlocutors)}
        unnamed = [ids[visit_person_id(i)] for i in range(len(self.people))
                   if visit_person_id(i) not in named and visit_person_id(i) in ids]
        programme = tuple(dataclasses.replace(item, interlocutors=tuple(
            dataclasses.replace(a, interlocutor=stored(a.interlocutor))
            if a.interlocutor is not None else a for a in item.interlocutors))
            for item in self.programme)
        return dataclasses.replace(
            self, people=(), programme=programme,
            interlocutors=tuple(dict.fromkeys((*map(stored, self.interlocutors), *unnamed))))

    def content_markings(self) -> tuple[str, ...]:
        """The markings of the visit's own words: the visit's and each country section's."""
        return (self.marking, *(c.marking for c in self.per_country))


#: a section refreshed longer ago than this many days is stale, unless the store says
#: otherwise (its ``stale_after_days``)
STALE_AFTER_DAYS = 180


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
    """Everything the store holds about one country: a list per record table, named as
    the table is (see ``TABLES``)."""

    country: Country
    agreements: list[Agreement] = field(default_factory=list)
    alumni: list[Alumnus] = field(default_factory=list)
    export_opportunities: list[ExportOpportunity] = field(default_factory=list)
    engagements: list[Engagement] = field(default_factory=list)
    interlocutors: list[Interlocutor] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    backgrounds: list[Background] = field(default_factory=list)
    #: the country's own record is above the ceiling: its facts (memberships, co-leads,
    #: tier, region …) are blanked and nothing may be derived from them
    country_withheld: bool = False
    #: sections (``COMPLETE_SECTIONS``) the data's owner declared complete, and as of when:
    #: only there does "none recorded" mean "none" (elsewhere it is no data)
    complete: dict[str, dt.date] = field(default_factory=dict)

    def with_records(self, records: Mapping[str, Iterable[Any]]) -> CountryFile:
        """A copy with these tables' records (table name -> records) replaced."""
        copy = dataclasses.replace(self)
        for table, rows in records.items():
            setattr(copy, TABLES[table].name, list(rows))
        return copy


@dataclass(frozen=True)
class TableSpec:
    """Every fact about one per-country record table, written once.

    The store, the sample data, packets and spreadsheets, scoring, the brief, redaction,
    ``briefpack show`` and the app all read these; none keeps its own list of tables.
    """

    #: the SQLite table, and the ``CountryFile`` attribute holding its records
    name: str
    record: type[Record]
    #: short name: app tabs, data-currency lists
    label: str
    #: long name: brief sections, the sources annex, ``briefpack show``
    title: str
    noun: str
    plural: str
    #: the fields that identify a record when no id is given (spreadsheet rows)
    natural_key: tuple[str, ...]
    #: most relevant first: the order a brief lists the records in
    relevance: Callable[[Any], tuple]
    #: every record is about a person: PERSONAL DATA and a review date, always
    personal: bool = False
    #: other names users may give the table (``--table exports``, sample data keys)
    aliases: tuple[str, ...] = ()

    def records(self, country_file: CountryFile) -> list[Any]:
        """This table's records in ``country_file``."""
        return getattr(country_file, self.name)

    def counted(self, n: int) -> str:
        """E.g. "1 agreement", "3 alumni"."""
        return f"{n} {self.noun if n == 1 else self.plural}"


def _ordinal(day: dt.date | None) -> int:
    return day.toordinal() if day else 0


#: every per-country record table, in the order briefs, packets and the app list them.
#: Adding a table: its Record dataclass above, a list field on CountryFile, a TableSpec
#: here, and a store migration creating it (store/migrations.py).
TABLES: dict[str, TableSpec] = {spec.name: spec for spec in (
    TableSpec("agreements", Agreement, "Agreements", "Agreements", "agreement", "agreements",
              natural_key=("name",),
              relevance=lambda a: (not a.strategic, -_ordinal(a.signed or a.announced)),
              aliases=("agreement",)),
    TableSpec("alumni", Alumnus, "Alumni", "Alumni of UK military education",
              "alumnus", "alumni", natural_key=("name",),
              relevance=lambda a: (not a.senior, -(a.year or 0), a.name),
              personal=True, aliases=("alumnus",)),
    TableSpec("export_opportunities", ExportOpportunity, "Export opportunities",
              "Export and capability opportunities", "export opportunity",
              "export opportunities", natural_key=("programme", "company"),
              relevance=lambda e: (e.stage == "lost", -(e.value_gbp or 0)),
              aliases=("exports", "export-opportunities", "export_opportunity")),
    TableSpec("engagements", Engagement, "Engagements", "Engagements", "engagement",
              "engagements", natural_key=("title", "date"),
              relevance=lambda e: (e.status != "planned", -_ordinal(e.date)),
              aliases=("engagement",)),
    TableSpec("interlocutors", Interlocutor, "Interlocutors", "Interlocutors",
              "interlocutor", "interlocutors", natural_key=("name",),
              relevance=lambda p: (-_ordinal(p.last_met), p.name),
              personal=True, aliases=("interlocutor",)),
    TableSpec("actions", Action, "Actions", "Actions from visits", "action", "actions",
              natural_key=("action",),
              relevance=lambda a: (a.status != "open", _ordinal(a.due) or 10 ** 7, a.action),
              aliases=("action",)),
    TableSpec("backgrounds", Background, "Background", "Background and relationship",
              "background", "backgrounds", natural_key=("date",),
              relevance=lambda b: (-_ordinal(b.date), -(b.id or 0)),
              aliases=("background",)),
)}

#: the sections an owner may declare complete: the country's own facts (its co-leads)
#: and each record table
COMPLETE_SECTIONS = ("country", *TABLES)

#: the country's own record: how the app and the sources annex name it
COUNTRY_LABEL = "Country facts"
COUNTRY_TITLE = "Country profile and relationship facts"

_BY_ANY_NAME = {alias: spec for spec in TABLES.values()
                for alias in (spec.name, *spec.aliases)}


def table_named(name: str) -> TableSpec | None:
    """The record table a user or a file means by ``name`` (any case, any alias)."""
    return _BY_ANY_NAME.get(name.strip().lower())


def is_personal_table(name: str) -> bool:
    """True for a table whose every record is about a person."""
    spec = TABLES.get(name)
    return spec is not None and spec.personal

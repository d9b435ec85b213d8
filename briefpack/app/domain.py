"""The app's one door to the domain: what workers run, with plain data in and out.

Functions here run in worker threads. SQLite connections belong to one thread, so each
opens its own Store on the window's store path (or is given plain data). Scoring and the
build pipeline are imported lazily: they are heavy and their absence must not stop the
app from opening.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import model, paths
from ..options import BuildOptions
from ..progress import Progress
from ..store import Store
from ..store.changes import (
    ChangedElsewhere, ChangeResult, Conflict, FieldEdit, RecordEdit, apply_changes,
    record_edit,
)

#: scoring's band for too little data (scoring itself is imported by the workers, not at
#: start: it loads the priorities machinery the window does not need to open)
INSUFFICIENT = "Insufficient data"

#: reportlab keeps shared state while it lays out a document: one render at a time
RENDER_LOCK = threading.Lock()


@dataclass(frozen=True)
class CountryStatus:
    """What the browser shows beside a country: its score and whether its data is stale."""

    score: float | None = None
    band: str = ""
    stale_sections: tuple[str, ...] = ()
    currency_note: str = ""


@dataclass
class Snapshot:
    """Everything the browser needs about every country, read in one worker pass."""

    statuses: dict[str, CountryStatus] = field(default_factory=dict)
    priorities: Any = None
    #: why scores are missing, if they are
    scoring_problem: str = ""
    #: names of the brief templates installed
    templates: list[str] = field(default_factory=list)


def whole(score: float) -> int:
    """A score as people see it, rounded the way the scorecard rounds."""
    return math.floor(score + 0.5)


@contextmanager
def open_store(path: Path) -> Iterator[Store]:
    """A Store for this thread on the same file as the window's, closed after use."""
    store = Store.open(path, create=False)
    try:
        yield store
    finally:
        store.close()


def load_priorities(path: Path | None = None) -> Any:
    from ..priorities import load_priorities as load

    return load(path)


def read_all(store: Store) -> tuple[list[model.CountryFile], dict[str, tuple]]:
    """Every country file and its data currency, from a store of this thread."""
    files = store.country_files()
    return files, {cf.country.code: stale_sections(store, cf) for cf in files}


def snapshot(store_path: Path, priorities_path: Path | None = None) -> Snapshot:
    """Scores and data currency of every country (run in a worker)."""
    with open_store(store_path) as store:
        files, stale = read_all(store)
    return snapshot_of(files, stale, priorities_path)


def snapshot_of(files: list[model.CountryFile], stale: dict[str, tuple],
                priorities_path: Path | None = None) -> Snapshot:
    """Scores every country file (pure: plain data in, plain data out)."""
    from ..scoring import score

    result = Snapshot(templates=template_names())
    scores: dict[str, tuple[float, str]] = {}
    try:
        result.priorities = load_priorities(priorities_path)
        for cf in files:
            card = score(cf, result.priorities)
            scores[cf.country.code] = (card.overall, card.band)
    except Exception as exc:  # noqa: BLE001 - shown to the user; the list still works
        result.scoring_problem = f"Scores could not be worked out: {exc}"
    for cf in files:
        code = cf.country.code
        overall, band = scores.get(code, (None, ""))
        sections, note = stale.get(code, ((), ""))
        result.statuses[code] = CountryStatus(overall, band, sections, note)
    return result


def stale_sections(store: Store, cf: model.CountryFile) -> tuple[tuple[str, ...], str]:
    """(sections older than the store's limit, a sentence saying when each was refreshed)."""
    rows = store.currency(cf.country.code)
    stale = tuple(r.section for r in rows if r.stale)
    lines = [f"{section_title(r.section)}: "
             + (f"refreshed {r.refreshed_at:%Y-%m-%d} by {r.refreshed_by or 'unknown'}"
                if r.refreshed_at else "never refreshed")
             + (" (stale)" if r.stale else "") for r in rows]
    return stale, "\n".join(lines)


def section_title(section: str) -> str:
    """A section's name as the user reads it (its table's label, not its table name)."""
    spec = model.TABLES.get(section)
    return spec.label if spec else model.COUNTRY_LABEL


def score_country(country_file: model.CountryFile, priorities: Any,
                  visit: model.Visit | None = None) -> Any:
    """The scorecard of one country (pure: runs on plain data in a worker)."""
    from ..scoring import score

    if priorities is None:
        priorities = load_priorities()
    return score(country_file, priorities, visit=visit)


def template_names() -> list[str]:
    from ..templates import available_templates

    return available_templates()


def render_preview(country_file: model.CountryFile, priorities: Any, visit: model.Visit | None,
                   target: Path, options: BuildOptions) -> Path:
    """Assemble one country's brief from plain data (unsaved edits included) as a PDF,
    with the build options the planner shows (annex, redacted variant, author)."""
    from ..pipeline import assemble_brief
    from ..render.pdf import render_pdf
    from ..templates import load_template

    if priorities is None:
        priorities = load_priorities()
    visit = _visit_for(visit, country_file)
    template = load_template(options.template or (visit.template if visit else "standard"))
    brief, _ = assemble_brief(country_file, template=template, priorities=priorities,
                              visit=visit, options=options)
    with RENDER_LOCK:
        render_pdf(brief, target, template_dir=template.dir)
    return target


def _visit_for(visit: model.Visit | None, country_file: model.CountryFile) -> model.Visit | None:
    """The visit, if it goes to this country."""
    if visit is None or country_file.country.code not in visit.countries:
        return None
    return visit


@dataclass(frozen=True)
class BuildRequest:
    """What the user asked to build, as plain data for the worker."""

    store_path: Path | None
    countries: tuple[str, ...]
    visit: model.Visit | None
    pack: bool
    #: what the build makes, where and by whom (out_dir, author set)
    options: BuildOptions
    priorities_path: Path | None = None


def build(request: BuildRequest):
    """The pipeline's Progress steps for a request (iterated in a worker)."""
    steps = _pipeline_steps(request)
    with RENDER_LOCK:
        result = yield from steps
    return result


def _pipeline_steps(request: BuildRequest):
    from .. import pipeline

    if request.store_path is None:
        raise RuntimeError("building needs a store saved on disk")
    store, options = request.store_path, request.options
    priorities = request.priorities_path
    if request.visit is None:
        return pipeline.build(store, options, country=request.countries[0],
                              priorities=priorities)
    if request.pack:
        return pipeline.build_pack(store, options, visit=request.visit, priorities=priorities)
    visit = dataclasses.replace(request.visit, countries=request.countries)
    return pipeline.build(store, options, visit=visit, priorities=priorities)


def output_paths(result: Any) -> list[Path]:
    """The files a finished build wrote."""
    outputs = getattr(result, "outputs", result)
    return [Path(p) for p in outputs or ()]


def pack_pdf(result: Any) -> Path | None:
    """The PDF of the pack a finished build wrote (as the pipeline says), or None."""
    printed = getattr(result, "pack_pdf", None)
    return Path(printed) if printed else None


# -- importing country data ------------------------------------------------------------------

@dataclass(frozen=True)
class ImportSource:
    """What to import: a country packet, or a CSV sheet of one table (``table`` set)."""

    path: Path
    #: the sheet's table; None for a packet
    table: str | None = None
    #: the sheet's country when it has no country column
    country: str | None = None


@dataclass(frozen=True)
class ImportCheck:
    """The plan of a valid import, or every problem that stops it."""

    plan: Any = None
    problems: tuple = ()
    #: a packet's origin: 'exported by j.smith on …', 'edited after export; exported by …'
    provenance: str = ""


#: what the CLI's messages say with its options, and the same in the app's own controls
IN_APP_WORDS = (
    ("consider --redact personal",
     "consider the redacted variant (tick “Leave personal data out” on the Visit tab or in "
     "Build → Build options)"),
    ("--final is for a visit's briefs or pack",
     "“Final copy” (Build → Build options) is for a visit's briefs or pack"),
)


def in_app_words(text: str) -> str:
    """A message written for the command line, with the app's controls named instead of
    the CLI's options."""
    for cli, app in IN_APP_WORDS:
        text = text.replace(cli, app)
    return text


def check_import(store_path: Path, source: ImportSource) -> ImportCheck:
    """Read, validate and compare with the store (run in a worker); messages in the app's
    words."""
    from ..errors import DataError
    from ..store.csv_import import plan_csv
    from ..store.packets import plan_import, read_packet

    provenance = ""
    with open_store(store_path) as store:
        try:
            if source.table is not None:
                plan = plan_csv(store, source.path, source.table, country=source.country)
            else:
                packet = read_packet(source.path)
                provenance = packet.provenance()
                plan = plan_import(store, packet)
        except DataError as exc:
            return ImportCheck(problems=tuple(
                dataclasses.replace(p, message=in_app_words(p.message)) for p in exc.problems))
    plan.warnings[:] = [in_app_words(w) for w in plan.warnings]
    return ImportCheck(plan=plan, provenance=provenance)


def import_steps(store_path: Path, plan: Any, choices: dict[str, str], *,
                 user: str) -> Iterator[Progress]:
    """Back up the store and apply a checked plan, as the Progress steps the CLI shows too
    (iterated in a worker, where the store is opened). Stopping between steps (Cancel)
    rolls every write back; the last step's result is the ImportSummary."""
    from ..store.diff import apply_steps

    with open_store(store_path) as store:
        yield from apply_steps(store, plan, choices, user=user or None)


# -- which store this is ---------------------------------------------------------------------

TRAINING, LIVE = "training", "live"


def store_kind(store: Store) -> str:
    """TRAINING while the store holds the shipped sample data (seeded, and refreshed only
    from its own packets, edited or not: training exercises); LIVE once country data from
    elsewhere has been imported (another store's packet, a sheet), or if never seeded."""
    from ..store import OWN_PACKET

    seeded = any(e["action"] == "seed" for e in store.audit_log(table="countries",
                                                                record_id="*", limit=5))
    if not seeded:
        return LIVE
    imported = store.audit_log(table="countries", limit=None)
    return LIVE if any(e["action"] == "import" and not str(e["note"] or "").startswith(
        OWN_PACKET + " ") for e in imported) else TRAINING


def build_warnings(result: Any) -> tuple[str, ...]:
    """What a finished build warns about (e.g. much personal data), in the app's words."""
    return tuple(in_app_words(w) for w in getattr(result, "warnings", ()) or ())


# -- what the CLI does, for the app's Data menu ----------------------------------------------


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    made: dt.datetime
    size_kb: int


def backups(store_path: Path) -> list[BackupInfo]:
    """The store's backups, newest first."""
    from ..store.backups import list_backups

    out = []
    for path in list_backups(store_path):
        stat = path.stat()
        out.append(BackupInfo(path, dt.datetime.fromtimestamp(stat.st_mtime),
                              round(stat.st_size / 1024)))
    return out


def back_up_now(store_path: Path) -> Path:
    """A backup made on request (run in a worker)."""
    from ..store.backups import backup_file

    return backup_file(store_path, reason="made in the app")


def restore_backup(store_path: Path, name: str, *, user: str) -> Path:
    """Put a backup back (run in a worker); returns the safety backup of the store as it was."""
    from ..store.backups import restore

    with open_store(store_path) as store:
        return restore(store, name, user=user or None)


def export_packet(store_path: Path, code: str, target: Path, *, user: str) -> Path:
    """Write a country's data packet for a defence section (run in a worker)."""
    from ..store.packets import write_packet

    with open_store(store_path) as store:
        return write_packet(store, code, target, user=user or None)


def history(store: Store, code: str, since: str | None = None) -> list[dict]:
    """The audit log of one country, oldest first, as the CLI's ``history`` lists it."""
    return [{"at": e["at"], "user": e["user"], "action": e["action"],
             "table": e["table_name"], "record": e["record_id"], "field": e["field"] or "",
             "before": e["before"] or "", "after": e["after"] or "", "note": e["note"] or ""}
            for e in store.history(code, since=since)]


def review_due(store: Store, today: dt.date | None = None) -> list[dict]:
    """Personal records past their review date (or with none set)."""
    today = today or dt.date.today()
    return [{"table": "alumni" if isinstance(r, model.Alumnus) else "interlocutors",
             "id": r.id, "country": r.country, "name": r.name,
             "review_date": r.review_date.isoformat() if r.review_date else "never set"}
            for r in store.personal_records_due(today)]


def rank_all(store_path: Path, priorities_path: Path | None = None) -> list[Any]:
    """Every country's scorecard, best first; insufficient data apart (run in a worker)."""
    from ..scoring import rank

    with open_store(store_path) as store:
        files = store.country_files()
    return rank(files, load_priorities(priorities_path))


def plan_all(store_path: Path, priorities_path: Path | None = None,
             today: dt.date | None = None) -> Any:
    """Where to go next across every country (run in a worker)."""
    from ..planning import plan

    with open_store(store_path) as store:
        files = store.country_files()
    return plan(files, load_priorities(priorities_path), today=today)


def completeness(store: Store, code: str) -> dict[str, dt.date]:
    """The country's sections declared complete, and as of when."""
    return store.completeness(code)


def declare_complete(store: Store, code: str, values: dict[str, dt.date | None], *,
                     user: str) -> dict[str, dt.date]:
    """Declare (or withdraw) sections of a country complete as of a date, each audited."""
    declared: dict[str, dt.date] = store.completeness(code)
    with store.transaction():
        for section, as_of in values.items():
            if declared.get(section) != as_of:
                declared = store.declare_complete(code, section, as_of, user=user or None)
    return declared


def set_country_marking(store: Store, code: str, text: str, *, user: str) -> model.Country:
    """Set a country record's own protective marking (audited as 'mark')."""
    from .. import marking

    country = store.country(code)
    value = marking.normalise(text)
    return store.save(dataclasses.replace(country, marking=value), user=user or None,
                      action="mark")


def set_judgements(store: Store, code: str, values: dict[str, Any], *,
                   user: str, loaded: model.Country | None = None) -> model.Country:
    """Set a country's judgements (priority tier, defence section), audited as 'judge'.

    With ``loaded`` (the country as the dialog showed it), only the judgements changed
    from it are set, each checked against the store: one changed elsewhere meanwhile is
    not overwritten (``ChangedElsewhere`` names it; nothing is set)."""
    if loaded is None:
        return store.set_judgement(code, user=user or None, **values)
    changed = {k: v for k, v in values.items() if getattr(loaded, k) != v}
    if not changed:
        return store.country(code)
    with store.transaction():
        now = store.country(code)
        clashes = [k for k in changed if getattr(now, k) != getattr(loaded, k)]
        if clashes:
            raise ChangedElsewhere(
                f"{now.name}'s " + " and ".join(k.replace("_", " ") for k in clashes)
                + " changed in the store since you opened it (now "
                + ", ".join(f"{k.replace('_', ' ')} {getattr(now, k)}" for k in clashes)
                + "); nothing was set: look again and choose")
        return store.set_judgement(code, user=user or None, **changed)


# -- saving: change sets ----------------------------------------------------------------------
#
# The window never writes back whole records it loaded: each save is a change set (the
# fields changed, each with its value as loaded), checked against the store in the write
# transaction (store/changes.py). A field changed elsewhere meanwhile comes back as a
# conflict for the user to settle; everything else is saved.

#: a conflict settled by the user: "mine" keeps the value typed here, "theirs" the store's
KEEP_MINE, TAKE_THEIRS = "mine", "theirs"


def record_changes(pairs: Iterable[tuple[Any, Any]]) -> list[RecordEdit]:
    """The change set of (record as loaded, record as it is now) pairs: None as loaded for
    a new record, None as now for one deleted; unchanged records left out."""
    return [edit for loaded, now in pairs if (edit := record_edit(loaded, now)) is not None]


def visit_changes(loaded: model.Visit | None, visit: model.Visit) -> list[RecordEdit]:
    """The change set of a visit as edited, against the visit as it was loaded from the
    store (None, or a visit without an id: a new visit, saved whole)."""
    if loaded is None or loaded.id is None or visit.id != loaded.id:
        return [RecordEdit("visits", None, record=dataclasses.replace(visit, id=None))]
    return record_changes([(loaded, visit)])


def save_changes(store: Store, changes: list[RecordEdit], *, user: str) -> ChangeResult:
    """Apply a change set in one transaction; the result names every conflict left."""
    return apply_changes(store, changes, user=user or None)


def settled(conflicts: Iterable[Conflict], choices: dict[str, str]) -> list[RecordEdit]:
    """The change set that carries out the user's choices (``Conflict.conflict_key`` ->
    "mine" or "theirs"): keep mine sends the field again with the store's value as the
    value loaded, so a further change elsewhere is caught again; take theirs sends nothing.
    A record deleted elsewhere and kept is added again; one deleted here but changed
    elsewhere is deleted if mine is kept."""
    out: list[RecordEdit] = []
    for conflict in conflicts:
        if choices.get(conflict.conflict_key) != KEEP_MINE:
            continue
        if conflict.kind == "changed":
            out.append(RecordEdit(conflict.table, conflict.key,
                                  (FieldEdit(conflict.field, conflict.theirs, conflict.mine),)))
        elif conflict.kind == "deleted" and conflict.mine is not None:
            record = conflict.mine
            if hasattr(record, "id"):
                record = dataclasses.replace(record, id=None)
            out.append(RecordEdit(conflict.table, None, record=record))
        elif conflict.kind == "removed":
            out.append(RecordEdit(conflict.table, conflict.key, loaded=conflict.theirs,
                                  delete=True))
    return out


# -- visits kept in the store -------------------------------------------------------------------


def duplicate_visit(store: Store, visit_id: int, *, user: str) -> model.Visit:
    """A copy of a saved visit, titled as a copy (audited as a new visit)."""
    visit = store.visit(visit_id)
    copy = dataclasses.replace(visit, id=None, title=f"{visit.title} (copy)", final=False)
    return store.save_visit(copy, user=user or None)


def rename_visit(store: Store, visit_id: int, title: str, *, user: str) -> model.Visit:
    title = title.strip()
    if not title:
        from ..errors import BriefpackError

        raise BriefpackError("a visit needs a title")
    return store.save_visit(dataclasses.replace(store.visit(visit_id), title=title),
                            user=user or None)


def delete_visit(store: Store, visit_id: int, *, user: str) -> None:
    store.visit(visit_id)  # a clear error if it has gone
    store.delete("visits", visit_id, user=user or None)


# -- files dropped on the window ------------------------------------------------------------------

PACKET, VISIT_FILE, SHEET = "packet", "visit", "sheet"


def dropped_file_kind(path: Path) -> str | None:
    """What a dropped file is: a country packet, a visit file, a CSV sheet, or None."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return SHEET
    if suffix not in (".yaml", ".yml", ".json") or not path.is_file():
        return None
    if suffix == ".json":  # only packets are written as JSON; the import names any problem
        return PACKET
    try:
        paths.check_input(path)  # never the store as a plain file, never a FIFO
    except paths.PathRefused:
        return None
    with path.open(encoding="utf-8", errors="replace") as handle:
        head = handle.read(4096)
    # packets open with their header (packet: briefpack-country-packet, schema, country …)
    if any(line.startswith("packet:") for line in head.splitlines()):
        return PACKET
    return VISIT_FILE


#: the export dialog's file types: YAML to read and edit, JSON for large packets
PACKET_FILTERS = ("YAML packet (*.yaml)", "JSON packet (*.json)")


def packet_path(name: Path, chosen_filter: str) -> Path:
    """Where to export a packet: ``name`` if it ends in .yaml, .yml or .json, else ``name``
    with the suffix of the file type chosen in the dialog (so the form is the one chosen)."""
    if name.suffix.lower() in (".yaml", ".yml", ".json"):
        return name
    suffix = ".json" if "*.json" in chosen_filter else ".yaml"
    return name.with_name(name.name + suffix)


def apply_readout(store_path: Path, visit: model.Visit, *, user: str) -> Any:
    """Write a visit's readout into the store after a backup (run in a worker)."""
    from ..readout import apply_readout as apply

    with open_store(store_path) as store:
        return apply(store, visit, user=user or None)


# -- the window's own store: what the GUI thread reads and writes ---------------------------


def open_window_store(path: Path) -> Store:
    """The store a window works on (it must exist)."""
    return Store.open(path, create=False)


def countries(store: Store) -> list[model.Country]:
    return store.countries()


def country_file(store: Store, code: str) -> model.CountryFile:
    """One country with its records, as the store has it now."""
    return store.country_file(code)


def visits(store: Store) -> list[model.Visit]:
    return store.visits()


def visit(store: Store, visit_id: int) -> model.Visit:
    return store.visit(visit_id)


def people(store: Store, codes: tuple[str, ...]) -> list[model.Interlocutor]:
    """The interlocutors of the visit's countries (whom a visit may meet)."""
    found: list[model.Interlocutor] = []
    for code in codes:
        found += store.records("interlocutors", code)
    return found


def store_people(store: Store, visit: model.Visit, *, user: str) -> model.Visit:
    """Store the people a visit file names as interlocutor records; the visit naming them."""
    return store.store_people(visit, user=user)


def load_visit(path: Path, store: Store, objective_keys: list[str] | None) -> model.Visit:
    """A visit file read and checked against the store (countries, people, objectives)."""
    from ..visits import load_visit as load

    return load(path, store, objective_keys=objective_keys)


def dump_visit(visit: model.Visit, store: Store) -> str:
    from ..visits import dump_visit as dump

    return dump(visit, store)

"""The local store: one SQLite file, opened through sqlite-utils.

Every write goes through here and leaves an audit entry naming who made it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import getpass
import os
import shutil
import sqlite3
import stat
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlite_utils

from .. import filesystems, marking, model, paths
from ..coercion import Refused, field_value
from ..model import SectionCurrency
from ..errors import NotInStore, StoreError, StoreFileError, UnknownCountry
from ..textsafe import clean_fields
from .migrations import known_names, migrations
from .rows import TABLE_OF, from_row, to_row

def current_user() -> str:
    """Who is making changes: BRIEFPACK_USER, else the login name."""
    try:
        return os.environ.get("BRIEFPACK_USER") or getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, e.g. in a bare container
        return "unknown"


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


class Store:
    """A briefpack store. Build with ``Store.open(path)`` or ``Store.memory()``."""

    def __init__(self, db: sqlite_utils.Database, path: Path | None = None):
        self.db = db
        self.path = path
        #: opened read-only (the file, its folder or its medium cannot be written)
        self.read_only = False
        self._refusals: list[tuple] = []
        #: noted in ``paths`` as a store this process uses (so no path a user chooses is it)
        self._in_use = False

    # -- opening -------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str, *, create: bool = True, seed: bool = True) -> Store:
        """Open the store at ``path``; create (and fill from data/) if absent and allowed.

        A store that cannot be written (read-only file, folder or medium) opens read-only:
        reading works, and any change is refused with a clear error.
        """
        path = Path(path)
        fresh = _is_fresh(path)
        if fresh and not create:
            raise NotInStore(f"{path}: no store here; create one with "
                             f"'briefpack --db {path} init'")
        if fresh:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreFileError(f"{path}: cannot create the store: {exc.strerror}") from None
        read_only = not fresh and not _writable(path)
        conn = _connect(path, read_only)
        try:
            # no sqlite-utils plugins: nothing installed beside briefpack hooks into its store
            db = sqlite_utils.Database(conn, execute_plugins=False)
        except sqlite3.Error as exc:
            conn.close()
            raise failure(path, exc) from None
        store = cls(db, path)
        store.read_only = read_only
        try:
            require_database(db.conn, path)
            if not fresh:  # nothing (not even WAL mode) changes a file not known to be ours
                require_briefpack(db.conn, path)
            if not read_only:
                # WAL's shared memory does not work over a network file system (SQLite's
                # documentation): there the rollback journal, which locks the file itself
                db.execute("PRAGMA journal_mode="
                           + ("delete" if filesystems.on_network(path) else "wal"))
            store._prepare()
        except sqlite3.Error as exc:
            db.close()
            raise failure(path, exc) from None
        except BaseException:
            db.close()
            raise
        paths.use_store(path)  # never read or written as a plain file while open here
        store._in_use = True
        if fresh and seed:
            try:
                store.seed(only_if_empty=True)
            except BaseException:
                store.close()
                raise
        return store

    @classmethod
    def memory(cls, *, seed: bool = False) -> Store:
        """An in-memory store (tests, benchmarks)."""
        store = cls(sqlite_utils.Database(memory=True, execute_plugins=False))
        store._prepare()
        if seed:
            store.seed()
        return store

    def _prepare(self) -> None:
        self.db.execute("PRAGMA foreign_keys=ON")
        applied = {m.name for m in migrations.applied(self.db)}
        newer = applied - known_names()
        if newer:
            where = self.path or "the store"
            raise StoreError(
                f"{where} was made by a newer version of briefpack (schema "
                f"{', '.join(sorted(newer))}); upgrade briefpack to open it"
            )
        if not applied and self.db.table_names() and "countries" not in self.db.table_names():
            raise NotInStore(f"{self.path}: this SQLite file is not a briefpack store")
        if self.read_only:
            if migrations.pending(self.db):
                raise StoreError(f"{self.path}: this store was made by an older briefpack and "
                                 "must be upgraded, but it is read-only; open it once with "
                                 "write access")
            return
        migrations.apply(self.db)

    def seed(self, data_dir: Path | None = None, *, only_if_empty: bool = False) -> None:
        """Fill the store from the sample data in ``data/`` (all or nothing); with
        ``only_if_empty``, not if another process filled it first (two first uses at once)."""
        from .seed import load_sample

        sample = load_sample(data_dir)
        with self.transaction():
            if only_if_empty and self.db.execute("SELECT 1 FROM countries LIMIT 1").fetchone():
                return
            for country_file in sample.countries:
                self._insert_country_file(
                    country_file, sample.alumni_links.get(country_file.country.code, {}))
            for figure in sample.figures:
                self.db.table("national_figures").insert(to_row(figure), replace=True)
            self.audit("seed", "countries", "*", note=f"sample data from {sample.source}")
            # the sample's currency is its source's date, not today (data/sample.yaml)
            at = sample.as_of.isoformat() if sample.as_of else None
            for country_file in sample.countries:
                self.mark_refreshed(country_file.country.code, SECTIONS,
                                    user=sample.refreshed_by(), at=at)

    def _insert_country_file(self, cf: model.CountryFile,
                             alumni_links: dict[int, str] | None = None) -> None:
        """Insert a country and its records; interlocutors link to alumni by name."""
        stamp = {"updated_at": cf.country.updated_at or now(),
                 "updated_by": cf.country.updated_by or "sample data"}
        country = dataclasses.replace(cf.country, updated_at=stamp["updated_at"],
                                      updated_by=stamp["updated_by"])
        self.db.table("countries").insert(to_row(country), replace=True)
        alumni_ids: dict[str, Any] = {}
        for table, spec in model.TABLES.items():
            for index, rec in enumerate(spec.records(cf)):
                rec = dataclasses.replace(rec, **{k: getattr(rec, k) or v
                                                  for k, v in stamp.items()})
                link = (alumni_links or {}).get(index)
                if table == "interlocutors" and link in alumni_ids:
                    rec = dataclasses.replace(rec, alumnus_id=alumni_ids[link])
                row = to_row(rec)
                if row.get("id") is None:
                    row.pop("id")
                new_id = self.db.table(table).insert(row).last_pk
                if table == "alumni":
                    alumni_ids[rec.name] = new_id

    def close(self) -> None:
        self.db.close()
        if self._in_use and self.path is not None:
            self._in_use = False
            paths.done_with_store(self.path)

    # -- transactions and audit ---------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside happen together or not at all."""
        conn = self.db.conn
        if conn.in_transaction:
            yield
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:  # read-only, or busy past the timeout
            raise failure(self.path, exc) from None
        try:
            yield
        except sqlite3.IntegrityError:
            self._roll_back()
            raise  # the caller knows which records broke which rule
        except sqlite3.Error as exc:
            self._roll_back()
            raise failure(self.path, exc) from None
        except BaseException:
            self._roll_back()
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._roll_back()
            raise failure(self.path, exc) from None

    def _roll_back(self) -> None:
        if self.db.conn.in_transaction:  # SQLite has already rolled back after a full disk
            self.db.conn.execute("ROLLBACK")

    def audit(self, action: str, table: str, record_id: Any, *, field: str = "",
              before: Any = None, after: Any = None, note: str = "",
              user: str | None = None, country: str | None = None) -> None:
        """Record one change (or refusal); ``country`` is found from the record if not given."""
        if country is None:
            country = self._country_of(table, record_id, before)
        self.db.table("audit").insert({
            "at": now(), "user": user or current_user(), "action": action,
            "table_name": table, "record_id": str(record_id), "field": field,
            "before": None if before is None else str(before),
            "after": None if after is None else str(after), "note": note,
            "country": country,
        })

    def audit_many(self, entries: list[dict], *, user: str | None = None) -> None:
        """Record many audit entries at once (bulk imports): each dict names action, table,
        record_id, country and optionally field, before, after and note."""
        at, who = now(), user or current_user()
        self.db.conn.executemany(
            "INSERT INTO audit (at, user, action, table_name, record_id, field, before, after,"
            " note, country) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(at, who, e["action"], e["table"], str(e["record_id"]), e.get("field", ""),
              None if e.get("before") is None else str(e["before"]),
              None if e.get("after") is None else str(e["after"]),
              e.get("note", ""), e.get("country")) for e in entries])

    def _country_of(self, table: str, record_id: Any, before: Any) -> str | None:
        if table == "countries":
            return None if record_id == "*" else str(record_id)
        if isinstance(before, dict) and before.get("country"):
            return before["country"]
        if table in model.TABLES:
            row = self.db.execute(f"SELECT country FROM [{table}] WHERE id = ?",
                                  [record_id]).fetchone()
            return row[0] if row else None
        return None

    def audit_log(self, *, table: str | None = None, record_id: Any = None,
                  since: str | None = None, limit: int | None = None,
                  country: str | None = None) -> list[dict]:
        where, args = [], []
        if country:
            where.append("country = ?")
            args.append(country.upper())
        if table:
            where.append("table_name = ?")
            args.append(table)
        if record_id is not None:
            where.append("record_id = ?")
            args.append(str(record_id))
        if since:
            where.append("at >= ?")
            args.append(since)
        return list(self.db.table("audit").rows_where(" and ".join(where) or None, args,
                                                 order_by="id", limit=limit))

    # -- countries ------------------------------------------------------------

    def countries(self, region: str | None = None) -> list[model.Country]:
        where, args = (("region = ?", [region]) if region else (None, []))
        return [from_row(model.Country, r)
                for r in self.db.table("countries").rows_where(where, args, order_by="name")]

    def country(self, code: str) -> model.Country:
        try:
            return from_row(model.Country, self.db.table("countries").get(code.upper()))
        except sqlite_utils.db.NotFoundError:
            raise UnknownCountry(code, self._suggest(code)) from None

    def resolve_country(self, text: str) -> model.Country:
        """A country by name, alpha-2 or alpha-3 code, any case."""
        wanted = text.strip().casefold()
        for c in self.countries():
            if wanted in (c.code.casefold(), c.alpha2.casefold(), c.name.casefold()):
                return c
        import pycountry

        try:
            hit = pycountry.countries.lookup(text.strip())
            return self.country(hit.alpha_3)
        except (LookupError, UnknownCountry):
            pass
        raise UnknownCountry(text, self._suggest(text))

    def _suggest(self, text: str) -> list[str]:
        names = {c.name: c.code for c in self.countries()}
        folded = {n.casefold(): n for n in names}
        close = difflib.get_close_matches(text.casefold(), list(folded), n=3, cutoff=0.6)
        prefix = [n for f, n in folded.items() if f.startswith(text.casefold()[:3])]
        picks = list(dict.fromkeys([folded[c] for c in close] + sorted(prefix)))[:5]
        return [f"{n} ({names[n]})" for n in picks]

    def country_file(self, code: str) -> model.CountryFile:
        country = self.country(code)
        country_file = model.CountryFile(country=country, complete=self.completeness(code))
        for table, spec in model.TABLES.items():
            spec.records(country_file).extend(self.records(table, country.code))
        return country_file

    def country_files(self) -> list[model.CountryFile]:
        """Every country with its records, read in one pass per table."""
        by_code = {c.code: model.CountryFile(country=c) for c in self.countries()}
        for table, spec in model.TABLES.items():
            for row in self.db.table(table).rows_where(order_by="id"):
                spec.records(by_code[row["country"]]).append(from_row(spec.record, row))
        for row in self.db.table("completeness").rows:
            by_code[row["country"]].complete[row["section"]] = \
                dt.date.fromisoformat(row["as_of"])
        return list(by_code.values())

    # -- sections declared complete ---------------------------------------------

    def completeness(self, code: str) -> dict[str, dt.date]:
        """The sections of a country its data's owner declared complete, and as of when."""
        rows = self.db.table("completeness").rows_where(
            "country = ?", [code.upper()], order_by="section")
        return {r["section"]: dt.date.fromisoformat(r["as_of"]) for r in rows}

    def declare_complete(self, code: str, section: str, as_of: dt.date | None, *,
                         user: str | None = None) -> dict[str, dt.date]:
        """Declare a section of a country complete as of a date (``None``: withdraw the
        declaration), audited as "complete". Returns the country's declarations."""
        code = self.country(code).code
        if section not in model.COMPLETE_SECTIONS:
            raise StoreError(f"unknown section {section!r}; expected one of: "
                             + ", ".join(model.COMPLETE_SECTIONS))
        before = self.completeness(code).get(section)
        if before == as_of:
            return self.completeness(code)
        user = user or current_user()
        key = f"{code}:{section}"
        with self.transaction():
            table = self.db.table("completeness")
            if as_of is None:
                table.delete_where("country = ? AND section = ?", [code, section])
            else:
                table.insert({"country": code, "section": section,
                              "as_of": as_of.isoformat(), "declared_by": user,
                              "declared_at": now()}, replace=True)
            self.audit("complete", "completeness", key, field="as_of",
                       before=before.isoformat() if before else None,
                       after=as_of.isoformat() if as_of else None, user=user, country=code,
                       note=f"{section} declared complete" if as_of else
                       f"{section} no longer declared complete")
        return self.completeness(code)

    # -- records ----------------------------------------------------------------

    def records(self, table: str, country: str | None = None) -> list[Any]:
        cls = _record_class(table)
        where, args = (("country = ?", [country.upper()]) if country else (None, []))
        rows = self.db.table(table).rows_where(where, args, order_by="id")
        return [from_row(cls, r) for r in rows]

    def get(self, table: str, record_id: Any) -> Any:
        cls = _record_class(table)
        try:
            return from_row(cls, self.db.table(table).get(record_id))
        except sqlite_utils.db.NotFoundError:
            raise NotInStore(f"no record {record_id} in {table}") from None

    def save(self, record: Any, *, user: str | None = None, action: str = "edit") -> Any:
        """Insert or update one record, auditing each changed field. Returns the saved record."""
        table = TABLE_OF[type(record)]
        user = user or current_user()
        pk = _pk(table)
        try:
            return self._save(record, table, pk, user, action)
        finally:
            if self._refusals and not self.db.conn.in_transaction:
                self._flush_refusals()

    def set_judgement(self, code: str, *, user: str | None = None,
                      **values: Any) -> model.Country:
        """Set the user's judgements of a country (``model.JUDGEMENTS``: priority_tier 1-4
        or None for "not set", defence_section), each change audited as "judge"."""
        country = self.country(code)
        for name, value in values.items():
            if name not in model.JUDGEMENTS:
                raise NotInStore(f"{name!r} is not a judgement; expected one of: "
                                 + ", ".join(model.JUDGEMENTS))
            try:  # the rules every input of the field follows (a tier may be None: not set)
                values[name] = field_value(model.Country, name, value)
            except Refused as exc:
                raise StoreError(f"{name.replace('_', ' ')} for {country.name}: {exc}") \
                    from None
        return self.save(dataclasses.replace(country, **values), user=user, action="judge")

    def _save(self, record: Any, table: str, pk: str, user: str, action: str) -> Any:
        with self.transaction():
            key = getattr(record, pk)
            before = None
            if key is not None:
                try:
                    before = self.db.table(table).get(key)
                except sqlite_utils.db.NotFoundError:
                    before = None
            stamped = clean_fields(dataclasses.replace(record, updated_at=now(),
                                                       updated_by=user))
            if hasattr(record, "marking"):
                stamped = dataclasses.replace(
                    stamped, marking=self._checked_marking(table, key, before, record, user))
            row = to_row(stamped)
            if before is None:
                if row.get(pk) is None:
                    row.pop(pk)
                inserted = self.db.table(table).insert(row)
                key = row[pk] if pk in row else inserted.last_pk
                self.audit("insert", table, key, user=user)
            else:
                changed = {k: v for k, v in row.items()
                           if k not in ("updated_at", "updated_by") and before.get(k) != v}
                if not changed:
                    return self._reload(table, key)
                self.db.table(table).update(key, row)
                for name, value in changed.items():
                    self.audit(action, table, key, field=name, before=before.get(name),
                               after=value, user=user)
        return self._reload(table, key)

    def _check_readd(self, table: str, record: Any, user: str) -> None:
        """An added record (the app's Add) may not repeat, at a lower marking, one held or
        deleted under the same name in any table or country: the rule imports follow."""
        if table not in model.TABLES:
            return
        from . import readds

        other = readds.lowering_elsewhere(table, record.country, record,
                                          readds.held_elsewhere(self))
        if other is None:
            return
        message = (f"{record.marking!r} would lower the marking of {other.table} record "
                   f"{other.id} {other.name!r} ({other.marking!r}"
                   + (", deleted" if other.deleted else "")
                   + "), which this record repeats: removing a record and adding it again "
                   "can never lower its marking")
        self._refusals.append((other.table, other.id, other.marking, record.marking, message,
                               user))
        raise marking.MarkingError(message)

    def _reload(self, table: str, key: Any) -> Any:
        loaders: dict[str, Callable[[Any], Any]] = {"visits": self.visit,
                                                    "countries": self.country}
        if table in loaders:
            return loaders[table](key)
        if table == "national_figures":
            return from_row(model.NationalFigure, self.db.table(table).get(key))
        return self.get(table, key)

    def _checked_marking(self, table: str, key: Any, before: dict | None, record: Any,
                         user: str) -> str:
        """The record's marking, normalised; lowering an imported marking is refused."""
        level = marking.parse(record.marking)
        if model.is_personal_table(table):
            level = marking.with_descriptor(level, "PERSONAL DATA")
        new = str(level)
        if before is None:
            self._check_readd(table, dataclasses.replace(record, marking=new), user)
            return new
        imported = before.get("origin") == "import"
        try:
            marking.check_change(before["marking"], new, imported=imported)
        except marking.MarkingError as exc:
            # the refusal is itself audited, outside the rolled-back transaction below
            self._refusals.append((table, key, before["marking"], new, str(exc), user))
            raise
        return new

    def _flush_refusals(self) -> None:
        while self._refusals:
            table, key, old, new, why, user = self._refusals.pop(0)
            self.audit("refused", table, key, field="marking", before=old, after=new,
                       note=why, user=user)

    def delete(self, table: str, record_id: Any, *, user: str | None = None) -> None:
        with self.transaction():
            before = self.db.table(table).get(record_id)
            self.db.table(table).delete(record_id)
            if table in READOUT_TABLES:
                from .readout_links import forget_record

                forget_record(self, table, record_id)
            self.audit("delete", table, record_id, before=before, user=user)

    def personal_records_due(self, today: dt.date) -> list[Any]:
        """Alumni and interlocutors whose review date has passed or was never set."""
        due = []
        for spec in (s for s in model.TABLES.values() if s.personal):
            rows = self.db.table(spec.name).rows_where("review_date is null or review_date = '' "
                                             "or review_date < ?", [today.isoformat()],
                                             order_by="review_date, country, id")
            due += [from_row(spec.record, r) for r in rows]
        return due

    def national_figures(self) -> list[model.NationalFigure]:
        return [from_row(model.NationalFigure, r)
                for r in self.db.table("national_figures").rows_where(order_by="rowid")]

    # -- visits -----------------------------------------------------------------

    def visits(self) -> list[model.Visit]:
        return [from_row(model.Visit, r)
                for r in self.db.table("visits").rows_where(order_by="start desc, id desc")]

    def visit(self, visit_id: int) -> model.Visit:
        try:
            return from_row(model.Visit, self.db.table("visits").get(visit_id))
        except sqlite_utils.db.NotFoundError:
            raise NotInStore(f"no visit {visit_id} in the store") from None

    def save_visit(self, visit: model.Visit, *, user: str | None = None) -> model.Visit:
        """Save a visit; the people its file wrote are stored as interlocutors first."""
        with self.transaction():
            return self.save(self.store_people(visit, user=user), user=user)

    def store_people(self, visit: model.Visit, *, user: str | None = None) -> model.Visit:
        """Store the people the visit file wrote as interlocutor records (updating the
        country's record of the same name: what the file gives replaces what is held, and
        the marking is never lowered); the visit, naming them by their stored ids."""
        if not visit.people:
            return visit
        ids: dict[int, int] = {}
        with self.transaction():
            for i, person in enumerate(visit.people):
                record = person.interlocutor()
                same = [r for r in self.records("interlocutors", person.country)
                        if r.name.casefold() == person.name.casefold()]
                if same:
                    kept = same[0]
                    given = {k: v for k, v in dataclasses.asdict(record).items()
                             if k in ("role", "biography", "pronunciation", "languages",
                                      "review_date", "source") and v not in ("", None)}
                    record = dataclasses.replace(
                        kept, **given,
                        marking=str(marking.combine(kept.marking, record.marking)))
                ids[model.visit_person_id(i)] = self.save(record, user=user).id
        return visit.with_people_stored(ids)

    # -- revisions and data currency ------------------------------------------------

    def revision(self) -> int:
        """The store's revision: it grows with every audited change (the last audit id)."""
        return self.db.execute("SELECT COALESCE(MAX(id), 0) FROM audit").fetchone()[0]

    def store_id(self) -> str:
        """Names this store's lineage; a restore starts a new one (revisions may repeat)."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'store_id'").fetchone()
        return row[0] if row else ""

    def new_store_id(self) -> str:
        value = uuid.uuid4().hex
        self.db.table("meta").insert({"key": "store_id", "value": value}, replace=True)
        return value

    def changed_since(self, revision: int, country: str | None = None) -> set[tuple[str, str]]:
        """(table, record id) of every record changed (or added or deleted) after ``revision``."""
        skip = ", ".join("?" * len(UNCHANGING_ACTIONS))
        sql = (f"SELECT DISTINCT table_name, record_id FROM audit WHERE id > ? "
               f"AND action NOT IN ({skip})")
        args: list[Any] = [revision, *UNCHANGING_ACTIONS]
        if country:
            sql += " AND country = ?"
            args.append(country.upper())
        return {(t, r) for t, r in self.db.execute(sql, args).fetchall()}

    def mark_refreshed(self, code: str, sections: Iterable[str], *, user: str | None = None,
                       at: str | None = None, newer_only: bool = False) -> None:
        """Record that these sections of a country were refreshed, as of ``at`` (their
        source's date; default now). ``newer_only`` (imports, readouts): a section keeps
        the newest date it has had, so an older source never makes it look older."""
        revision, at, user = self.revision(), at or now(), user or current_user()
        new = _parse_time(at)
        held = {r["section"]: _parse_time(r["refreshed_at"]) for r in
                self.db.table("refreshes").rows_where("country = ?", [code.upper()])}
        newer = []
        for section in sections:
            old = held.get(section)
            if not newer_only or old is None or new is None or old <= new:
                newer.append(section)
        self.db.table("refreshes").insert_all(
            [{"country": code.upper(), "section": s, "refreshed_at": at, "refreshed_by": user,
              "revision": revision} for s in newer], replace=True)

    def stale_after_days(self) -> int:
        """Sections refreshed longer ago than this are stale (meta ``stale_after_days``)."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'stale_after_days'").fetchone()
        return int(row[0]) if row and str(row[0]).isdigit() else model.STALE_AFTER_DAYS

    def set_stale_after_days(self, days: int) -> None:
        if days < 1:
            raise StoreError("the age after which data is stale must be at least 1 day")
        self.db.table("meta").insert({"key": "stale_after_days", "value": str(days)}, replace=True)

    def currency(self, code: str, *, max_age_days: int | None = None,
                 at: dt.datetime | None = None) -> list[SectionCurrency]:
        """When each section of a country was last refreshed and by whom, and if it is stale."""
        code = self.country(code).code
        limit = max_age_days or self.stale_after_days()
        at = at or dt.datetime.now(dt.UTC)
        rows = {r["section"]: r
                for r in self.db.table("refreshes").rows_where("country = ?", [code])}
        out = []
        for section in SECTIONS:
            row = rows.get(section) or {}
            when = _parse_time(row.get("refreshed_at"))
            age = (at - when).days if when else None
            out.append(SectionCurrency(section, when, row.get("refreshed_by") or "",
                                       age, age is None or age > limit))
        return out

    def history(self, code: str, *, since: str | None = None) -> list[dict]:
        """Every audit entry about a country and its records (and store-wide events such as
        a restore), oldest first."""
        where, args = "(country = ? OR table_name = '*')", [self.country(code).code]
        if since:
            where += " AND at >= ?"
            args.append(since)
        return list(self.db.table("audit").rows_where(where, args, order_by="id"))

    # -- backups ------------------------------------------------------------------

    def backup_to(self, dest: Path | str) -> Path:
        """Copy the whole store to ``dest`` with SQLite's online backup API."""
        dest = Path(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(dest)
        try:
            self.db.conn.backup(target)
        finally:
            target.close()
        return dest


#: tables whose records a readout writes (and links to its visit: store/readout_links.py)
READOUT_TABLES = ("engagements", "actions")

#: what ``currency`` reports on: the country's own record, then each of its tables
SECTIONS = ("country", *model.TABLES)

#: audit actions that change no record (so never make an import conflict)
UNCHANGING_ACTIONS = ("refused", "seed", "export", "import", "warning", "restore", "init")


def _parse_time(text: str | None) -> dt.datetime | None:
    try:
        when = dt.datetime.fromisoformat(text) if text else None
    except ValueError:
        return None
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when


def _record_class(table: str) -> type:
    if table in model.TABLES:
        return model.TABLES[table].record
    raise NotInStore(f"unknown table {table!r}; expected one of: " + ", ".join(model.TABLES))


def _pk(table: str) -> str:
    return {"countries": "code", "national_figures": "key"}.get(table, "id")


#: how long a write waits for another process's write to finish before giving up
BUSY_TIMEOUT_SECONDS = 30.0


def _is_fresh(path: Path) -> bool:
    """True if there is no store at ``path`` yet; refuses what can never be a store."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return True
    except OSError as exc:
        raise StoreFileError(f"{path}: cannot use as a store: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a device or other special file"
        raise NotInStore(f"{path}: is {kind}, not a store file; give the path of a file")
    return info.st_size == 0


def _writable(path: Path) -> bool:
    """Whether SQLite can write the store and make its -wal and -shm files beside it."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def _connect(path: Path, read_only: bool) -> sqlite3.Connection:
    """A connection to the store. Never open the file any other way while one exists: on
    POSIX, closing any descriptor of the file drops every lock SQLite holds on it."""
    if not read_only:
        return sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS)
    # immutable (no locks, no -shm) would read a half-made change while someone else
    # writes: never on a network drive, where others do; on a local read-only folder a WAL
    # store opens no other way (no -shm file can be made beside it)
    immutable = filesystems.on_fixed_medium(path) or (
        not filesystems.on_network(path) and not os.access(path.parent, os.W_OK))
    flag = "immutable=1" if immutable else "mode=ro"
    return sqlite3.connect(f"{store_uri(path)}?{flag}", uri=True, timeout=BUSY_TIMEOUT_SECONDS)


def store_uri(path: Path) -> str:
    """The store's path as an SQLite URI; a UNC path keeps its server in the path
    (file:////server/share/…), since SQLite refuses any URI authority but localhost."""
    if filesystems.is_unc(path):
        return "file://" + quote(os.fspath(path).replace("\\", "/"), safe="/:")
    return path.resolve().as_uri()


def require_database(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a file that is not a SQLite database, reading its header through SQLite."""
    try:
        conn.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc):
            raise NotInStore(f"{path}: not a SQLite database (left untouched)") from None
        raise


def require_briefpack(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a SQLite database that is not a briefpack store, reading only: one with
    tables (an empty database may become a store) but no record of briefpack's schema."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables:
        return
    if "_sqlite_migrations" in tables and conn.execute(
            "SELECT 1 FROM _sqlite_migrations WHERE migration_set = 'briefpack' "
            "LIMIT 1").fetchone():
        return
    raise StoreError(f"{path}: this SQLite file is not a briefpack store (left untouched)")


def failure(path: Path | None, exc: sqlite3.Error) -> StoreError:
    """A SQLite error as one clear sentence, naming the store, saying what to do."""
    return StoreError(f"{path or 'the store'}: {explain(exc, path)}")


def explain(exc: sqlite3.Error, path: Path | None = None) -> str:
    """What a SQLite error means for the user, and what to do about it."""
    text = str(exc)
    if "I/O" in text and path is not None and _disk_nearly_full(path):
        text = "database or disk is full"  # SQLite reports some writes to a full disk so
    if "readonly" in text or "read-only" in text:
        return "the store is read-only, so this change cannot be made (nothing was changed)"
    if "locked" in text or "busy" in text:
        return ("the store is busy: another briefpack is writing to it; try again when it "
                "finishes (nothing was changed)")
    if "full" in text:
        return "the disk is full (nothing was changed); free some space and try again"
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return (f"the store is damaged ({text}); restore a backup: 'briefpack backups' "
                "lists them, 'briefpack restore NAME'")
    if "unable to open" in text or "I/O" in text:
        return (f"cannot read or write the store ({text}); check the disk and that no "
                "other program moved or deleted its files")
    return f"the store cannot be used: {text}"


def _disk_nearly_full(path: Path) -> bool:
    try:
        return shutil.disk_usage(path.parent).free < 1024 * 1024
    except OSError:
        return False

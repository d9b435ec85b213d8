"""Backups of the store before bulk changes, kept beside it; restore from any of them.

The audit log is append-only across every one of these: a restore (or ``init --force``)
replaces the store's content in one transaction and carries forward every audit entry the
replacement lacks, then logs itself; pruning never deletes a backup holding the only copy
of an audit entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import secrets
import sqlite3
from collections.abc import Callable
from pathlib import Path

from .. import model, paths
from ..errors import NotInStore, StoreError, StoreFileError
from ..processes import remove_orphans
from .migrations import known_names
from .store import Store, explain, failure, require_database

KEEP = 20
#: what makes an audit entry the same entry in two copies of a store (all but its id)
AUDIT_FIELDS = ("at", "user", "action", "table_name", "record_id", "field", "before",
                "after", "note", "country")


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "backup"


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def backup_file(db_path: Path, *, reason: str, keep: int = KEEP) -> Path:
    """Copy the store at ``db_path`` with SQLite's online backup API; prune old copies."""
    folder = paths.backups_dir(db_path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreFileError(f"{folder}: cannot make the backups folder: {exc.strerror}") from None
    dest = folder / f"{db_path.stem}-{_stamp()}-{_slug(reason)}.db"
    tmp = dest.with_suffix(".part")
    recorded = digest_file(dest)
    try:
        _copy(db_path, tmp)
        # the SHA-256 of the backup as made, checked before it is ever restored (SQLite's
        # integrity check cannot see a flipped bit inside a text)
        part = recorded.with_suffix(".sha256-part")
        part.write_text(f"{_sha256(tmp)}  {dest.name}\n", encoding="utf-8")
        part.replace(recorded)
    except (sqlite3.Error, OSError) as exc:
        tmp.unlink(missing_ok=True)
        recorded.with_suffix(".sha256-part").unlink(missing_ok=True)
        why = (explain(exc, tmp).replace(" (nothing was changed)", "")
               if isinstance(exc, sqlite3.Error) else exc.strerror)
        raise StoreFileError(f"{db_path}: the backup failed, so nothing was changed: {why}") \
            from None
    tmp.replace(dest)
    prune(db_path, keep)
    return dest


def digest_file(backup: Path) -> Path:
    """Where the SHA-256 of ``backup``, recorded when it was made, is kept (beside it)."""
    return backup.with_name(backup.name + ".sha256")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def recorded_digest(backup: Path) -> str | None:
    """The SHA-256 recorded when ``backup`` was made; None for a backup made before
    briefpack recorded them."""
    try:
        text = digest_file(backup).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise StoreError(f"{backup}: refused, the store was not touched: its recorded "
                         f"checksum cannot be read ({exc})") from None
    value = text.split()[0] if text.split() else ""
    if not re.fullmatch(r"[0-9a-f]{64}", value):
        raise StoreError(f"{backup}: refused, the store was not touched: its recorded "
                         "checksum is damaged")
    return value


def check_digest(backup: Path) -> bool:
    """Refuse a backup whose bytes are not those it was made with; True if a checksum
    was recorded (and matched), False for an older backup that has none."""
    expected = recorded_digest(backup)
    if expected is None:
        return False
    if _sha256(backup) != expected:
        raise StoreError(f"{backup}: refused, the store was not touched: the backup has "
                         "changed since it was made (its SHA-256 no longer matches the one "
                         "recorded then), so it may be damaged")
    return True


def _copy(source: Path, dest: Path) -> None:
    src = _read_only(source)
    try:
        target = sqlite3.connect(dest)
        try:
            src.backup(target)
            # one self-contained file (a copy of a WAL store is in WAL mode, and reading
            # it would leave -wal and -shm files beside it)
            target.execute("PRAGMA journal_mode=DELETE").fetchone()
        finally:
            target.close()
    finally:
        src.close()


def list_backups(db_path: Path) -> list[Path]:
    """Backups of this store, newest first."""
    folder = paths.backups_dir(db_path)
    return sorted(folder.glob(f"{db_path.stem}-*.db"), reverse=True) if folder.is_dir() else []


def prune(db_path: Path, keep: int = KEEP) -> list[Path]:
    """Delete all but the newest ``keep`` backups, except any holding an audit entry the
    store lacks (its only copy). Returns the backups kept for that reason."""
    spared = []
    for old in list_backups(db_path)[keep:]:
        if _holds_lost_audit(db_path, old):
            spared.append(old)
            continue
        for leftover in (old, digest_file(old), *paths.store_files(old)[1:]):
            leftover.unlink(missing_ok=True)
    return spared


def _holds_lost_audit(db_path: Path, backup: Path) -> bool:
    """Whether ``backup`` holds an audit entry that the store at ``db_path`` does not."""
    columns = ", ".join(f"[{c}]" for c in AUDIT_FIELDS)
    same = " AND ".join(f"m.[{c}] IS o.[{c}]" for c in AUDIT_FIELDS)
    try:
        conn = _read_only(db_path)
        try:
            conn.execute("ATTACH DATABASE ? AS old", [f"{backup.resolve().as_uri()}?mode=ro"])
            # entries keep their ids when carried forward: look each up by id (fast) ...
            if conn.execute(f"SELECT 1 FROM old.audit o LEFT JOIN main.audit m ON m.id = o.id "
                            f"AND {same} WHERE m.id IS NULL LIMIT 1").fetchone() is None:
                return False
            # ... and only if some moved, compare whole entries
            return conn.execute(
                f"SELECT 1 FROM (SELECT {columns} FROM old.audit EXCEPT "
                f"SELECT {columns} FROM main.audit) LIMIT 1").fetchone() is not None
        finally:
            conn.close()
    except sqlite3.Error:
        return True  # cannot tell: keep it


def find_backup(db_path: Path, name: str) -> Path:
    """One of this store's own backups, by file name (with or without ``.db``) or by its
    path. A file from anywhere else is refused: its content was never checked (bring
    another store's data in as a packet, which is)."""
    backups = list_backups(db_path)
    for candidate in backups:
        if name in (candidate.name, candidate.stem):
            return candidate
    given = Path(name)
    for candidate in backups:
        try:
            if os.path.samefile(given, candidate):
                return candidate
        except OSError:
            continue
    known = ", ".join(p.name for p in backups[:5]) or "none yet"
    if given.exists() or os.sep in name or (os.altsep and os.altsep in name):
        raise StoreError(
            f"{name}: refused, the store was not touched: restore takes the name of one "
            f"of this store's own backups ('briefpack backups' lists them; newest: {known}); "
            "to bring in data from another store, export a packet from it and import it, "
            "which checks every record")
    raise NotInStore(f"no backup named {name!r} beside {db_path}; newest: {known}")


def check_backup(path: Path) -> None:
    """Refuse a backup that is not a sound briefpack store this version can read."""
    refused = f"{path}: refused, the store was not touched"
    try:
        conn = _read_only(path)
    except sqlite3.Error as exc:
        raise StoreError(f"{refused}: cannot open the backup: {exc}") from None
    try:
        try:
            require_database(conn, path)
        except StoreError:
            raise StoreError(f"{refused}: not a SQLite database, so not a briefpack "
                             "backup") from None
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check(5)")]
        if problems != ["ok"]:
            raise StoreError(f"{refused}: the backup is damaged ({'; '.join(problems)})")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master "
                                             "WHERE type = 'table'")}
        if not {"countries", "audit"} <= tables:
            raise StoreError(f"{refused}: not a briefpack store backup")
        applied = set()
        if "_sqlite_migrations" in tables:
            applied = {r[0] for r in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = 'briefpack'")}
        newer = applied - known_names()
        if newer:
            raise StoreError(f"{refused}: the backup was made by a newer version of "
                             f"briefpack (schema {', '.join(sorted(newer))})")
    except sqlite3.Error as exc:
        raise StoreError(f"{refused}: the backup is damaged ({exc})") from None
    finally:
        conn.close()


def restore(store: Store, name: str, *, user: str | None = None) -> Path:
    """Put a backup's content back into ``store``; the current content is backed up first.

    Returns the path of that safety backup. Audit entries made since the backup are
    carried forward and the restore is logged. The restored store starts a new lineage, so
    packets exported since the backup was taken are treated as having an unknown base.
    """
    if store.path is None:
        raise StoreError("an in-memory store has no backups to restore")
    source = find_backup(store.path, name)
    checked = check_digest(source)
    check_backup(source)
    trial = _staging_file(store.path)  # every record checked before anything is changed
    try:
        _copy(source, trial)
        check_content(trial, source)
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(f"{source}: refused, the store was not touched: the backup cannot "
                         f"be read ({exc})") from None
    finally:
        for leftover in paths.store_files(trial):
            leftover.unlink(missing_ok=True)
    safety = backup_file(store.path, reason="before restore")
    replace_content(store, lambda staged: _copy(source, staged), action="restore",
                    note=f"restored {source.name}"
                         + ("" if checked else " (made before backups were checksummed; "
                            "its content was checked record by record)")
                         + f"; the store before the restore is in {safety.name}", user=user)
    return safety


def check_content(staged: Path, source: Path) -> None:
    """Refuse a store copy holding any record a packet import would refuse: every
    record's marking (SECRET and above are not accredited), every value's type and range.
    ``staged`` is brought up to this version's schema first; ``source`` names it."""
    from ..errors import DataError
    from .packets import format_packet, packet_content, parse_packet

    problems: list[str] = []
    store = Store.open(staged, create=False)
    try:
        for (code,) in store.db.execute("SELECT code FROM countries ORDER BY code"):
            try:
                content = packet_content(store, code, audited=False)
                sections = content["sections"]
                # a value not set (NULL, as an older schema's new column holds) is checked
                # as left out: the rules apply to every value given
                sections["country"] = _given(sections["country"])
                for table in model.TABLES:
                    sections[table] = [_given(r) for r in sections[table]]
                parse_packet(format_packet(content, "json"), f"{source.name} [{code}]",
                             form="json")
            except DataError as exc:
                problems += [str(p) for p in exc.problems]
            except (ValueError, TypeError, KeyError) as exc:  # a value no reader can read
                problems.append(f"{source.name} [{code}]: a record cannot be read ({exc})")
        problems += _other_problems(store, source)
    finally:
        store.close()
    if problems:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more"
                                           if len(problems) > 5 else "")
        raise StoreError(f"{source}: refused, the store was not touched: the backup holds "
                         f"records briefpack would never accept ({shown})")


def _given(record: dict) -> dict:
    return {k: v for k, v in record.items() if v is not None and v != ""}


def _other_problems(store: Store, source: Path) -> list[str]:
    """What is wrong with the tables packets do not carry (visits, national figures)."""
    from .. import marking
    from ..coercion import Refused, field_value, shape, type_hints
    from ..model import NationalFigure, Visit
    from .rows import from_row

    problems = []
    for table, cls in (("visits", Visit), ("national_figures", NationalFigure)):
        hints = type_hints(cls)
        for row in store.db.table(table).rows:
            where = f"{source.name} [{table} {row.get('id', row.get('key'))}]"
            try:
                record = from_row(cls, row)
                for name in hints:
                    if shape(hints[name]).kind not in ("tuple",):
                        field_value(cls, name, getattr(record, name))
                for text in getattr(record, "content_markings", lambda: ())():
                    marking.parse(text)
            except (Refused, marking.MarkingError) as exc:
                problems.append(f"{where}: {exc}")
            except (ValueError, TypeError, KeyError) as exc:
                problems.append(f"{where}: a value cannot be read ({exc})")
    return problems


def reinitialise(store: Store, *, seed: bool, user: str | None = None) -> Path:
    """``init --force``: replace the store's content with the sample data (or nothing),
    keeping its audit log; the current content is backed up first. Returns that backup."""
    if store.path is None:
        raise StoreError("an in-memory store cannot be re-initialised")
    safety = backup_file(store.path, reason="init --force")

    def fresh(staged: Path) -> None:
        Store.open(staged, seed=seed).close()

    what = "the sample data" if seed else "an empty store"
    replace_content(store, fresh, action="init",
                    note=f"init --force: replaced the store with {what}; the store before "
                         f"is in {safety.name}", user=user)
    return safety


def replace_content(store: Store, make: Callable[[Path], None], *, action: str, note: str,
                    user: str | None = None) -> None:
    """Replace every table of ``store`` with those of the database ``make`` writes to a
    staging file, in one transaction: the store is either as it was or fully replaced,
    with the audit entries the replacement lacks carried forward and this change logged."""
    if store.read_only:
        raise StoreError(f"{store.path}: the store is read-only, so it cannot be replaced")
    if store.path is None:
        raise StoreError("a store in memory has no file to replace")
    staged = _staging_file(store.path)
    try:
        make(staged)
        Store.open(staged, create=False).close()  # brings an old backup's schema up to date
        _swap_in(store, staged, action=action, note=note, user=user)
    except sqlite3.Error as exc:
        raise failure(store.path, exc) from None
    except OSError as exc:
        raise StoreFileError(f"{store.path}: nothing was changed: {exc.strerror or exc}") from None
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{staged}{suffix}").unlink(missing_ok=True)


#: a staging file's name: the restoring process's id and a random part
_STAGING_NAME = re.compile(r"\.staging-(?P<pid>[0-9]+)-[0-9a-f]{8}\.db")


def _staging_file(db_path: Path) -> Path:
    folder = paths.backups_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    remove_orphans(folder, ".staging-*.db", _STAGING_NAME)  # a process killed mid-restore
    return folder / f".staging-{os.getpid()}-{secrets.token_hex(4)}.db"


def _swap_in(store: Store, staged: Path, *, action: str, note: str,
             user: str | None) -> None:
    conn = store.db.conn
    conn.execute("ATTACH DATABASE ? AS staged", [str(staged)])
    try:
        with store.transaction():
            conn.execute("PRAGMA defer_foreign_keys = ON")
            carried = _audit_not_in_staged(conn)
            for table in _tables(conn, "main"):
                columns = ", ".join(f"[{c}]" for c in _columns(conn, "main", table))
                conn.execute(f"DELETE FROM main.[{table}]")
                conn.execute(f"INSERT INTO main.[{table}] ({columns}) "
                             f"SELECT {columns} FROM staged.[{table}]")
            fields = ", ".join(f"[{c}]" for c in AUDIT_FIELDS)
            conn.executemany(f"INSERT INTO main.audit ({fields}) VALUES "
                             f"({', '.join('?' * len(AUDIT_FIELDS))})", carried)
            store.new_store_id()
            store.audit(action, "*", "*", note=note + (
                f"; {len(carried)} audit entries made since were carried forward"
                if carried else ""), user=user)
    finally:
        conn.execute("DETACH DATABASE staged")


def _audit_not_in_staged(conn: sqlite3.Connection) -> list[tuple]:
    """The store's audit entries the staged copy does not hold, oldest first."""
    same = " AND ".join(f"s.[{c}] IS a.[{c}]" for c in AUDIT_FIELDS)
    fields = ", ".join(f"a.[{c}]" for c in AUDIT_FIELDS)
    return conn.execute(
        f"SELECT {fields} FROM main.audit a LEFT JOIN staged.audit s ON s.id = a.id "
        f"AND {same} WHERE s.id IS NULL ORDER BY a.id").fetchall()


def _tables(conn: sqlite3.Connection, schema: str) -> list[str]:
    return [r[0] for r in conn.execute(
        f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite_%' ORDER BY name")]


def _columns(conn: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA {schema}.table_info([{table}])")]

"""Build briefs: the one entry point the CLI and the GUI share.

``build(...)`` is a generator of Progress steps. Nothing appears in the output folder
until every file of the build has been rendered: each is rendered to a hidden temporary
file beside its target, and the last step moves them all into place with ``os.replace``.
A failure, or a caller that stops iterating (the GUI's Cancel), leaves no file behind,
half-written or otherwise.

Give ``store`` as a path when running in a worker thread: the generator then opens its
own connection there (SQLite connections belong to the thread that made them).
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import secrets
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import marking, model
from .brief.assemble import assemble, released_country_file
from .brief.document import Brief
from .errors import BriefpackError
from .priorities import load_priorities
from .scoring import score
from .store import Store
from .templates import Template, load_template

FORMATS = ("docx", "pdf")
#: format -> (module, function) of its renderer, imported only when used
RENDERERS = {"docx": ("briefpack.render.docx", "render_docx"),
             "pdf": ("briefpack.render.pdf", "render_pdf")}


class BuildError(BriefpackError):
    """A build that cannot go ahead or did not finish; nothing was left in the folder."""


@dataclass(frozen=True)
class BuildResult:
    outputs: tuple[Path, ...]
    briefs: tuple[Brief, ...]


@dataclass(frozen=True)
class Progress:
    step: int
    total: int
    message: str
    #: set on the last step only
    result: BuildResult | None = None


@dataclass(frozen=True)
class _Job:
    """One country's brief to make."""

    code: str
    stem: str


def build(store: Store | Path | str, *, country: str | None = None,
          visit: model.Visit | None = None, formats: Sequence[str] = FORMATS,
          template: str | None = None, out_dir: Path | str = ".",
          ceiling: str | None = None, priorities: Any = None,
          today: dt.date | None = None, author: str = "") -> Iterator[Progress]:
    """Build a country brief (``country``) or one brief per country of ``visit``.

    ``template`` overrides the visit's; ``priorities`` is a Priorities object, a path or
    None for data/priorities.yaml. Outputs are named DATE-CODE-TEMPLATE.FORMAT, the date
    being the visit's start (or today for a country brief).
    """
    if (country is None) == (visit is None):
        raise BuildError("build either a country or a visit")
    formats = _check_formats(formats)
    today = today or dt.date.today()
    if ceiling is not None:
        try:
            ceiling = str(marking.parse_ceiling(ceiling))
        except marking.MarkingError as exc:
            raise BuildError(f"--ceiling {ceiling!r}: {exc}") from None
    own_store = not isinstance(store, Store)
    db = Store.open(store, create=False) if own_store else store
    staging = _Staging(Path(out_dir))
    try:
        yield from _run(db, country, visit, formats, template, staging, ceiling,
                        priorities, today, author)
    finally:
        staging.clean_up()
        if own_store:
            db.close()


@dataclass
class _Staging:
    """The output folder and the temporary files waiting to be moved into it."""

    out_dir: Path
    #: target -> temporary file rendered beside it
    files: dict[Path, Path] = field(default_factory=dict)
    #: folders this build made, deepest first, removed again if it does not finish
    created_dirs: list[Path] = field(default_factory=list)
    committed: bool = False

    def prepare(self) -> None:
        """Make the folder if needed and prove we can write there, before any work."""
        self.created_dirs = [p for p in [self.out_dir, *self.out_dir.parents]
                             if not p.exists()]
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            fd, probe = tempfile.mkstemp(dir=self.out_dir, prefix=".briefpack-",
                                         suffix=".probe")
            os.close(fd)
            os.unlink(probe)
        except OSError as exc:
            raise BuildError(f"cannot write to the output folder {self.out_dir}: "
                             f"{exc.strerror or exc}") from None

    def render(self, render, brief: Brief, target: Path, template: Template) -> None:
        """Render into a hidden file beside ``target``."""
        temp = self.out_dir / f".{target.stem}-{secrets.token_hex(4)}{target.suffix}"
        try:
            # not mkstemp: its files are private (0600); outputs get the user's usual mode
            os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except OSError as exc:
            raise BuildError(f"cannot write to {self.out_dir}: "
                             f"{exc.strerror or exc}") from None
        self.files[target] = temp
        try:
            render(brief, temp, template_dir=template.dir)
        except OSError as exc:
            raise BuildError(f"cannot write {target.name}: {exc.strerror or exc}") from None

    def commit(self) -> tuple[Path, ...]:
        """Move every rendered file into place."""
        done = []
        for target, temp in list(self.files.items()):
            try:
                os.replace(temp, target)
            except OSError as exc:
                raise BuildError(f"cannot write {target}: {exc.strerror or exc}") from None
            del self.files[target]
            done.append(target)
        self.committed = True
        return tuple(done)

    def clean_up(self) -> None:
        """Remove whatever an unfinished build left: temporary files, a folder it made."""
        for temp in self.files.values():
            temp.unlink(missing_ok=True)
        self.files.clear()
        if self.committed:
            return
        for folder in self.created_dirs:
            try:
                folder.rmdir()
            except OSError:
                return  # not empty: someone else put files there meanwhile


def _run(store: Store, country: str | None, visit: model.Visit | None,
         formats: tuple[str, ...], template_name: str | None, staging: _Staging,
         ceiling: str | None, priorities: Any, today: dt.date,
         author: str) -> Iterator[Progress]:
    codes = visit.countries if visit else (store.resolve_country(country).code,)
    template = load_template(template_name or (visit.template if visit else "standard"))
    renderers = {fmt: _renderer(fmt) for fmt in formats}
    day = visit.start if visit else today
    jobs = [_Job(code, f"{day.isoformat()}-{code}-{template.name}") for code in codes]
    total = 2 + len(jobs) * (1 + len(formats))
    step = 1
    yield Progress(step, total, f"Checking {staging.out_dir} can be written to")
    staging.prepare()
    priorities = _priorities(priorities)
    briefs = []
    for job in jobs:
        step += 1
        yield Progress(step, total, f"Assembling the {job.code} brief")
        brief = _assemble(store, job.code, visit, template, priorities, ceiling, today, author)
        briefs.append(brief)
        for fmt, render in renderers.items():
            target = staging.out_dir / f"{job.stem}.{fmt}"
            step += 1
            yield Progress(step, total, f"Writing {target.name}")
            staging.render(render, brief, target, template)
    step += 1
    outputs = staging.commit()
    yield Progress(step, total, f"Wrote {len(outputs)} file{'s' * (len(outputs) != 1)}",
                   BuildResult(outputs, tuple(briefs)))


def _check_formats(formats: Sequence[str]) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(f.strip().lower() for f in formats if f.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise BuildError(f"unknown format {', '.join(unknown) or '(none given)'}; "
                         "expected: " + ", ".join(FORMATS))
    return chosen


def _renderer(fmt: str):
    module, function = RENDERERS[fmt]
    try:
        return getattr(importlib.import_module(module), function)
    except (ImportError, AttributeError) as exc:
        raise BuildError(f"the {fmt} renderer is not available: {exc}") from None


def _priorities(priorities: Any) -> Any:
    if priorities is None or isinstance(priorities, (str, Path)):
        return load_priorities(priorities)
    return priorities


def _assemble(store: Store, code: str, visit: model.Visit | None, template: Template,
              priorities: Any, ceiling: str | None, today: dt.date, author: str) -> Brief:
    country_file = store.country_file(code)
    # Score only what the brief may show, so a score never hints at withheld records.
    released = released_country_file(country_file, visit=visit, ceiling=ceiling)
    scorecard = score(released, priorities, visit, today=today)
    return assemble(country_file, scorecard, template, visit=visit, ceiling=ceiling,
                    today=today, author=author)


def run(steps: Iterator[Progress]) -> BuildResult:
    """Drive a build to the end, ignoring progress; return its result."""
    result = None
    for progress in steps:
        result = progress.result or result
    if result is None:
        raise BuildError("the build finished without a result")
    return result



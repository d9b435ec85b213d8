"""Build briefs: the one entry point the CLI and the GUI share.

``build(...)`` is a generator of Progress steps. Nothing appears in the output folder
until every file of the build has been rendered: each is rendered to a hidden temporary
file beside its target, and the last step moves them all into place with ``os.replace``.
A failure, or a caller that stops iterating (the GUI's Cancel), leaves no file behind,
half-written or otherwise. ``build_pack(...)`` keeps the same contract for one printed
pack of a visit to several countries.

While a file is written, the step "Writing NAME" is reported again, a few times a
second, with a ``detail`` of how far the render has got (pages laid out, then briefs of
a pack appended to the Word file): the render runs in a thread (or a pack's worker
process, whose news comes back on a queue) so the generator can yield meanwhile, and
stopping the generator stops the render at its next page. Each step's ``share`` weighs it
by what it costs (a Plan), so the share done moves with the time taken.

Give ``store`` as a path when running in a worker thread: the generator then opens its
own connection there (SQLite connections belong to the thread that made them).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import importlib
import os
import re
import secrets
import signal
import threading
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import background, model, paths
from .brief import redaction
from .brief.assemble import BriefJob, assemble
from .brief.release import body_ceiling, released_country_file
from .brief.document import Brief
from .brief.pack import Destination, PackJob, compose_pack
from .errors import BuildError, OutputError
from .options import FORMATS, BuildOptions
from .priorities import load_priorities
from .processes import quiet_resource_tracker, remove_orphans, stop_if_asked
from .progress import Detail, OnProgress, Plan, Progress, forwards, phase
from .scoring import country_impact, score
from .store import Store
from .templates import Template, load_template
from .visits import final_problems

if TYPE_CHECKING:  # (imported where packs start their workers: a build needs neither)
    from concurrent.futures import ProcessPoolExecutor

__all__ = ["FORMATS", "BuildError", "BuildOptions", "BuildResult", "assemble_brief", "build",
           "build_pack", "run"]

#: format -> (module, function) of its renderer, imported only when used
RENDERERS = {"docx": ("briefpack.render.docx", "render_docx"),
             "pdf": ("briefpack.render.pdf", "render_pdf")}


@dataclass(frozen=True)
class BuildResult:
    outputs: tuple[Path, ...]
    briefs: tuple[Brief, ...]
    #: every warning the build raised (also given on the step that raised it)
    warnings: tuple[str, ...] = ()
    #: the pack's PDF, the copy to print (None for briefs, and for a pack built as Word only)
    pack_pdf: Path | None = None


@dataclass(frozen=True)
class _Job:
    """One country's brief to make."""

    code: str
    stem: str


def build(store: Store | Path | str, options: BuildOptions | None = None, *,
          country: str | None = None, visit: model.Visit | None = None,
          priorities: Any = None) -> Iterator[Progress]:
    """Build a country brief (``country``) or one brief per country of ``visit``.

    ``priorities`` is a Priorities object, a path or None for data/priorities.yaml.
    Outputs are named DATE-CODE-TEMPLATE.FORMAT, the date being the visit's start (or the
    build's date for a country brief); a redacted variant's name ends -redacted. A brief
    showing more than ``options.personal_threshold`` personal records raises a warning
    (never a higher marking).
    """
    if (country is None) == (visit is None):
        raise BuildError("build either a country or a visit")
    options = (options or BuildOptions()).dated()
    if visit is None and options.final:
        raise BuildError("--final is for a visit's briefs or pack: a country brief "
                         "carries no DRAFT mark")
    visit = visit and as_final(visit, options)
    db, own_store = _opened(store)
    staging = _Staging(options.out_dir)
    try:
        yield from _run(db, country, visit, options, staging, priorities)
    finally:
        staging.clean_up()
        if own_store:
            db.close()


def as_final(visit: model.Visit, options: BuildOptions) -> model.Visit:
    """The visit as built: final if the options or the visit file say so, and then only
    if nothing in it is still a placeholder (else BuildError listing what is)."""
    if not (visit.final or options.final):
        return visit
    problems = final_problems(visit)
    if problems:
        raise BuildError(f"{visit.title!r} cannot be built as a final copy until these "
                         "are written:\n  " + "\n  ".join(problems)
                         + "\n(build it without final to print a draft)")
    return dataclasses.replace(visit, final=True)


def _opened(store: Store | Path | str) -> tuple[Store, bool]:
    """The store, and whether it was opened here (from a path) and so is closed here."""
    if isinstance(store, Store):
        return store, False
    return Store.open(store, create=False), True


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
            paths.check_output_folder(self.out_dir)  # never the store's backups folder
        except paths.PathRefused as exc:
            raise BuildError(str(exc)) from None
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            probe = self.out_dir / _temp_name("probe", ".probe")
            os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            os.unlink(probe)
        except OSError as exc:
            raise OutputError(f"cannot write to the output folder {self.out_dir}: "
                             f"{exc.strerror or exc}") from None
        remove_orphans(self.out_dir, ".*", _TEMP_NAME)  # a killed build's (kill -9, a crash)

    def reserve(self, target: Path, *, create: bool = True) -> Path:
        """Make the hidden file beside ``target`` that its content will be written to
        (or, with ``create`` false, only choose its name: a worker process makes it)."""
        _check_target(target)
        temp = self.out_dir / _temp_name(target.stem, target.suffix)
        self.files[target] = temp
        if create:
            _create(temp)
        return temp

    def render(self, render: Callable[[Path, OnProgress], Any],
               target: Path) -> Generator[Detail, None, None]:
        """``render(temp, report)`` into a hidden file beside ``target``, in a thread,
        yielding its news (pages laid out); closing this generator stops the render at its
        next page."""
        temp = self.reserve(target)

        def work(report):
            return render(temp, report)

        yield from background.in_thread(work, name=f"briefpack-render{target.suffix}")

    def commit(self) -> tuple[Path, ...]:
        """Move every rendered file into place (unless the process was asked to stop)."""
        stop_if_asked()
        done = []
        for target in self.files:  # every one before any is moved into place
            _check_target(target)
        for target, temp in list(self.files.items()):
            try:
                os.replace(temp, target)
            except OSError as exc:
                raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
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


def _check_target(target: Path) -> None:
    """An output is never the store, its -wal or -shm, a backup or a device; one that is
    there already can be replaced (Windows refuses to replace a file open in Word or a PDF
    reader, which would leave the .docx new and the .pdf old)."""
    try:
        paths.check_output(target)
    except paths.PathRefused as exc:
        raise BuildError(str(exc)) from None
    try:
        handle = os.open(target, os.O_RDWR | os.O_APPEND | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError(f"cannot replace {target}: {exc.strerror or exc}; if it is open "
                          "in Word or a PDF reader, close it and build again (nothing was "
                          "replaced)") from None
    os.close(handle)


def _writing(plan: Plan, step: int, message: str, news: Generator[Detail, None, Any],
             target: Path) -> Iterator[Progress]:
    """A render's news as finer Progress of its step (never going backwards); the render
    writes ``target`` (in a thread or a worker process)."""
    try:
        for detail in forwards(news):
            yield plan.progress(step, message, detail=detail)
    except OSError as exc:
        raise OutputError(f"cannot write {target.name}: {exc.strerror or exc}") from None
    finally:
        news.close()


#: what the steps of a build cost, in assemblies of one brief (measured: a render takes
#: fifteen times as long, mostly laying the PDF out)
CHECK_COST, ASSEMBLE_COST, COMPOSE_COST, COMMIT_COST = 0.5, 1.0, 1.0, 0.2
LAY_OUT_COST, WORD_COST, COPY_PDF_COST = 15.0, 2.0, 0.2
_FORMAT_COSTS = {"docx": WORD_COST, "pdf": COPY_PDF_COST}


def _render_costs(formats: Sequence[str]) -> list[float]:
    """What rendering one brief costs per format, in order: the first lays the PDF out
    (the Word output copies its page numbers), and each is then written from that layout."""
    return [_FORMAT_COSTS[fmt] + (LAY_OUT_COST if index == 0 else 0.0)
            for index, fmt in enumerate(formats)]


class _Renders:
    """One brief rendered in each format. The PDF is laid out once, by the first format
    that uses it, and that layout given to each renderer as an argument: the Word output
    copies its contents' page numbers and a pack's blank pages, the PDF is written from it.
    """

    def __init__(self, brief: Brief, template_dir: Path, duplex: bool = True) -> None:
        self.brief = brief
        self.template_dir = template_dir
        self.duplex = duplex
        self._laid_out: Any = None

    def __call__(self, fmt: str, out: Path, on_progress: OnProgress | None = None) -> Any:
        render = _renderer(fmt)  # (first: a format that is not available fails at once)
        if self._laid_out is None and self._uses_layout(fmt):
            from .render.pdf import lay_out

            laying_out = on_progress
            if fmt != "pdf":  # the layout's share of the step, as the plan weighs it; its
                # pages are not pages of the Word file
                share = LAY_OUT_COST / (LAY_OUT_COST + _FORMAT_COSTS[fmt])
                laying_out = phase(on_progress, 0.0, share, activity="laying out")
                on_progress = phase(on_progress, share, 1.0)
            self._laid_out = lay_out(self.brief, template_dir=self.template_dir,
                                     duplex=self.duplex, on_progress=laying_out)
        return render(self.brief, out, template_dir=self.template_dir, duplex=self.duplex,
                      on_progress=on_progress, laid_out=self._laid_out)

    def _uses_layout(self, fmt: str) -> bool:
        if fmt == "pdf":
            return True
        from .render.docx import needs_pdf_layout

        return needs_pdf_layout(self.brief)


#: a temporary file's name: the target's, the writing process's id and a random part
_TEMP_NAME = re.compile(r"\..+~briefpack-(?P<pid>[0-9]+)-[0-9a-f]{8}\.(?:"
                        + "|".join((*FORMATS, "probe")) + ")")


def _temp_name(stem: str, suffix: str) -> str:
    """A hidden name beside the target, naming this process (see ``_Staging.prepare``)."""
    return f".{stem}~briefpack-{os.getpid()}-{secrets.token_hex(4)}{suffix}"


def _create(temp: Path) -> None:
    try:
        # not mkstemp: its files are private (0600); outputs get the user's usual mode
        os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except OSError as exc:
        raise OutputError(f"cannot write to {temp.parent}: {exc.strerror or exc}") from None


def _run(store: Store, country: str | None, visit: model.Visit | None, options: BuildOptions,
         staging: _Staging, priorities: Any) -> Iterator[Progress]:
    codes = visit.countries if visit else (store.resolve_country(country or "").code,)
    template = load_template(options.template or (visit.template if visit else "standard"))
    renderers = {fmt: _renderer(fmt) for fmt in options.formats}
    day = visit.start if visit else options.day
    jobs = [_Job(code, options.stem(f"{day.isoformat()}-{code}-{template.name}"))
            for code in codes]
    plan = Plan((CHECK_COST, *[ASSEMBLE_COST, *_render_costs(list(renderers))] * len(jobs),
                 COMMIT_COST))
    step = 1
    yield plan.progress(step, f"Checking {staging.out_dir} can be written to")
    staging.prepare()
    priorities = _priorities(priorities)
    briefs = []
    warnings: list[str] = []
    for job in jobs:
        step += 1
        yield plan.progress(step, f"Assembling the {job.code} brief")
        brief = _destination(store, job.code, visit, template, priorities, options).brief
        briefs.append(brief)
        # told with the next step: the brief is only known once assembled
        raised = _warnings(brief, job, options, template)
        warnings += raised
        renders = _Renders(brief, template.dir)
        for fmt in renderers:
            target = staging.out_dir / f"{job.stem}.{fmt}"
            step += 1
            message = f"Writing {target.name}"
            yield plan.progress(step, message, warnings=raised)
            raised = ()
            yield from _writing(plan, step, message,
                                staging.render(functools.partial(renders, fmt), target),
                                target)
    step += 1
    outputs = staging.commit()
    yield plan.progress(step, f"Wrote {len(outputs)} file{'s' * (len(outputs) != 1)}",
                        result=BuildResult(outputs, tuple(briefs), tuple(warnings)))


def _warnings(brief: Brief, job: _Job, options: BuildOptions,
              template: Template | None = None) -> tuple[str, ...]:
    warning = redaction.personal_data_warning(brief.facts.personal_records,
                                              options.personal_threshold,
                                              f"The {job.code} brief")
    stale = (f"The {job.code} brief shows stale data: " + "; ".join(brief.facts.stale)
             + ". Ask the defence section for a refresh.") if brief.facts.stale else ""
    glyphs: list[str] = []
    if "pdf" in options.formats:
        from .render.pdf.layout import unprintable_warnings

        glyphs = unprintable_warnings(brief, template_dir=template.dir if template else None,
                                      name=f"The {job.code} brief")
    return tuple(w for w in (warning, stale, *glyphs) if w)


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


def assemble_brief(country_file: model.CountryFile, *, template: Template, priorities: Any,
                   visit: model.Visit | None = None, options: BuildOptions | None = None,
                   currency: Sequence[model.SectionCurrency] = (),
                   stale_after_days: int = model.STALE_AFTER_DAYS) -> tuple[Brief, Any]:
    """Score and assemble one country's brief from plain data: the one recipe that builds,
    packs and the app's live preview all use. Returns the brief and its scorecard."""
    options = (options or BuildOptions()).dated()
    today, ceiling = options.day, options.ceiling
    if visit is not None:  # this country's objectives are the ones its scorecard serves
        visit = visit.for_country(country_file.country.code)
        # people the visit file writes, not yet stored, are interlocutors like the stored
        # ones (the ceiling and redaction apply)
        country_file = country_file.with_records({"interlocutors": [
            *country_file.interlocutors, *visit.people_records(country_file.country.code)]})
    # Score only what the brief may show, so a score never hints at withheld records.
    released = released_country_file(country_file, visit=visit, ceiling=ceiling)
    scorecard = score(released, priorities, visit, today=today)
    annex_scorecard = None
    if options.sensitive_annex:
        # the main body's scores come from the main body's records; the annex's from all
        annex_scorecard = scorecard
        body = released_country_file(country_file, visit=visit,
                                     ceiling=body_ceiling(visit, ceiling, sensitive_annex=True))
        scorecard = score(body, priorities, visit, today=today)
    # how the visit serves the strategy, from the records the main body may show
    body = released_country_file(country_file, visit=visit, ceiling=body_ceiling(
        visit, ceiling, sensitive_annex=options.sensitive_annex))
    impact = country_impact(visit, body, priorities, today=today)
    brief = assemble(BriefJob(country_file, scorecard, template, visit=visit, ceiling=ceiling,
                              today=today, author=options.author,
                              sensitive_annex=options.sensitive_annex,
                              annex_scorecard=annex_scorecard,
                              redact_personal=options.redact_personal, currency=currency,
                              stale_after_days=stale_after_days,
                              score_annex=options.score_annex, impact=impact))
    return brief, scorecard



def _end_of(day: dt.date) -> dt.datetime:
    """Data currency is judged as at the end of the brief's date."""
    return dt.datetime.combine(day, dt.time.max, tzinfo=dt.UTC)


def run(steps: Iterator[Progress]) -> BuildResult:
    """Drive a build to the end, ignoring progress; return its result."""
    result = None
    for progress in steps:
        result = progress.result or result
    if result is None:
        raise BuildError("the build finished without a result")
    return result




# -- packs -----------------------------------------------------------------------------------

#: from this many countries a pack is assembled and rendered in worker processes; below
#: it, starting the workers costs more than they save
PARALLEL_FROM = 8
#: worker state, set once per worker process by _start_pack_worker
_WORKER: dict[str, Any] = {}


def build_pack(store: Store | Path | str, options: BuildOptions | None = None, *,
               visit: model.Visit, priorities: Any = None,
               workers: int | None = None) -> Iterator[Progress]:
    """Build one printed pack for ``visit`` (every destination in one file per format).

    Same contract as ``build``: Progress steps, and nothing in ``options.out_dir`` until
    every file is complete. With ``store`` given as a path and at least PARALLEL_FROM
    countries, ``workers`` processes (default: one per CPU) assemble the briefs and render
    the formats side by side. Outputs are named
    DATE-COUNTRIES-pack-TEMPLATE[-large-print][-redacted].FORMAT. The options apply to
    every country's brief as they do in ``build``.
    """
    options = (options or BuildOptions()).dated()
    visit = as_final(visit, options)
    template_ = load_template(options.template or visit.template)
    # renderers are imported where they run: in a parallel pack the PDF's only in its worker
    formats = tuple(options.formats)
    workers = workers or os.cpu_count() or 1
    db, own_store = _opened(store)
    parallel = own_store and workers > 1 and len(visit.countries) >= PARALLEL_FROM
    staging = _Staging(options.out_dir)
    pool = news = None
    try:
        # the pack's front matter (cover, steering brief, contents) renders like a brief
        briefs = len(visit.countries) + 1
        plan = Plan((CHECK_COST, *[ASSEMBLE_COST] * len(visit.countries), COMPOSE_COST,
                     *[cost * briefs for cost in _render_costs(formats)], COMMIT_COST))
        step = 1
        yield plan.progress(step, f"Checking {staging.out_dir} can be written to")
        staging.prepare()
        priorities = _priorities(priorities)
        if parallel:
            pool = _pack_pool(min(workers, len(visit.countries)), db.path, template_,
                              priorities)
            found = pool.map(_assemble_in_worker,
                             [(code, visit, options) for code in visit.countries])
        else:
            found = (_destination(db, code, visit, template_, priorities, options)
                     for code in visit.countries)
        destinations = []
        for code in visit.countries:
            step += 1
            yield plan.progress(step, f"Assembling the {code} brief")
            destinations.append(next(found))
        step += 1
        yield plan.progress(step, "Putting the pack together")
        pack = compose_pack(PackJob(visit, destinations, copy=options.copy,
                                    large_print=options.large_print, today=options.day,
                                    author=options.author, ceiling=options.ceiling,
                                    sensitive_annex=options.sensitive_annex,
                                    redact_personal=options.redact_personal,
                                    score_annex=options.score_annex))
        stem = options.stem(_pack_stem(visit, template_, options.large_print))
        targets = {fmt: staging.out_dir / f"{stem}.{fmt}" for fmt in formats}
        renders = _Renders(pack, template_.dir, options.duplex)
        running: dict[str, Any] = {}
        if pool is not None:
            # the assembling workers still hold the records they read: render in a fresh
            # one, every format in turn, from one layout of the pack
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            _stop(pool, finished=True)
            context = multiprocessing.get_context("spawn")
            # the worker's news (pages laid out) comes back on this queue
            news = context.Queue()
            pool = ProcessPoolExecutor(1, mp_context=context, initializer=_start_worker,
                                       initargs=(news,))
            following = background.WorkerNews(news)
            # the worker makes its hidden files: none is left if this process dies first
            # the pack goes with the first format only: the worker keeps it, and its
            # layout, for the rest
            running = {fmt: pool.submit(_render_in_worker, fmt,
                                        renders if index == 0 else None,
                                        staging.reserve(target, create=False))
                       for index, (fmt, target) in enumerate(targets.items())}
        for fmt, target in targets.items():
            step += 1
            message = f"Writing {target.name}"
            yield plan.progress(step, message)
            if fmt in running:
                rendering = following.follow(running[fmt], fmt)
            else:
                rendering = staging.render(functools.partial(renders, fmt), target)
            yield from _writing(plan, step, message, rendering, target)
        step += 1
        outputs = staging.commit()
        printed = next((p for p in outputs if p.suffix == ".pdf"), None)
        yield plan.progress(step, f"Wrote {len(outputs)} file{'s' * (len(outputs) != 1)}",
                            result=BuildResult(outputs, (pack,), pack_pdf=printed))
    finally:
        if pool is not None:
            _stop(pool, finished=staging.committed)
        if news is not None:
            news.close()
        staging.clean_up()
        if own_store:
            db.close()


def _pack_stem(visit: model.Visit, template: Template, large_print: bool) -> str:
    codes = visit.countries
    where = "-".join(codes) if len(codes) <= 4 else f"{len(codes)}-countries"
    suffix = "-large-print" if large_print else ""
    return f"{visit.start.isoformat()}-{where}-pack-{template.name}{suffix}"


def _destination(store: Store, code: str, visit: model.Visit | None, template: Template,
                 priorities: Any, options: BuildOptions) -> Destination:
    """One country's brief from the store, and the scorecard it was built from."""
    brief, scorecard = assemble_brief(store.country_file(code), template=template,
                                      priorities=priorities, visit=visit, options=options,
                                      currency=store.currency(code, at=_end_of(options.day)),
                                      stale_after_days=store.stale_after_days())
    return Destination(brief, scorecard)


def _pack_pool(processes: int, db_path: Path | None, template: Template,
               priorities: Any) -> ProcessPoolExecutor:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if db_path is None:
        raise BuildError("a pack built in worker processes needs a store on disk")
    quiet_resource_tracker()
    # spawn, not fork: the GUI calls this from a worker thread, and forking a threaded
    # process can copy a lock some other thread holds
    # the template by name: a used Template holds compiled Jinja code, which cannot pickle
    return ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_start_pack_worker,
                               initargs=(str(db_path), template.name, template.dir.parent,
                                         priorities))


def _stop(pool: ProcessPoolExecutor, *, finished: bool) -> None:
    """Shut the workers down. After a failure, or a caller that stopped iterating
    (Cancel), stop them at once, mid-render, rather than wait for work nobody will use."""
    if finished:
        pool.shutdown(wait=True)
        return
    # before shutdown, which forgets them; Python 3.14 adds pool.terminate_workers()
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
        process.join()


def _start_worker(news=None) -> None:
    """Every pack worker: leave Ctrl-C to the parent (which stops the workers and removes
    their files), and if the parent dies, remove what this worker wrote and exit, so no
    orphan holds the store or leaves a hidden copy of the document behind. ``news``: a
    queue for the worker's progress, which may be lost at exit but never holds it up."""
    import multiprocessing

    if news is not None:
        news.cancel_join_thread()
        _WORKER["news"] = news
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent,), daemon=True,
                         name="briefpack-parent-watch").start()


def _exit_with(parent) -> None:
    parent.join()  # returns when the parent process has gone, however it ended
    for temp in _WORKER.get("writing", ()):
        Path(temp).unlink(missing_ok=True)
    os._exit(1)


def _start_pack_worker(db_path: str, template: str, template_root: Path,
                       priorities: Any) -> None:
    _start_worker()
    _WORKER.update(store=Store.open(db_path, create=False),
                   template=load_template(template, root=template_root),
                   priorities=priorities)


def _assemble_in_worker(job: tuple):
    code, visit, options = job
    return _destination(_WORKER["store"], code, visit, _WORKER["template"],
                        _WORKER["priorities"], options)


def _render_in_worker(fmt: str, renders: _Renders | None, temp: Path) -> None:
    """Render one format; ``renders`` None: the brief (and its layout, once made) the
    previous job of this worker sent."""
    if renders is None:
        renders = _WORKER.get("renders")
        if renders is None:
            raise BuildError(f"the {fmt} renderer was given no brief")
    _WORKER["renders"] = renders
    _WORKER.setdefault("writing", []).append(temp)  # before it exists: see _exit_with
    _create(temp)
    news = _WORKER.get("news")
    report = background.Throttled(lambda detail: news.put((fmt, detail))) if news else None
    renders(fmt, temp, report)

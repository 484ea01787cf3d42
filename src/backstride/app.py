"""What backstride does, one function per use case: plan a runner, report a flare-up, show
a kept revision, read the history, plan a squad (and one runner of it, in a worker). The
CLI parses its options, calls one of these and prints what it returns; nothing here prints.

When a plan is a new revision, and how it is stored, is `revisions`'s business.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backstride.errors import DamagedDatabaseError, InfeasiblePlanError, InputError
from backstride.files import PlanFiles, plan_folder, write_atomically
from backstride.inputs.library import Exercise, load_library
from backstride.inputs.profile import Profile, load_profile
from backstride.plan import Plan
from backstride.render.documents import write_calendar, write_plan_files
from backstride.revisions import (
    calendar_history,
    history_id_for,
    plan_and_store,
    record_flare_up,
    write_revision_files,
)
from backstride.squad import (
    Roster,
    RosterEntry,
    RunnerResult,
    SquadJob,
    executor_for,
    load_roster,
    plan_each,
    worker_library,
)
from backstride.store import SQUAD_SEPARATOR, Report, Revision, Store, database_path

if TYPE_CHECKING:
    from backstride.render.workers import PdfRenderer


# --- one runner ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedRunner:
    plan: Plan
    files: PlanFiles
    status: str  # "new", "profile changed", "replanned" or "unchanged"


def plan_runner(
    profile_path: Path,
    out_dir: Path,
    *,
    overrides: dict[str, Any] | None = None,
    library_dir: Path | None = None,
    db_path: Path | None = None,
    replan: bool = False,
    renderer: PdfRenderer | None = None,
) -> PlannedRunner:
    """Plan the runner of the profile at `profile_path` (`overrides` replacing its fields),
    store the plan as their next revision and write its files to OUT/<athlete id>/."""
    profile = load_profile(profile_path, overrides)
    library = load_library(library_dir)
    assert profile.id is not None
    # One lock from reading the latest revision to writing the files: two runs for the
    # same athlete queue, and the files always show the database's latest revision.
    with Store.open(database_path(db_path)) as store, store.transaction():
        stored = plan_and_store(store, profile, library, plan_folder(out_dir, profile.id),
                                replan)
        files = write_revision_files(store, stored, library, renderer)
    return PlannedRunner(stored.plan, files, stored.status)


@dataclass(frozen=True)
class RevisedPlan:
    plan: Plan
    files: PlanFiles
    changes: list[str]  # day by day, what the flare-up changed
    summary: str  # in one line: "7 days calmer, 3 weeks lighter; nothing else changed"


def report_flare_up(
    athlete_id: str,
    *,
    date: dt.date,
    pain: int,
    worse_with: str | None = None,
    red_flags: Sequence[str] = (),
    note: str = "",
    out_dir: Path | None = None,
    library_dir: Path | None = None,
    db_path: Path | None = None,
    renderer: PdfRenderer | None = None,
) -> RevisedPlan:
    """Re-plan the athlete's current plan from `date` on, store it with the report as the
    next revision and write its files where the plan lives (or to OUT/<athlete id>/).
    `athlete_id` is a history id: `ana-lopez`, or a squad's `harriers/ana-lopez`."""
    from backstride.render.changes import describe_changes, summarize_changes

    library = load_library(library_dir)
    with Store.open(database_path(db_path), create=False) as store, store.transaction():
        old, new = record_flare_up(
            store, athlete_id, library, date=date, pain=pain, worse_with=worse_with,
            red_flags=red_flags, note=note, out_dir=out_dir,
        )
        files = write_revision_files(store, new, library, renderer)
    return RevisedPlan(new.plan, files, describe_changes(old, new.plan, date),
                       summarize_changes(old, new.plan, date))


# --- the history ---------------------------------------------------------------------------


def check_history(db_path: Path | None = None) -> tuple[Path, int]:
    """SQLite's integrity check on the database: its path and its number of athletes, or
    DamagedDatabaseError naming what is wrong."""
    with Store.open(database_path(db_path), create=False) as store:
        problems = store.integrity_problems()
        if problems:
            raise DamagedDatabaseError(f"{store.path}: {'; '.join(problems[:5])}")
        return store.path, len(store.athletes())


def list_athletes(db_path: Path | None = None) -> list[tuple[str, str, int]]:
    """Every athlete in the history: id, name and number of revisions."""
    with Store.open(database_path(db_path), create=False) as store:
        return store.athletes()


@dataclass(frozen=True)
class AthleteHistory:
    revisions: list[Revision]
    reports: list[Report]
    athlete_id: str  # the full id in the history: `harriers/ana-lopez` for `ana-lopez`


def athlete_history(athlete_id: str, db_path: Path | None = None) -> AthleteHistory:
    with Store.open(database_path(db_path), create=False) as store:
        athlete_id = history_id_for(store, athlete_id)
        return AthleteHistory(_revisions_of(store, athlete_id), store.reports(athlete_id),
                              athlete_id)


@dataclass(frozen=True)
class ShownRevision:
    pdf: Path
    rendered: bool  # False: the kept files were already there


def show_revision(
    athlete_id: str, number: int, *, library_dir: Path | None = None,
    db_path: Path | None = None,
) -> ShownRevision:
    """Revision `number`'s files in the athlete's revisions/<number>/, rendered if missing.

    Kept files are never rewritten: a revision kept before calendars existed only gains
    its plan.ics.
    """
    with Store.open(database_path(db_path), create=False) as store:
        athlete_id = history_id_for(store, athlete_id)
        revisions = _revisions_of(store, athlete_id)
        chosen = store.revision(athlete_id, number)
        folder = store.athlete_folder(athlete_id)
        if chosen is None or folder is None:
            raise InputError([f"--show {number}: {athlete_id} has revisions 1 to "
                              f"{len(revisions)}"])
        kept = folder / "revisions" / str(number)
        plan = Plan.model_validate_json(chosen.plan_json)
        if all((kept / name).is_file() for name in ("plan.json", "plan.html", "plan.pdf")):
            if not (kept / "plan.ics").is_file():
                write_calendar(plan, load_library(library_dir), kept / "plan.ics",
                               calendar_history(store, plan, athlete_id))
            return ShownRevision(kept / "plan.pdf", rendered=False)
        files = write_plan_files(plan, load_library(library_dir), kept,
                                 earlier=calendar_history(store, plan, athlete_id))
        return ShownRevision(files.pdf, rendered=True)


def squad_history_id(squad: str, athlete_id: str) -> str:
    """A squad runner's id in the history: `<squad>/<athlete id>`."""
    return f"{squad}{SQUAD_SEPARATOR}{athlete_id}"


def _revisions_of(store: Store, athlete_id: str) -> list[Revision]:
    revisions = store.revisions(athlete_id)
    if not revisions:
        raise InputError([f"no athlete '{athlete_id}' in {store.path}"])
    return revisions


def write_drawing(exercise: Exercise, path: Path) -> None:
    """The exercise's start and end position as an SVG file at `path`."""
    from backstride.render.figure import pose_svg

    if not path.parent.is_dir():
        raise InputError([f"--svg {path}: folder {path.parent} does not exist; create it first"])
    drawing = pose_svg(exercise.pose, exercise.name)

    def write(staged: Path) -> None:
        staged.write_text(drawing, encoding="utf-8")

    try:
        write_atomically(path, write)
    except OSError as error:
        raise InputError([f"--svg {path}: cannot write there ({error.strerror})"]) from None


# --- a squad -------------------------------------------------------------------------------


def read_squad(
    roster_path: Path, overrides: dict[str, Any] | None = None, library_dir: Path | None = None
) -> Roster:
    """The roster, every runner validated; its bad rows are in `problems`, not raised."""
    roster = load_roster(roster_path, overrides)
    load_library(library_dir)  # a broken library is one error, not one per runner
    return roster


@dataclass(frozen=True)
class PlannedSquad:
    folder: Path
    results: list[RunnerResult]  # the runners that could be read, in roster order
    bad_rows: list[RosterEntry]  # and those that could not
    overview: list[Path]  # squad.html, squad.pdf and, when asked, pack.pdf

    @property
    def complete(self) -> bool:
        """Every runner got a plan or a referral."""
        return not self.bad_rows and all(r.status != "failed" for r in self.results)


def plan_squad(
    roster: Roster,
    out_dir: Path,
    *,
    jobs: int | None = None,
    cluster: str | None = None,
    pack: bool = False,
    library_dir: Path | None = None,
    db_path: Path | None = None,
    progress: Callable[[RunnerResult], None] = lambda result: None,
) -> PlannedSquad:
    """Plan every readable runner of `roster` into OUT/<squad name>/<athlete id>/, `jobs` at
    a time (default: the core count) or on a Dask `cluster`, then write the overview and,
    with `pack`, every plan merged into one PDF. `progress` hears of each finished runner."""
    from backstride.render.pdf import prepare_worker

    db = database_path(db_path)
    Store.open(db).close()  # created and migrated once, before the workers race to do it
    folder = out_dir / roster.name
    # The squad's folder only once the executor is there (a cluster may be unreachable).
    with (executor_for(jobs or os.cpu_count() or 1, cluster, prepare_worker) as executor,
          _shared_pages_folder(folder) as shared_pages):
        squad_jobs = [
            SquadJob(row, profile.model_dump_json(), str(folder / (profile.id or "runner")),
                     str(db), str(library_dir) if library_dir else None, shared_pages)
            for row, profile in roster.runners
        ]
        results = plan_each(squad_jobs, executor, plan_squad_runner, progress)
    overview = _write_overview(roster, folder, results, pack)
    return PlannedSquad(folder, results, roster.bad_rows, overview)


def plan_squad_runner(job: SquadJob) -> RunnerResult:
    """Plan, store and render one runner of a squad. Runs in a worker process (local or
    remote); a runner who gets no plan is a result, never an error that stops the squad."""
    profile = Profile.model_validate_json(job.profile_json)
    assert profile.id is not None
    try:
        library = worker_library(job.library_dir)
        with Store.open(Path(job.db_path)) as store:
            # Only deciding and storing the revision holds the lock; rendering does not, so
            # the workers render side by side.
            folder = Path(job.folder)  # OUT/<squad>/<athlete id>
            with store.transaction():
                stored = plan_and_store(store, profile, library, folder,
                                        history_id=squad_history_id(folder.parent.name,
                                                                    profile.id))
            shared = Path(job.shared_pages) if job.shared_pages else None
            write_revision_files(store, stored, library, shared_pages=shared)
    except InfeasiblePlanError as error:
        return RunnerResult(job.row, profile.id, profile.name, "failed",
                            f"no plan fits (week {error.week}): {', '.join(error.rules)}")
    except InputError as error:
        return RunnerResult(job.row, profile.id, profile.name, "failed", "; ".join(error.problems))
    plan = stored.plan
    if plan.referral is not None:
        return RunnerResult(job.row, profile.id, profile.name, "referral", plan.referral.reason)
    return RunnerResult(job.row, profile.id, profile.name, "plan", as_sentences(plan.notes),
                        tuple(week.planned_km for week in plan.weeks),
                        tuple(week.phase for week in plan.weeks))


def as_sentences(notes: list[str]) -> str:
    """The plan's notes as one text for the overview: each a sentence of its own."""
    return " ".join(note if note.endswith((".", "!", "?")) else f"{note}." for note in notes)


@contextlib.contextmanager
def _shared_pages_folder(folder: Path) -> Iterator[str]:
    """A temporary folder in the squad's `folder` that its workers share the pages naming no
    runner through (exercise guides, the cover's second page; see
    `render.pdf.write_plan_pdf`), removed afterwards whatever happens."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".backstride-shared-", dir=folder) as shared:
        yield shared


def _write_overview(
    roster: Roster, folder: Path, results: list[RunnerResult], pack: bool
) -> list[Path]:
    """squad.html, squad.pdf and, with `pack`, pack.pdf (see `render.squad.write_overview`)."""
    from backstride.render.squad import write_overview

    bad_rows = [(entry.row, entry.label,
                 "; ".join(problem.split(": ", 2)[-1] for problem in entry.problems))
                for entry in roster.bad_rows]
    return write_overview(roster.name, folder, results, bad_rows, dict(roster.runners),
                          pack=pack)

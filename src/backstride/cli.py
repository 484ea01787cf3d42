"""The `backstride` command: thin click wrappers that parse, call and print.

Exit codes: 0 done (a plan, or a referral instead of one), 2 bad input,
3 the rules leave no plan for this profile, 1 anything unexpected.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import json
import os
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Iterator
from functools import wraps
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from backstride.errors import DamagedDatabaseError, InfeasiblePlanError, InputError
from backstride.inputs.library import CATEGORIES, Exercise, Library, load_library
from backstride.inputs.profile import KM_PER_MILE, RED_FLAGS, Profile, parse_profile
from backstride.inputs.yamlio import load_yaml_file
from backstride.plan import Plan

EXIT_BAD_INPUT = 2
EXIT_NO_PLAN = 3
EXIT_DAMAGED = 4

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(command: F) -> F:
    """Turn the errors a user can act on into one-line messages and exit codes."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InputError as error:
            for problem in error.problems:
                click.echo(f"error: {problem}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except InfeasiblePlanError as error:
            click.echo(
                f"error: no plan fits these rules together (week {error.week}): "
                f"{error.explanation}",
                err=True,
            )
            click.echo(
                "fix: relax one of them in the profile (more run days or minutes, fewer rest "
                "days or min_rest_days).",
                err=True,
            )
            sys.exit(EXIT_NO_PLAN)
        except sqlite3.OperationalError as error:  # full disk, read-only file, I/O error
            click.echo(f"error: the history database could not be used ({error}); check the "
                       "disk and the file's permissions", err=True)
            sys.exit(1)
        except (sqlite3.DatabaseError, DamagedDatabaseError) as error:
            click.echo(
                f"error: the history database is damaged ({error}); keep a copy, then restore "
                "it from a backup (`backstride history --check` tells)",
                err=True,
            )
            sys.exit(EXIT_DAMAGED)
        except BrokenPipeError:  # output piped into `head` and the like: stop quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        except OSError as error:  # a folder that cannot be written, a full disk
            where = f"{error.filename}: " if error.filename else ""
            click.echo(f"error: {where}{error.strerror or error}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted; no files were changed", err=True)
            sys.exit(130)
        except Exception as error:  # a bug: say so in one line unless debugging
            if os.environ.get("BACKSTRIDE_DEBUG"):
                raise
            click.echo(
                f"internal error: {type(error).__name__}: {error} "
                "(set BACKSTRIDE_DEBUG=1 for details and please report it)",
                err=True,
            )
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="backstride")
def main() -> None:
    """backstride: printable training plans for runners with, or avoiding, low back pain.

    Not medical advice: red flags or severe pain give referral advice, never a plan.
    """


def path_option(flag: str, name: str, help_text: str, folder: bool) -> Callable[[F], F]:
    kind = click.Path(file_okay=not folder, dir_okay=folder, path_type=Path)
    return click.option(flag, name, type=kind, default=None, help=help_text)  # type: ignore[no-any-return]


db_option = path_option(
    "--db", "db_path", "History database (default: $BACKSTRIDE_DB, else backstride.db here).",
    folder=False,
)

def date_option(flag: str, name: str, help_text: str) -> Callable[[F], F]:
    return click.option(  # type: ignore[no-any-return]
        flag, name, type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help=help_text
    )


library_dir_option = path_option(
    "--library", "library_dir",
    "Exercise library folder (default: the one shipped with backstride).", folder=True,
)


@main.command("plan")
@click.argument("profile_path", metavar="PROFILE", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help="Folder for the plan; files go to OUT/<athlete id>/.",
)
@date_option("--start", "start", "First day of the plan (YYYY-MM-DD); overrides the profile.")
@click.option(
    "--weeks",
    type=click.IntRange(1, 52),
    default=None,
    help="Plan length in weeks (1-52); overrides the profile.",
)
@click.option(
    "--replan",
    is_flag=True,
    help="Plan anew even if the profile is unchanged (e.g. once a professional has cleared "
    "the runner after a referral); the new plan is stored as the next revision.",
)
@library_dir_option
@db_option
@reports_errors
def plan_command(
    profile_path: Path,
    out_dir: Path,
    start: dt.datetime | None,
    weeks: int | None,
    replan: bool,
    library_dir: Path | None,
    db_path: Path | None,
) -> None:
    """Build a plan from a PROFILE (YAML or JSON): plan.json, plan.html, plan.pdf and plan.ics.

    The plan is stored in the history database as the athlete's next revision; run again
    with an unchanged profile, the current revision (flare-up changes included) is
    re-rendered rather than planned anew.
    """
    from backstride.render.workers import PdfRenderer

    overrides: dict[str, Any] = {}
    if start is not None:
        overrides["start"] = start.date().isoformat()
    if weeks is not None:
        overrides["weeks"] = weeks
    # Started first, before the imports below: the workers load WeasyPrint while this
    # process imports OR-Tools, reads and solves.
    with PdfRenderer() as renderer:
        from backstride.app import plan_and_store, write_revision_files
        from backstride.files import plan_folder
        from backstride.store import Store, database_path

        profile = read_profile(profile_path, overrides)
        library = load_library(library_dir)
        assert profile.id is not None
        # One lock from reading the latest revision to writing the files: two runs for the
        # same athlete queue, and the files always show the database's latest revision.
        with Store.open(database_path(db_path)) as store, store.transaction():
            stored = plan_and_store(
                store, profile, library, plan_folder(out_dir, profile.id), replan
            )
            files = write_revision_files(store, stored.plan, library, stored.folder, renderer)
    print_summary(stored.plan)
    if stored.status == "unchanged":
        click.echo(f"profile unchanged: re-rendered revision {stored.plan.revision}")
    click.echo(f"wrote {files.pdf}, {files.html.name}, {files.json.name} and "
               f"{files.ics.name} (revision {stored.plan.revision})")


def read_profile(path: Path, overrides: dict[str, Any] | None = None) -> Profile:
    data = load_yaml_file(path)
    if isinstance(data, dict) and overrides:
        data = {**data, **overrides}
    return parse_profile(data, str(path))


def print_summary(plan: Plan) -> None:
    athlete = plan.athlete
    if plan.referral is not None:
        click.echo(f"{athlete.name}: no training plan. {plan.referral.reason}")
        click.echo(f"  {plan.referral.advice}")
        return
    for note in plan.notes:
        click.echo(f"warning: {note}", err=True)
    units = athlete.units
    factor = 1 / KM_PER_MILE if units == "mi" else 1.0
    click.echo(f"{athlete.name}: {len(plan.weeks)} weeks from {athlete.start}")
    click.echo(f"  {'week':>4}  {'starts':<10}  {units:>6}  phase")
    for week in plan.weeks:
        click.echo(
            f"  {week.index:>4}  {week.start.isoformat():<10}  "
            f"{week.planned_km * factor:>6.1f}  {week.phase}"
        )


@main.command("schema")
@click.argument("which", type=click.Choice(["profile", "plan", "exercise"]))
def schema_command(which: str) -> None:
    """Print the JSON Schema of a profile, of plan.json or of one library exercise."""
    model = {"profile": Profile, "plan": Plan, "exercise": Exercise}[which]
    click.echo(json.dumps(model.model_json_schema(), indent=2))


@main.group("library")
def library_group() -> None:
    """Browse and check the exercise library."""


@library_group.command("list")
@click.option("--category", default=None, help="Only this category (core, strength, ...).")
@library_dir_option
@reports_errors
def library_list(category: str | None, library_dir: Path | None) -> None:
    """List the exercises: id, category, equipment and contraindications."""
    library = load_library(library_dir)
    if category and category not in CATEGORIES:
        raise InputError([f"--category {category}: unknown; use one of {', '.join(CATEGORIES)}"])
    for exercise in library.exercises.values():
        if category and exercise.category != category:
            continue
        equipment = ", ".join(exercise.equipment) or "bodyweight"
        avoid = ", ".join(exercise.contraindications)
        click.echo(
            f"{exercise.id:<28} {exercise.category:<15} {equipment:<22} "
            f"{'avoid: ' + avoid if avoid else ''}".rstrip()
        )


@library_group.command("show")
@click.argument("exercise_id", metavar="ID")
@path_option("--svg", "svg_path", "Also write its start and end drawing to this SVG file.",
             folder=False)
@library_dir_option
@reports_errors
def library_show(exercise_id: str, svg_path: Path | None, library_dir: Path | None) -> None:
    """Show one exercise in full (and, with --svg, write its drawing)."""
    library = load_library(library_dir)
    exercise = _find(library, exercise_id)
    click.echo(f"{exercise.name} ({exercise.id}), {exercise.category}")
    click.echo(f"  targets: {', '.join(exercise.targets)}")
    click.echo(f"  equipment: {', '.join(exercise.equipment) or 'none'}")
    click.echo(f"  impact: {exercise.impact}, spine load: {exercise.spine_load}")
    dose = exercise.dose
    parts = [
        f"{dose.sets} sets" if dose.sets else "",
        f"{dose.reps} reps" if dose.reps else "",
        f"{dose.hold_seconds} s hold" if dose.hold_seconds else "",
        "per side" if dose.per_side else "",
        f"about {dose.minutes:g} min",
    ]
    click.echo(f"  dose: {', '.join(p for p in parts if p)}")
    click.echo(f"  easier: {', '.join(exercise.regression) or '-'}")
    click.echo(f"  harder: {', '.join(exercise.progression) or '-'}")
    click.echo(f"  not for: {', '.join(exercise.contraindications) or '-'}")
    click.echo("  cues:")
    for cue in exercise.cues:
        click.echo(f"    - {cue}")
    click.echo(f"  why: {exercise.why}")
    if svg_path is not None:
        _write_drawing(exercise, svg_path)


def _write_drawing(exercise: Exercise, path: Path) -> None:
    from backstride.files import write_atomically
    from backstride.render.figure import pose_svg

    if not path.parent.is_dir():
        raise InputError([f"--svg {path}: folder {path.parent} does not exist; create it first"])
    drawing = pose_svg(exercise.pose, exercise.name)
    try:
        write_atomically(path, lambda staged: staged.write_text(drawing, encoding="utf-8"))
    except OSError as error:
        raise InputError([f"--svg {path}: cannot write there ({error.strerror})"]) from None
    click.echo(f"wrote {path}")


def _find(library: Library, exercise_id: str) -> Exercise:
    if exercise_id not in library.exercises:
        close = [i for i in library.exercises if exercise_id.lower() in i][:5]
        hint = f"; did you mean {', '.join(close)}?" if close else "; see `backstride library list`"
        raise InputError([f"no exercise with id '{exercise_id}' in the library{hint}"])
    return library.get(exercise_id)


@library_group.command("validate")
@click.argument(
    "directory", required=False, type=click.Path(file_okay=False, path_type=Path)
)
@reports_errors
def library_validate(directory: Path | None) -> None:
    """Check a library folder (default: the shipped one) and report every problem."""
    library = load_library(directory)
    click.echo(f"ok: {len(library)} exercises in {directory or 'the shipped library'}")


@main.command("flare-up")
@click.argument("athlete_id", metavar="ATHLETE")
@click.option("--pain", type=click.IntRange(0, 10), required=True, help="Pain today, 0-10.")
@date_option(
    "--date", "report_date",
    "Day of the flare-up (YYYY-MM-DD); default today. The plan changes from this day.",
)
@click.option(
    "--worse-with",
    type=click.Choice(["flexion", "extension", "none"]),
    default=None,
    help="Movement that makes it worse now; sticks for the rest of the plan.",
)
@click.option(
    "--red-flag",
    "red_flags",
    multiple=True,
    type=click.Choice(sorted(RED_FLAGS)),
    help="A red flag present now (repeatable): training stops, referral advice.",
)
@click.option("--note", default="", help="What happened, in a few words.")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write to OUT/<athlete id>/ instead of the folder the plan lives in.",
)
@library_dir_option
@db_option
@reports_errors
def flare_up_command(
    athlete_id: str,
    pain: int,
    report_date: dt.datetime | None,
    worse_with: str | None,
    red_flags: tuple[str, ...],
    note: str,
    out_dir: Path | None,
    library_dir: Path | None,
    db_path: Path | None,
) -> None:
    """Report a flare-up for ATHLETE and re-plan from that day; earlier days stay as they were.

    Writes the next revision (plan.json, HTML, PDF, calendar) where the athlete's plan lives, keeps
    every revision under revisions/N/, and prints what changed, day by day.
    """
    from backstride.render.workers import PdfRenderer

    date = report_date.date() if report_date else dt.date.today()
    with PdfRenderer() as renderer:  # first, as in `plan`
        from backstride.app import record_flare_up, write_revision_files
        from backstride.rules.replan import describe_changes
        from backstride.store import Store, database_path

        library = load_library(library_dir)
        with Store.open(database_path(db_path), create=False) as store, store.transaction():
            old, new, folder = record_flare_up(
                store, athlete_id, library, date=date, pain=pain, worse_with=worse_with,
                red_flags=red_flags, note=note, out_dir=out_dir,
            )
            files = write_revision_files(store, new, library, folder, renderer)
    click.echo(f"{new.athlete.name}: revision {new.revision} after a flare-up on {date} "
               f"(pain {pain}/10)")
    for note_line in new.notes:
        click.echo(f"  {note_line}")
    changes = describe_changes(old, new, date)
    click.echo("changes:" if changes else "no session changed")
    for line in changes:
        click.echo(f"  {line}")
    click.echo(f"wrote {files.pdf}, {files.html.name}, {files.json.name} and {files.ics.name}")


@main.command("history")
@click.argument("athlete_id", metavar="[ATHLETE]", required=False)
@click.option("--show", "show_revision", type=int, default=None,
              help="Re-render revision N into revisions/N/ and print where.")
@click.option("--check", is_flag=True, help="Run SQLite's integrity check on the database.")
@library_dir_option
@db_option
@reports_errors
def history_command(
    athlete_id: str | None,
    show_revision: int | None,
    check: bool,
    library_dir: Path | None,
    db_path: Path | None,
) -> None:
    """List ATHLETE's plan revisions and flare-up reports (without ATHLETE: every athlete)."""
    from backstride.app import calendar_history
    from backstride.files import write_calendar, write_plan_files
    from backstride.store import Store, database_path

    with Store.open(database_path(db_path), create=False) as store:
        if check:
            problems = store.integrity_problems()
            if problems:
                raise DamagedDatabaseError(f"{store.path}: {'; '.join(problems[:5])}")
            click.echo(f"{store.path}: ok, {len(store.athletes())} athlete(s), integrity checked")
            return
        if athlete_id is None:
            for athlete, name, count in store.athletes():
                click.echo(f"{athlete:<30} {name:<30} {count} revision(s)")
            return
        revisions = store.revisions(athlete_id)
        if not revisions:
            raise InputError([f"no athlete '{athlete_id}' in {store.path}"])
        folder = store.athlete_folder(athlete_id)
        reports = store.reports(athlete_id)
        if show_revision is not None:
            chosen = store.revision(athlete_id, show_revision)
            if chosen is None or folder is None:
                raise InputError([
                    f"--show {show_revision}: {athlete_id} has revisions 1 to {len(revisions)}"
                ])
            kept = folder / "revisions" / str(show_revision)
            plan = Plan.model_validate_json(chosen.plan_json)
            # Kept files are never rewritten: a revision kept before calendars existed only
            # gains its plan.ics.
            if all((kept / name).is_file() for name in ("plan.json", "plan.html", "plan.pdf")):
                if not (kept / "plan.ics").is_file():
                    write_calendar(plan, load_library(library_dir), kept / "plan.ics",
                                   calendar_history(store, plan))
                click.echo(f"revision {show_revision} of {athlete_id}: {kept / 'plan.pdf'}")
                return
            files = write_plan_files(plan, load_library(library_dir), kept,
                                     earlier=calendar_history(store, plan))
            click.echo(f"revision {show_revision} of {athlete_id} re-rendered: {files.pdf}")
            return
    click.echo(f"{athlete_id}: {len(revisions)} revision(s), {len(reports)} report(s)")
    for revision in revisions:
        click.echo(f"  revision {revision.number}  {revision.created_at}  {revision.reason}")
    for report in reports:
        flags = f", red flags: {', '.join(report.red_flags)}" if report.red_flags else ""
        note = f" - {report.note}" if report.note else ""
        click.echo(
            f"  report {report.id}  {report.date}  pain {report.pain}/10{flags}{note} "
            f"-> revision {report.revision}"
        )


@main.command("squad")
@click.argument("roster_path", metavar="ROSTER", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("output"), show_default=True,
              help="Plans go to OUT/<squad name>/<athlete id>/.")
@date_option("--start", "start", "First day of every plan (YYYY-MM-DD); overrides the roster.")
@click.option("--weeks", type=click.IntRange(1, 52), default=None,
              help="Plan length in weeks (1-52); overrides the roster.")
@click.option("--jobs", type=click.IntRange(1, 256), default=None,
              help="Runners planned at once, in separate processes (default: the core count).")
@click.option("--pack", is_flag=True,
              help="Also merge every runner's plan into one PDF (pack.pdf) to print at once.")
@click.option("--cluster", default=None, metavar="ADDRESS",
              help="Send the work to a Dask distributed scheduler (needs backstride[cluster]).")
@library_dir_option
@db_option
@reports_errors
def squad_command(
    roster_path: Path,
    out_dir: Path,
    start: dt.datetime | None,
    weeks: int | None,
    jobs: int | None,
    pack: bool,
    cluster: str | None,
    library_dir: Path | None,
    db_path: Path | None,
) -> None:
    """Plan a whole squad from a ROSTER (CSV or YAML): every valid runner gets a plan or a
    referral sheet; bad rows and impossible profiles are listed, and never stop the others.

    Exit code 0 when every runner got a plan or a referral, 1 when some got neither.
    """
    from backstride.render.squad import render_squad_html
    from backstride.squad import SquadJob, executor_for, load_roster, write_squad_files
    from backstride.store import Store, database_path

    overrides: dict[str, Any] = {}
    if start is not None:
        overrides["start"] = start.date().isoformat()
    if weeks is not None:
        overrides["weeks"] = weeks
    roster = load_roster(roster_path, overrides)
    load_library(library_dir)  # a broken library is one error, not one per runner
    for problem in roster.problems:
        click.echo(f"error: {problem}", err=True)
    db = database_path(db_path)
    Store.open(db).close()  # create and migrate once, before the workers race to
    folder = out_dir / roster.name
    # The squad's folder only once the executor is there (a cluster may be unreachable).
    with (executor_for(jobs or os.cpu_count() or 1, cluster) as executor,
          _shared_pages_folder(folder) as shared_pages):
        squad_jobs = [
            SquadJob(entry.row, entry.profile.model_dump_json(),
                     str(folder / (entry.profile.id or "runner")), str(db),
                     str(library_dir) if library_dir else None, shared_pages)
            for entry in roster.entries if entry.profile is not None
        ]
        results = _plan_with_progress(squad_jobs, executor)
    failed = [e for e in roster.entries if e.profile is None]
    bad_rows = [(e.row, e.label, "; ".join(p.split(": ", 2)[-1] for p in e.problems))
                for e in failed]
    files = write_squad_files(folder, render_squad_html(roster.name, results, bad_rows),
                              [r for r in results if r.status != "failed"] if pack else None)
    click.echo(f"squad {roster.name}: {len(roster.entries)} runners, plans in {folder}; "
               f"overview {', '.join(p.name for p in files)}")
    for result in results:
        click.echo(f"  row {result.row:>3}  {result.athlete_id:<24} {result.status:<8} "
                   f"{result.detail[:90]}")
    for entry in failed:
        click.echo(f"  {entry.label}: bad row, not planned")
    if failed or any(result.status == "failed" for result in results):
        sys.exit(1)


@contextlib.contextmanager
def _shared_pages_folder(folder: Path) -> Iterator[str]:
    """A temporary folder in the squad's `folder` that its workers share the pages naming no
    runner through (exercise guides, the cover's second page; see
    `render.pdf.write_plan_pdf`), removed afterwards whatever happens."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".backstride-shared-", dir=folder) as shared:
        yield shared


def _plan_with_progress(squad_jobs: list[Any], executor: Any) -> list[Any]:
    """Plan the squad, a progress bar on a terminal and a line per runner otherwise."""
    from backstride.squad import plan_squad

    if sys.stderr.isatty():
        with click.progressbar(length=len(squad_jobs), label="planning",
                               file=sys.stderr) as bar:
            return plan_squad(squad_jobs, executor, lambda result: bar.update(1))
    done = 0

    def report(result: Any) -> None:
        nonlocal done
        done += 1
        click.echo(f"[{done}/{len(squad_jobs)}] {result.athlete_id}: {result.status}",
                   err=True)

    return plan_squad(squad_jobs, executor, report)


def run() -> None:
    """The console script: `backstride`, then a quick exit (see `_leave`)."""
    try:
        _run()
    except SystemExit as done:
        _leave(done.code)
    _leave(0)


def _leave(code: object) -> NoReturn:
    """Exit with `code` without unloading the interpreter's modules.

    Unloading OR-Tools, numpy and pydantic takes about 0.1 s at the end of every command
    that plans, and a finished command needs none of it: its files are written and
    closed, and the history database is closed. The exit handlers still run (those of
    multiprocessing and Dask), and the output is flushed.
    """
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        click.echo(str(code), err=True)
        status = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(status)


def _run() -> None:
    """click's own usage errors also come as one line and exit 2."""
    try:
        main.main(standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.exceptions.Abort:
        click.echo("interrupted; no files were changed", err=True)
        sys.exit(130)
    except click.ClickException as error:
        if type(error).__name__ == "NoArgsIsHelpError" and getattr(error, "ctx", None):
            click.echo(error.ctx.get_help())  # plain `backstride`: the help, as usual
            sys.exit(0)
        command = f" (see `{error.ctx.command_path} --help`)" if getattr(error, "ctx", None) else ""
        click.echo(f"error: {error.format_message()}{command}", err=True)
        sys.exit(error.exit_code)

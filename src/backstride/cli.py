"""The `backstride` command: thin click wrappers that parse the options, call `app` (or
`check`) and print what it returns.

Exit codes: 0 done (a plan, or a referral instead of one), 2 bad input,
3 the rules leave no plan for this profile, 4 a damaged history database,
1 anything unexpected (and, for `check`, a plan that breaks a rule), 130 interrupted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import os
import signal
import sys
from collections.abc import Callable, Iterator
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from backstride.errors import InputError, explain
from backstride.inputs.red_flags import RED_FLAGS

# Only click and the red flags at import: a command that writes a PDF starts its PDF
# workers first thing (see `render.workers`), and they should not wait for pydantic and
# the models to load. Each command imports what it uses.
if TYPE_CHECKING:
    from backstride.plan import Plan
    from backstride.squad import RunnerResult

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(command: F) -> F:
    """Turn the errors a user can act on into one-line messages and exit codes."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except BrokenPipeError:
            _end_quietly()
        except KeyboardInterrupt:
            _stop_interrupted()
        except Exception as error:
            explained = explain(error)
            if explained is not None:
                lines, exit_code = explained
                for line in lines:
                    click.echo(line, err=True)
                sys.exit(exit_code)
            if os.environ.get("BACKSTRIDE_DEBUG"):  # a bug: one line unless debugging
                raise
            click.echo(
                f"internal error: {type(error).__name__}: {error} "
                "(set BACKSTRIDE_DEBUG=1 for details and please report it)",
                err=True,
            )
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]},
             invoke_without_command=True)
@click.version_option(package_name="backstride")
@click.pass_context
def main(context: click.Context) -> None:
    """backstride: printable training plans for runners with, or avoiding, low back pain.

    Not medical advice: red flags or severe pain give referral advice, never a plan.
    """
    if context.invoked_subcommand is None:  # plain `backstride`: the help, as usual
        click.echo(context.get_help())


def path_option(flag: str, name: str, help_text: str, folder: bool) -> Callable[[F], F]:
    kind = click.Path(file_okay=not folder, dir_okay=folder, path_type=Path)
    return click.option(flag, name, type=kind, default=None, help=help_text)


db_option = path_option(
    "--db", "db_path", "History database (default: $BACKSTRIDE_DB, else backstride.db here).",
    folder=False,
)


def date_option(flag: str, name: str, help_text: str) -> Callable[[F], F]:
    return click.option(
        flag, name, type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help=help_text
    )


library_dir_option = path_option(
    "--library", "library_dir",
    "Exercise library folder (default: the one shipped with backstride).", folder=True,
)


def out_option(default: Path | None, help_text: str) -> Callable[[F], F]:
    return click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
                        default=default, show_default=default is not None, help=help_text)


def weeks_option(overridden: str) -> Callable[[F], F]:
    return click.option("--weeks", type=click.IntRange(1, 52), default=None,
                        help=f"Plan length in weeks (1-52); overrides the {overridden}.")


@main.command("init")
@click.argument("profile_path", metavar="[FILE]", default="profile.yaml",
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--ask/--no-ask", default=None,
              help="Ask for the main values first (default: when run on a terminal).")
@reports_errors
def init_command(profile_path: Path, ask: bool | None) -> None:
    """Write a commented profile to FILE (default profile.yaml), ready to fill in; an
    existing FILE is never overwritten."""
    from backstride.inputs.profile import refuse_existing, write_profile_template
    from backstride.inputs.questions import ask_profile_answers

    refuse_existing(profile_path)  # before any question is asked in vain
    answers = ask_profile_answers() if (sys.stdin.isatty() if ask is None else ask) else {}
    write_profile_template(profile_path, answers)
    todo = "check the other values" if answers else "write your name and check the values"
    click.echo(f"wrote {profile_path}: {todo} in it, then run `backstride plan {profile_path}`")


@main.command("plan")
@click.argument("profile_path", metavar="PROFILE", type=click.Path(path_type=Path))
@out_option(Path("output"), "Folder for the plan; files go to OUT/<athlete id>/.")
@date_option("--start", "start", "First day of the plan (YYYY-MM-DD); overrides the profile.")
@weeks_option("profile")
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
    profile_path: Path, out_dir: Path, start: dt.datetime | None, weeks: int | None,
    replan: bool, library_dir: Path | None, db_path: Path | None,
) -> None:
    """Build a plan from a PROFILE (YAML or JSON): plan.json, plan.html, plan.pdf and plan.ics.

    The plan is stored in the history database as the athlete's next revision; run again
    with an unchanged profile, the current revision (flare-up changes included) is
    re-rendered rather than planned anew.
    """
    from backstride.render.workers import PdfRenderer

    # Started first, before `app` is imported: the workers load WeasyPrint while this
    # process imports OR-Tools, reads and solves.
    with PdfRenderer() as renderer:
        from backstride.app import plan_runner

        planned = plan_runner(profile_path, out_dir, overrides=_overrides(start, weeks),
                              library_dir=library_dir, db_path=db_path, replan=replan,
                              renderer=renderer)
    print_summary(planned.plan)
    if planned.status == "unchanged":
        click.echo(f"profile unchanged: re-rendered revision {planned.plan.revision}")
    files = planned.files
    click.echo(f"wrote {files.pdf}, {files.html.name}, {files.json.name} and "
               f"{files.ics.name} (revision {planned.plan.revision})")


def _overrides(start: dt.datetime | None, weeks: int | None) -> dict[str, Any]:
    """The profile fields given on the command line."""
    overrides: dict[str, Any] = {}
    if start is not None:
        overrides["start"] = start.date().isoformat()
    if weeks is not None:
        overrides["weeks"] = weeks
    return overrides


def print_summary(plan: Plan) -> None:
    """The plan week by week (or the referral), its warnings on standard error."""
    from backstride.render.terminal import summary_lines

    for note in plan.notes if plan.referral is None else []:
        click.echo(f"warning: {note}", err=True)
    for line in summary_lines(plan):
        click.echo(line)


@main.command("schema")
@click.argument("which", type=click.Choice(["profile", "plan", "exercise"]))
@reports_errors
def schema_command(which: str) -> None:
    """Print the JSON Schema of a profile, of plan.json or of one library exercise."""
    from pydantic import BaseModel

    from backstride.inputs.library import Exercise
    from backstride.inputs.profile import Profile
    from backstride.plan import Plan

    models: dict[str, type[BaseModel]] = {"profile": Profile, "plan": Plan, "exercise": Exercise}
    model = models[which]
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
    from backstride.inputs.library import CATEGORIES, load_library

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
    from backstride.inputs.library import load_library

    library = load_library(library_dir)
    exercise = library.find(exercise_id)
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
        from backstride.app import write_drawing

        write_drawing(exercise, svg_path)
        click.echo(f"wrote {svg_path}")


@library_group.command("validate")
@click.argument(
    "directory", required=False, type=click.Path(file_okay=False, path_type=Path)
)
@reports_errors
def library_validate(directory: Path | None) -> None:
    """Check a library folder (default: the shipped one) and report every problem."""
    from backstride.inputs.library import load_library

    library = load_library(directory)
    click.echo(f"ok: {len(library)} exercises in {directory or 'the shipped library'}")


@main.command("check")
@click.argument("plan_path", metavar="PLAN.json", type=click.Path(path_type=Path))
@path_option("--profile", "profile_path", "Judge the plan by this profile's limits (run days, "
             "minutes, equipment, back, volume) instead of those stored in it; the plan keeps "
             "its dates.", folder=False)
@library_dir_option
@reports_errors
def check_command(plan_path: Path, profile_path: Path | None, library_dir: Path | None) -> None:
    """Check a PLAN.json, edited by hand or written by another tool, against every training
    rule: one line per violation, naming the date and the rule.

    Exit code 0 when the plan keeps every rule, 1 when it breaks some, 2 when the file is
    not a plan.
    """
    from backstride.check import check_plan_file

    plan, found = check_plan_file(plan_path, profile_path, library_dir)
    for violation in found:
        click.echo(str(violation))
    if found:
        sys.exit(1)
    click.echo(f"ok: {plan_path} keeps every rule ({len(plan.weeks)} weeks)")


@main.command("flare-up")
@click.argument("athlete_id", metavar="ATHLETE")
@click.option("--pain", type=click.IntRange(0, 10), required=True, help="Pain today, 0-10.")
@date_option(
    "--date", "report_date",
    "Day of the flare-up (YYYY-MM-DD); default today. The plan changes from this day.",
)
@click.option("--worse-with", type=click.Choice(["flexion", "extension", "none"]), default=None,
              help="Movement that makes it worse now; sticks for the rest of the plan.")
@click.option("--red-flag", "red_flags", multiple=True, type=click.Choice(sorted(RED_FLAGS)),
              help="A red flag present now (repeatable): training stops, referral advice.")
@click.option("--note", default="", help="What happened, in a few words.")
@click.option("--verbose", is_flag=True, help="Also list what changed, day by day.")
@out_option(None, "Write to OUT/<athlete id>/ instead of the folder the plan lives in.")
@library_dir_option
@db_option
@reports_errors
def flare_up_command(
    athlete_id: str, pain: int, report_date: dt.datetime | None, worse_with: str | None,
    red_flags: tuple[str, ...], note: str, verbose: bool, out_dir: Path | None,
    library_dir: Path | None, db_path: Path | None,
) -> None:
    """Report a flare-up for ATHLETE and re-plan from that day; earlier days stay as they were.

    Writes the next revision (plan.json, HTML, PDF, calendar) where the athlete's plan lives, keeps
    every revision under revisions/N/, and prints what changed in one line (with --verbose, day
    by day).
    """
    from backstride.render.workers import PdfRenderer

    date = report_date.date() if report_date else dt.date.today()
    with PdfRenderer() as renderer:  # first, as in `plan`
        from backstride.app import report_flare_up

        revised = report_flare_up(
            athlete_id, date=date, pain=pain, worse_with=worse_with, red_flags=red_flags,
            note=note, out_dir=out_dir, library_dir=library_dir, db_path=db_path,
            renderer=renderer,
        )
    click.echo(f"{revised.plan.athlete.name}: revision {revised.plan.revision} after a "
               f"flare-up on {date} (pain {pain}/10)")
    for note_line in revised.plan.notes:
        click.echo(f"  {note_line}")
    click.echo(f"changes: {revised.summary}")
    for line in revised.changes if verbose else []:
        click.echo(f"  {line}")
    files = revised.files
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
    athlete_id: str | None, show_revision: int | None, check: bool, library_dir: Path | None,
    db_path: Path | None,
) -> None:
    """List ATHLETE's plan revisions and flare-up reports (without ATHLETE: every athlete)."""
    from backstride import app

    if check:
        path, athletes = app.check_history(db_path)
        click.echo(f"{path}: ok, {athletes} athlete(s), integrity checked")
        return
    if athlete_id is None:
        for athlete, name, count in app.list_athletes(db_path):
            click.echo(f"{athlete:<30} {name:<30} {count} revision(s)")
        return
    if show_revision is not None:
        shown = app.show_revision(athlete_id, show_revision, library_dir=library_dir,
                                  db_path=db_path)
        done = " re-rendered" if shown.rendered else ""
        click.echo(f"revision {show_revision} of {athlete_id}{done}: {shown.pdf}")
        return
    history = app.athlete_history(athlete_id, db_path)
    click.echo(f"{athlete_id}: {len(history.revisions)} revision(s), "
               f"{len(history.reports)} report(s)")
    for revision in history.revisions:
        click.echo(f"  revision {revision.number}  {revision.created_at}  {revision.reason}")
    for report in history.reports:
        flags = f", red flags: {', '.join(report.red_flags)}" if report.red_flags else ""
        note = f" - {report.note}" if report.note else ""
        click.echo(
            f"  report {report.id}  {report.date}  pain {report.pain}/10{flags}{note} "
            f"-> revision {report.revision}"
        )


@main.command("squad")
@click.argument("roster_path", metavar="ROSTER", type=click.Path(path_type=Path))
@out_option(Path("output"), "Plans go to OUT/<squad name>/<athlete id>/.")
@date_option("--start", "start", "First day of every plan (YYYY-MM-DD); overrides the roster.")
@weeks_option("roster")
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
    roster_path: Path, out_dir: Path, start: dt.datetime | None, weeks: int | None,
    jobs: int | None, pack: bool, cluster: str | None, library_dir: Path | None,
    db_path: Path | None,
) -> None:
    """Plan a whole squad from a ROSTER (CSV or YAML): every valid runner gets a plan or a
    referral sheet; bad rows and impossible profiles are listed, and never stop the others.

    Exit code 0 when every runner got a plan or a referral, 1 when some got neither.
    """
    from backstride import app
    from backstride.render.squad import terminal_note

    roster = app.read_squad(roster_path, _overrides(start, weeks), library_dir)
    for problem in roster.problems:
        click.echo(f"error: {problem}", err=True)
    # A squad runs long in this process: the garbage collector back on (see `run`), and
    # kept off what the command loaded so far, which stays to the end.
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
    with _progress(len(roster.runners)) as progress:
        squad = app.plan_squad(roster, out_dir, jobs=jobs, cluster=cluster, pack=pack,
                               library_dir=library_dir, db_path=db_path, progress=progress)
    click.echo(f"squad {roster.name}: {len(roster.entries)} runners, plans in {squad.folder}; "
               f"overview {', '.join(p.name for p in squad.overview)}")
    for result in squad.results:
        history_id = app.squad_history_id(squad.folder.name, result.athlete_id)
        click.echo(f"  row {result.row:>3}  {history_id:<30} {result.status:<8} "
                   f"{terminal_note(result.detail)}")
    for entry in squad.bad_rows:
        click.echo(f"  {entry.label}: bad row, not planned")
    if not squad.complete:
        sys.exit(1)


@contextlib.contextmanager
def _progress(runners: int) -> Iterator[Callable[[RunnerResult], None]]:
    """A progress bar on a terminal, a line per finished runner otherwise."""
    if sys.stderr.isatty():
        with click.progressbar(length=runners, label="planning", file=sys.stderr) as bar:
            yield lambda result: bar.update(1)
        return
    done = 0

    def report(result: RunnerResult) -> None:
        nonlocal done
        done += 1
        click.echo(f"[{done}/{runners}] {result.athlete_id}: {result.status}", err=True)

    yield report


def _end_quietly() -> NoReturn:
    """Output piped into `head` and the like was closed early: the reader has what it wanted.
    Standard output goes to devnull so the interpreter's last flush finds no closed pipe
    (as Python's documentation on SIGPIPE recommends), and the command ends with 0."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(0)


def _stop_interrupted() -> NoReturn:
    click.echo("interrupted; no files were changed", err=True)
    sys.exit(130)


class Interrupted(KeyboardInterrupt):
    """Ctrl-C, as backstride raises it (see `run`)."""


def _interrupt(signum: int, frame: object) -> None:
    raise Interrupted


def run() -> None:
    """The console script `backstride`; click's own usage errors also come as one line
    and exit 2.

    Ctrl-C raises `Interrupted` rather than a plain KeyboardInterrupt: when the plain one
    lands inside code an extension module runs through `PyRun_String`, CPython notes it as
    unhandled and ends the process by SIGINT at exit, even after backstride handled it
    and chose exit code 130. A subclass is caught the same way and noted by no one.
    """
    signal.signal(signal.SIGINT, _interrupt)
    # A command imports OR-Tools, pandas and the models (its PDF workers, WeasyPrint) and
    # keeps nearly all of it: the garbage collector's full passes over each newly imported
    # module find nothing to free (benchmarks/README.md says what they cost). Off for the
    # command, which makes little garbage of its own (`history --show` lays a plan out in
    # this process: a few percent more memory at its peak); the PDF workers and a squad,
    # which run long, turn it back on (`render.pdf.prepare_worker`, `squad_command`).
    gc.disable()
    try:
        main.main(standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.exceptions.Abort:
        _stop_interrupted()
    except click.exceptions.UsageError as error:
        see = f" (see `{error.ctx.command_path} --help`)" if error.ctx else ""
        click.echo(f"error: {error.format_message()}{see}", err=True)
        sys.exit(error.exit_code)
    except click.ClickException as error:
        click.echo(f"error: {error.format_message()}", err=True)
        sys.exit(error.exit_code)
    finally:
        # The interpreter then shuts down as usual; its last collections just skip the
        # objects a finished command leaves behind (OR-Tools, numpy, WeasyPrint, the plan).
        gc.freeze()

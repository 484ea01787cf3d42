"""Many athletes at once: a coach's roster in, a plan per runner out, in parallel.

A roster is a CSV (one row per runner, the profile's fields as columns, nested
ones dotted: `back.pain`, `max_minutes.sat`; lists joined by `;`; an empty cell
means the default) or a YAML `{name, defaults, athletes: [profiles]}`. A CSV is
read as spreadsheets write it: with or without a byte-order mark, separated by
commas, or by semicolons with decimal commas ("20,5") and lists joined by commas;
rows are named by the number a spreadsheet shows them under. Every
row is validated first and every bad row reported; one runner's failure never
stops the others. Planning goes through a `concurrent.futures.Executor`, so the
code that plans one runner does not know whether it runs here or elsewhere.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backstride.errors import InputError
from backstride.files import folder_slug
from backstride.inputs.library import Library, default_library_dir, load_library
from backstride.inputs.profile import Profile, parse_profile
from backstride.inputs.yamlio import load_yaml_file, read_text

LIST_FIELDS = {"run_days", "rest_days", "equipment", "cross_training", "back.conditions",
               "back.red_flags"}


@dataclass(frozen=True)
class RosterEntry:
    row: int  # the spreadsheet's row number (the header is row 1), or the YAML item from 1
    label: str  # how messages name the runner: "row 3 (Ana Lopez)"
    profile: Profile | None
    problems: tuple[str, ...]


@dataclass(frozen=True)
class Roster:
    name: str
    entries: tuple[RosterEntry, ...]

    @property
    def problems(self) -> list[str]:
        return [problem for entry in self.entries for problem in entry.problems]

    @property
    def runners(self) -> list[tuple[int, Profile]]:
        """The rows that read as a profile, with their row numbers: the ones to plan."""
        return [(entry.row, entry.profile) for entry in self.entries
                if entry.profile is not None]

    @property
    def bad_rows(self) -> list[RosterEntry]:
        return [entry for entry in self.entries if entry.profile is None]


@dataclass(frozen=True)
class RunnerResult:
    row: int
    athlete_id: str
    name: str
    status: str  # "plan", "referral" or "failed"
    detail: str
    weekly_km: tuple[float, ...] = ()
    phases: tuple[str, ...] = ()


MAX_RUNNERS = 10_000  # a large federation; each runner is a plan, a PDF and a history row


def load_roster(
    path: Path, overrides: dict[str, Any] | None = None, *, today: dt.date | None = None
) -> Roster:
    """Read a CSV or YAML roster and validate every runner, keeping every problem; `today`
    (default: the real one) as for `parse_profile`."""
    misread: dict[int, str] = {}  # rows whose cells do not line up with the columns
    if path.suffix.lower() == ".csv":
        name, rows = folder_slug(path.stem, "squad"), _csv_rows(path, misread)
    else:
        name, rows = _yaml_rows(path)
    if len(rows) > MAX_RUNNERS:
        raise InputError([
            f"{path}: {len(rows):,} runners; a roster holds at most {MAX_RUNNERS:,}, "
            "split it into several squads"
        ])
    entries = []
    for number, data in rows:
        data = {**data, **(overrides or {})}
        source = f"{path}: row {number}"
        if number in misread:
            entries.append(RosterEntry(number, _label(number, data), None,
                                       (f"{source}: {misread[number]}",)))
            continue
        try:
            entries.append(RosterEntry(number, _label(number, data),
                                       parse_profile(data, source, today=today), ()))
        except InputError as error:
            entries.append(RosterEntry(number, _label(number, data), None,
                                       tuple(error.problems)))
    _check_unique_ids(path, entries)
    return Roster(name, tuple(entries))


def _label(number: int, data: dict[str, Any]) -> str:
    name = data.get("name")
    return f"row {number} ({name})" if isinstance(name, str) and name.strip() else f"row {number}"


# Spreadsheets write these between cells: `,` in English, `;` where the comma is the
# decimal point, and a tab when asked to.
DELIMITERS = (",", ";", "\t")
_EXCEL_SEPARATOR_LINE = re.compile(r"sep=(.)")  # Excel's own first line naming the delimiter
_LIST_ITEM_SEPARATOR = re.compile(r"[;,]")


def _csv_rows(path: Path, misread: dict[int, str]) -> list[tuple[int, dict[str, Any]]]:
    """The runners' rows, by spreadsheet row number; a row with more cells than there are
    columns goes into `misread` as well, saying why."""
    lines = read_text(path).splitlines(keepends=True)
    named = _EXCEL_SEPARATOR_LINE.fullmatch(lines[0].strip())
    if named:  # Excel shows no row for this line
        lines = lines[1:]
    header = lines[0] if lines else ""
    delimiter = named.group(1) if named else max(DELIMITERS, key=header.count)
    reader = csv.reader(lines, delimiter=delimiter)
    columns = [column.strip() for column in next(reader, [])]
    if "name" not in columns:
        raise InputError([f"{path}: the first line must name the columns, `name` among them"])
    rows = []
    for number, cells in enumerate(reader, start=2):  # the header is the spreadsheet's row 1
        data: dict[str, Any] = {}
        for key, cell in zip(columns, cells, strict=False):  # short rows: defaults
            if key and cell.strip():  # an empty cell means the default
                _set_dotted(data, key, _cell_value(key, cell.strip()))
        if not data:  # rows left empty (a spreadsheet's blank line) hold no runner
            continue
        rows.append((number, data))
        if any(cell.strip() for cell in cells[len(columns):]):
            misread[number] = _overfull_row(len(cells), len(columns), delimiter)
    return rows


def _overfull_row(cells: int, columns: int, delimiter: str) -> str:
    why = ("a decimal comma splits a number in two in a comma-separated file: write 20.5, "
           "or save the file separated by semicolons" if delimiter == ","
           else f"a cell holds a `{delimiter}`; quote that cell")
    return f"{cells} cells but only {columns} columns; {why}"


def _cell_value(key: str, cell: str) -> Any:
    # Lists are joined by `;` in a comma-separated file and by `,` in a semicolon-separated
    # one; no list item (a weekday, an id) ever holds either, so both are read either way.
    if key in LIST_FIELDS:
        return [item.strip() for item in _LIST_ITEM_SEPARATOR.split(cell) if item.strip()]
    return cell


def _set_dotted(data: dict[str, Any], key: str, value: Any) -> None:
    parts = key.split(".")
    for part in parts[:-1]:
        data = data.setdefault(part, {})
        if not isinstance(data, dict):  # a `back` column beside `back.pain`: the plain
            return  # value stays, and validation says it must be a mapping
    data[parts[-1]] = value


def _yaml_rows(path: Path) -> tuple[str, list[tuple[int, dict[str, Any]]]]:
    data = load_yaml_file(path)
    if not isinstance(data, dict) or not isinstance(data.get("athletes"), list):
        raise InputError([f"{path}: must be a mapping with `athletes: [profiles]` "
                          "(and optionally `name` and `defaults`)"])
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise InputError([f"{path}: defaults: must be a mapping of profile fields"])
    name = folder_slug(str(data.get("name") or path.stem), "squad")
    rows = []
    for number, athlete in enumerate(data["athletes"], start=1):
        if not isinstance(athlete, dict):
            rows.append((number, {"__not_a_mapping__": athlete}))
            continue
        rows.append((number, _merge(defaults, athlete)))
    return name, rows


def _merge(defaults: dict[str, Any], athlete: dict[str, Any]) -> dict[str, Any]:
    merged = dict(defaults)
    for key, value in athlete.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def _check_unique_ids(path: Path, entries: list[RosterEntry]) -> None:
    seen: dict[str, int] = {}
    for position, entry in enumerate(entries):
        if entry.profile is None or entry.profile.id is None:
            continue
        if entry.profile.id in seen:
            problem = (f"{path}: row {entry.row}: id: '{entry.profile.id}' is already used by "
                       f"row {seen[entry.profile.id]}; give this runner an `id`")
            entries[position] = RosterEntry(entry.row, entry.label, None, (problem,))
        else:
            seen[entry.profile.id] = entry.row


@dataclass(frozen=True)
class SquadJob:
    """Everything a worker needs to plan one runner; plain data, so any executor can ship it."""

    row: int
    profile_json: str
    folder: str
    db_path: str
    library_dir: str | None
    # A folder the squad's workers share the pages naming no runner through (the guides,
    # the cover's second pages: each is laid out once);
    # None: each worker keeps its own.
    shared_pages: str | None = None


def worker_library(directory: str | None) -> Library:
    """The library a worker plans with: loaded once per worker process, not once per runner
    (it also keeps the exercise drawings), and loaded again once its files change (a Dask
    worker outlives one squad run)."""
    return _cached_library(directory, _library_fingerprint(directory))


@functools.lru_cache(maxsize=4)
def _cached_library(directory: str | None, fingerprint: tuple[object, ...]) -> Library:
    return load_library(Path(directory) if directory else None)


def _library_fingerprint(directory: str | None) -> tuple[object, ...]:
    folder = Path(directory) if directory else default_library_dir()
    try:
        return tuple((path.name, stat.st_mtime_ns, stat.st_size)
                     for path in sorted(folder.glob("*.yaml")) for stat in [path.stat()])
    except OSError:
        return ()  # load_library reports what is wrong with the folder


def plan_each(
    jobs: Iterable[SquadJob],
    executor: Executor,
    plan_one: Callable[[SquadJob], RunnerResult],
    progress: Callable[[RunnerResult], None] = lambda result: None,
) -> list[RunnerResult]:
    """`plan_one` every job through `executor`; results in roster order, whatever the finish
    order. `plan_one` must be a module-level function: the executor ships it by name."""
    futures = [executor.submit(plan_one, job) for job in jobs]
    results = []
    for future in as_completed(futures):
        result = future.result()
        progress(result)
        results.append(result)
    return sorted(results, key=lambda result: result.row)


def executor_for(
    jobs: int, cluster: str | None, initializer: Callable[[], None] | None = None
) -> Executor:
    """Local worker processes, each started with `initializer`, or a Dask cluster's
    executor: the planning code is the same."""
    if cluster is None:
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(max_workers=jobs, initializer=initializer)
    try:
        from distributed import Client
    except ImportError:
        raise InputError([
            "--cluster needs Dask distributed: pip install 'backstride[cluster]'"
        ]) from None
    try:
        client = Client(cluster, timeout=10)  # type: ignore[no-untyped-call]  # Dask has no hints
    except OSError as error:
        raise InputError([f"--cluster {cluster}: cannot reach the scheduler ({error})"]) from None
    return _ClientExecutor(client)


class _ClientExecutor(Executor):
    """A Dask client as a concurrent.futures executor that closes the client when done."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self._executor = client.get_executor()

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
        return self._executor.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._executor.shutdown(wait=wait)
        self._client.close()

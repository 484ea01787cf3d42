"""Fuzzing the loaders: whatever a profile, roster or library file holds, the result is a
clear error (InputError, exit 2) or a valid plan, never a crash."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.check import check_plan
from backstride.errors import InfeasiblePlanError, InputError
from backstride.inputs.library import Library, default_library_dir, load_library
from backstride.inputs.profile import load_profile
from backstride.rules.planner import build_plan
from backstride.squad import load_roster
from tests.conftest import BASE_PROFILE, run

FUZZ = settings(max_examples=150, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

PROFILE_FIELDS = [
    "name", "id", "units", "current_weekly", "goal_weekly", "longest_recent_run", "start",
    "weeks", "run_days", "long_run_day", "rest_days", "min_rest_days", "max_minutes",
    "equipment", "cross_training", "experience", "back", "back.pain", "back.worse_with",
    "back.conditions", "back.red_flags", "max_minutes.default", "max_minutes.sat",
]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(-10**30, 10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=40),
    st.sampled_from(["mon", "sat", "km", "mi", "flexion", "2026-12-07", "2026-02-30", "", "-5"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=20,
)


@contextmanager
def written(content: bytes, suffix: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(content)
        yield path


def dump(data: Any, suffix: str) -> bytes:
    if suffix == ".json":
        return json.dumps(data, default=str).encode()
    return yaml.safe_dump(data, allow_unicode=True).encode()


def plan_or_clear_error(path: Path, library: Library) -> str:
    """'error' for an InputError, 'no plan' for a named conflict, 'plan' for a valid plan."""
    try:
        profile = load_profile(path)
    except InputError as error:
        assert error.problems and all(isinstance(p, str) and p for p in error.problems)
        return "error"
    try:
        plan = build_plan(profile, library)
    except InfeasiblePlanError as error:
        assert error.rules
        return "no plan"
    assert check_plan(plan, library) == []
    return "plan"


@st.composite
def mutated_profiles(draw: st.DrawFn) -> dict[str, Any]:
    """A valid profile with a few fields replaced by anything at all."""
    data: dict[str, Any] = dict(BASE_PROFILE)
    for field in draw(st.lists(st.sampled_from(PROFILE_FIELDS), min_size=1, max_size=3)):
        outer, _, inner = field.partition(".")
        if inner:
            nested = data.get(outer) if isinstance(data.get(outer), dict) else {}
            data[outer] = {**nested, inner: draw(values)}
        else:
            data[outer] = draw(values)
    return data


@FUZZ
@given(data=mutated_profiles(), suffix=st.sampled_from([".yaml", ".json"]))
def test_a_profile_with_wrong_values_gives_a_plan_or_a_clear_error(
    library: Library, data: dict[str, Any], suffix: str
) -> None:
    with written(dump(data, suffix), suffix) as path:
        plan_or_clear_error(path, library)


@FUZZ
@given(content=st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(str.encode),
    values.map(lambda v: yaml.safe_dump(v).encode()),
    st.text(alphabet="{}[]:,-&*!|>'\"#% \n\tab1", max_size=200).map(str.encode),
), suffix=st.sampled_from([".yaml", ".json", ".yml"]))
def test_any_bytes_as_a_profile_give_a_clear_error_or_a_plan(
    library: Library, content: bytes, suffix: str
) -> None:
    with written(content, suffix) as path:
        plan_or_clear_error(path, library)


csv_cells = st.one_of(st.text(max_size=12), st.sampled_from(
    ["", "20", "-5", "1e400", "nan", "mon;wed", "mon;;", "true", "2026-12-07", "9" * 40,
     "20,5", "tue,thu", "07.12.2026", "31.02.2026", "12/07/2026", "25 miles", "sep=;"]))


@FUZZ
@given(
    header=st.lists(st.sampled_from([*PROFILE_FIELDS, "", "bogus", "name"]), min_size=1,
                    max_size=8),
    rows=st.lists(st.lists(csv_cells, max_size=9), max_size=6),
    delimiter=st.sampled_from([",", ";", "\t"]),
    byte_order_mark=st.booleans(),
)
def test_any_roster_csv_loads_row_by_row_or_gives_a_clear_error(
    header: list[str], rows: list[list[str]], delimiter: str, byte_order_mark: bool
) -> None:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    encoding = "utf-8-sig" if byte_order_mark else "utf-8"
    with written(text.getvalue().encode(encoding), ".csv") as path:
        try:
            roster = load_roster(path)
        except InputError as error:
            assert error.problems
            return
        for entry in roster.entries:
            assert (entry.profile is None) == bool(entry.problems)


EXERCISE = yaml.safe_load((default_library_dir() / "core.yaml").read_text())[0]
EXERCISE_FIELDS = [*EXERCISE.keys(), "dose.minutes", "dose.sets", "pose.start", "pose.view",
                   "pose.end.trunk", "pose.start.props", "unknown"]


@FUZZ
@given(fields=st.lists(st.tuples(st.sampled_from(EXERCISE_FIELDS), values), max_size=3))
def test_a_library_with_wrong_values_loads_or_gives_a_clear_error(
    fields: list[tuple[str, Any]]
) -> None:
    exercise = json.loads(json.dumps(EXERCISE))
    for field, value in fields:
        target = exercise
        *outer, last = field.split(".")
        for key in outer:
            target = target.setdefault(key, {}) if isinstance(target, dict) else {}
        if isinstance(target, dict):
            target[last] = value
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "core.yaml").write_text(yaml.safe_dump([exercise]))
        try:
            load_library(Path(folder))
        except InputError as error:
            assert error.problems


def deep_yaml(depth: int) -> str:
    return "name: " + "[" * depth + "]" * depth


def alias_bomb() -> str:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    return "\n".join([*lines, "name: Bomb", "current_weekly: 20", "goal_weekly: 30",
                      "equipment: *a8"]) + "\n"


HOSTILE_FILES = {
    "empty.yaml": b"",
    "spaces.yaml": b"   \n\t\n",
    "binary.yaml": bytes(range(256)) * 4,
    "utf16.yaml": "name: Ana".encode("utf-16"),
    "deep.yaml": deep_yaml(50_000).encode(),
    "deep.json": ("[" * 50_000 + "]" * 50_000).encode(),
    "bomb.yaml": alias_bomb().encode(),
    "python.yaml": b"name: !!python/object/apply:os.system ['touch /tmp/backstride-pwned']\n",
    "negative.yaml": b"name: Ana\ncurrent_weekly: -20\ngoal_weekly: -1\n",
    "huge.yaml": b"name: Ana\ncurrent_weekly: 1e308\ngoal_weekly: 9999999999999999999999\n"
                 b"weeks: 10000000000000000000000\n",
    "nan.yaml": b"name: Ana\ncurrent_weekly: .nan\ngoal_weekly: .inf\n",
    "list.yaml": b"- name: Ana\n",
    "keys.yaml": b"? [1, 2]\n: x\n1: 2\nnull: 3\n",
    "tab.yaml": b"name:\tAna\n\tcurrent_weekly: 20\n",
}


@pytest.mark.parametrize("filename", sorted(HOSTILE_FILES))
def test_hostile_profile_files_exit_2_with_one_line_per_problem(
    filename: str, tmp_path: Path
) -> None:
    path = tmp_path / filename
    path.write_bytes(HOSTILE_FILES[filename])
    result = run("plan", str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert all(line.startswith("error: ") for line in result.output.strip().splitlines())
    assert not (tmp_path / "out").exists()
    assert not Path("/tmp/backstride-pwned").exists()


def test_thousands_of_roster_rows_are_checked_and_every_bad_one_named(tmp_path: Path) -> None:
    rows = ["name,current_weekly,goal_weekly,back.pain"]
    for number in range(1, 3001):
        pain = "eleven" if number % 500 == 0 else str(number % 5)
        rows.append(f"Runner {number},{20 + number % 30},{30 + number % 40},{pain}")
    roster = tmp_path / "big.csv"
    roster.write_text("\n".join(rows) + "\n")
    loaded = load_roster(roster)
    bad = [entry for entry in loaded.entries if entry.problems]
    assert len(loaded.entries) == 3000
    # Named by spreadsheet row: the header is row 1.
    assert [entry.row for entry in bad] == [501, 1001, 1501, 2001, 2501, 3001]
    assert all("back.pain" in entry.problems[0] for entry in bad)

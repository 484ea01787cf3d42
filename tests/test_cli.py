"""The `backstride` command as a user runs it: files, messages and exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader

from backstride.cli import main
from backstride.inputs.library import default_library_dir
from tests.conftest import DATA, EXAMPLES, run


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


@pytest.fixture(scope="module")
def ana_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    # Module-scoped, so set up before the per-test database: give it its own.
    db = out / "history.db"
    result = run("plan", str(EXAMPLES / "ana-lopez.yaml"), "--out", str(out), "--db", str(db))
    assert result.exit_code == 0, result.output
    return out / "ana-lopez"


def test_plan_writes_json_html_pdf_and_calendar(ana_plan: Path) -> None:
    names = ["plan.html", "plan.ics", "plan.json", "plan.pdf"]
    assert sorted(p.name for p in ana_plan.iterdir()) == [*names, "revisions"]
    assert sorted(p.name for p in (ana_plan / "revisions" / "1").iterdir()) == names


def test_pdf_has_the_runner_every_week_and_the_disclaimer(ana_plan: Path) -> None:
    plan = json.loads((ana_plan / "plan.json").read_text())
    reader = PdfReader(ana_plan / "plan.pdf")
    text = pdf_text(ana_plan / "plan.pdf")
    assert "Ana Lopez" in text
    for week in plan["weeks"]:
        assert f"Week {week['index']}" in text
    assert len(reader.pages) >= 1 + len(plan["weeks"])
    assert "not medical advice" in text.replace("\n", " ")


def test_plan_json_follows_the_contract(ana_plan: Path) -> None:
    plan = json.loads((ana_plan / "plan.json").read_text())
    assert {"schema_version", "athlete", "revision", "revised_from", "referral", "weeks"} <= set(
        plan
    )
    week = plan["weeks"][0]
    assert {"index", "start", "target_km", "planned_km", "deload", "phase", "days"} <= set(week)
    session = next(s for d in week["days"] for s in d["sessions"] if s["kind"] == "run")
    assert set(session) == {"kind", "title", "run_type", "distance_km", "minutes", "exercises",
                            "why", "effort", "pace", "run_minutes", "warm_up_minutes", "steps"}
    assert plan["schema_version"] == 2
    assert session["effort"]["talk"] and len(session["effort"]["rpe"]) == 2
    assert session["run_minutes"] + session["warm_up_minutes"] == session["minutes"]
    assert set(session["exercises"][0]) == {"id", "name", "sets", "reps", "hold_seconds",
                                            "minutes"}


def test_same_input_gives_a_byte_identical_plan(ana_plan: Path, tmp_path: Path) -> None:
    result = run("plan", str(EXAMPLES / "ana-lopez.yaml"), "--out", str(tmp_path))
    assert result.exit_code == 0
    # plan.ics is left out: its DTSTAMP is the moment the plan was stored in the history.
    for name in ("plan.json", "plan.html", "plan.pdf"):
        again = (tmp_path / "ana-lopez" / name).read_bytes()
        assert again == (ana_plan / name).read_bytes(), name


def test_summary_table_lists_every_week(tmp_path: Path) -> None:
    result = run("plan", str(EXAMPLES / "ana-lopez.yaml"), "--out", str(tmp_path), "--weeks", "3")
    assert result.exit_code == 0
    lines = [line for line in result.output.splitlines() if line.strip()[:1].isdigit()]
    assert len(lines) == 3


def test_miles_runner_sees_miles_but_json_stays_in_km(tmp_path: Path) -> None:
    result = run("plan", str(EXAMPLES / "sam-miles.yaml"), "--out", str(tmp_path), "--weeks", "2")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "sam-carter"
    plan = json.loads((folder / "plan.json").read_text())
    first_run = next(
        s for w in plan["weeks"] for d in w["days"] for s in d["sessions"] if s["kind"] == "run"
    )
    text = pdf_text(folder / "plan.pdf")
    miles = first_run["distance_km"] / 1.609344
    assert f"{miles:.1f} mi" in text
    assert " mi" in result.output.splitlines()[1] or "mi" in result.output


def test_red_flag_gives_a_referral_sheet_and_no_training(tmp_path: Path) -> None:
    result = run("plan", str(EXAMPLES / "referral.yaml"), "--out", str(tmp_path))
    assert result.exit_code == 0
    folder = tmp_path / "lee-morgan"
    plan = json.loads((folder / "plan.json").read_text())
    assert plan["referral"]["red_flags"] == ["night_pain"]
    assert plan["weeks"] == []
    reader = PdfReader(folder / "plan.pdf")
    assert len(reader.pages) == 1
    text = pdf_text(folder / "plan.pdf")
    assert "healthcare professional" in text
    assert "Week 1" not in text


def test_bad_profile_exits_2_with_one_line_per_problem(tmp_path: Path) -> None:
    bad = DATA / "bad_profiles" / "many_problems.yaml"
    out = tmp_path / "out"
    result = run("plan", str(bad), "--out", str(out))
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) >= 4
    assert all(line.startswith(f"error: {bad}: ") for line in lines)
    assert "Traceback" not in result.output
    assert not out.exists()


def test_impossible_profile_exits_3_naming_the_rules(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("plan", str(DATA / "profiles" / "impossible.yaml"), "--out", str(out))
    assert result.exit_code == 3
    assert "minimum_rest_days" in result.output
    assert "core_and_strength_two_to_three_days" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_failed_render_leaves_no_partial_files(tmp_path: Path) -> None:
    # A library without warm-ups lets the plan solve but fails while filling sessions.
    library = tmp_path / "lib"
    shutil.copytree(Path(__file__).parent.parent / "exercise_library", library)
    (library / "warm_up.yaml").unlink()
    out = tmp_path / "out"
    result = run("plan", str(EXAMPLES / "ana-lopez.yaml"), "--out", str(out),
                 "--library", str(library))
    assert result.exit_code == 2
    assert "warm-up" in result.output
    assert not out.exists() or not any(out.rglob("*.*"))


def test_overrides_on_the_command_line(tmp_path: Path) -> None:
    result = run("plan", str(EXAMPLES / "ana-lopez.yaml"), "--out", str(tmp_path),
                 "--start", "2027-01-04", "--weeks", "2")
    assert result.exit_code == 0
    plan = json.loads((tmp_path / "ana-lopez" / "plan.json").read_text())
    assert plan["weeks"][0]["start"] == "2027-01-04" and len(plan["weeks"]) == 2


def schema(which: str) -> dict:
    result = run("schema", which)
    assert result.exit_code == 0
    return json.loads(result.output)


def test_written_plans_match_the_printed_schema(ana_plan: Path, tmp_path: Path) -> None:
    plan_schema = schema("plan")
    jsonschema.validate(json.loads((ana_plan / "plan.json").read_text()), plan_schema)
    referral = run("plan", str(EXAMPLES / "referral.yaml"), "--out", str(tmp_path))
    assert referral.exit_code == 0
    for written in tmp_path.glob("*/plan.json"):
        jsonschema.validate(json.loads(written.read_text()), plan_schema)


def test_library_files_match_the_exercise_schema() -> None:
    exercise_schema = schema("exercise")
    for path in sorted(default_library_dir().glob("*.yaml")):
        for exercise in yaml.safe_load(path.read_text()):
            jsonschema.validate(exercise, exercise_schema)
    assert schema("profile")["type"] == "object"


def test_library_commands() -> None:
    listing = run("library", "list")
    assert listing.exit_code == 0 and "russian-twist" in listing.output
    shown = run("library", "show", "bird-dog")
    assert shown.exit_code == 0 and "cues" in shown.output
    missing = run("library", "show", "no-such-move")
    assert missing.exit_code == 2 and "no exercise with id" in missing.output
    assert run("library", "validate").exit_code == 0


def test_library_validate_reports_a_broken_library() -> None:
    result = run("library", "validate", str(DATA / "broken_library"))
    assert result.exit_code == 2
    assert "progression: no exercise with id 'nowhere'" in result.output
    assert "category" in result.output and "pose: is required" in result.output


def test_usage_errors_are_one_line_from_the_real_command(tmp_path: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "backstride", "flare-up", "ana-lopez", "--pain", "11"],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "--pain" in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_library_show_writes_an_exercise_drawing(tmp_path: Path) -> None:
    target = tmp_path / "bird-dog.svg"
    result = run("library", "show", "bird-dog", "--svg", str(target))
    assert result.exit_code == 0, result.output
    root = ElementTree.fromstring(target.read_text())
    assert root.tag.endswith("svg") and root.find("{http://www.w3.org/2000/svg}title") is not None
    missing = run("library", "show", "bird-dog", "--svg", str(tmp_path / "no" / "x.svg"))
    assert missing.exit_code == 2 and "does not exist" in missing.output


def test_init_writes_a_commented_profile_that_plans_once_the_name_is_written(
    tmp_path: Path,
) -> None:
    from backstride.inputs.profile import load_profile, profile_template

    target = tmp_path / "me.yaml"
    result = run("init", str(target))  # stdin is not a terminal: the template as it is
    assert result.exit_code == 0, result.output
    assert f"wrote {target}: write your name" in result.output
    assert target.read_text() == profile_template()
    target.write_text(target.read_text().replace("name:   ", "name: Ana", 1))
    assert load_profile(target).name == "Ana"


def test_init_asks_the_main_values_showing_the_defaults(tmp_path: Path) -> None:
    from backstride.inputs.profile import load_profile

    target = tmp_path / "me.yaml"
    answers = "Ana Lopez\nmiles\n\n25\nTuesday, thu, funday\ntue thu sun\n"
    result = CliRunner().invoke(main, ["init", str(target), "--ask"], input=answers)
    assert result.exit_code == 0, result.output
    assert "Units for distances, km or mi [km]:" in result.output
    assert "Distance you run a week now, in mi [20]:" in result.output
    assert "Days you can run [tue, thu, sat, sun]:" in result.output
    assert "unknown weekday 'funday'" in result.output  # and asked again
    profile = load_profile(target)
    assert (profile.name, profile.units, profile.current_weekly, profile.goal_weekly) == (
        "Ana Lopez", "mi", 20, 25)
    assert profile.run_days == ["tue", "thu", "sun"]
    assert "# distance you run per week now" in target.read_text()


def test_init_never_overwrites_a_file(tmp_path: Path) -> None:
    target = tmp_path / "me.yaml"
    target.write_text("mine\n")
    result = run("init", str(target))
    assert result.exit_code == 2
    assert result.output.strip() == (f"error: {target}: already exists; backstride init never "
                                     "overwrites a file, give another FILE")
    assert target.read_text() == "mine\n"
    nowhere = run("init", str(tmp_path / "no" / "me.yaml"))
    assert nowhere.exit_code == 2
    assert f"there is no folder {tmp_path / 'no'}" in nowhere.output


@pytest.mark.parametrize("command", [["library", "list"], ["schema", "plan"]])
def test_output_piped_into_a_reader_that_stops_early_ends_quietly_with_0(
    command: list[str],
) -> None:
    import subprocess
    import sys

    # As `backstride ... | head -1` once head has its line: the pipe is closed before
    # backstride writes (it is still importing), so every write finds it closed.
    process = subprocess.Popen([sys.executable, "-m", "backstride", *command],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    error_output = process.stderr.read()
    assert process.wait(timeout=60) == 0
    assert error_output == b""


def test_a_start_more_than_a_year_back_exits_2_naming_the_field(tmp_path: Path) -> None:
    result = run("plan", str(EXAMPLES / "ana-lopez.yaml"), "--out", str(tmp_path),
                 "--start", "2020-12-07")
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {EXAMPLES / 'ana-lopez.yaml'}: start: 2020-12-07 "
                                    "is about 6 years ago")
    assert "typo in the year" in result.output


def test_a_start_in_the_past_is_planned_with_a_warning(tmp_path: Path) -> None:
    import datetime as dt

    start = dt.date.today() - dt.timedelta(days=9)
    result = run("plan", str(EXAMPLES / "ana-lopez.yaml"), "--out", str(tmp_path),
                 "--start", start.isoformat(), "--weeks", "1")
    assert result.exit_code == 0, result.output
    assert f"warning: start {start} was 9 days ago: the plan begins in the past" in result.output

"""Runs in words (plan version 2): the run line with its pace and warm-up minutes, how hard
in words, a quality run's workout and a walk-run's run/walk line, on the week page and in
the calendar, in km and in miles; runs of a version-1 plan render as before."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from backstride.inputs.library import Library
from backstride.plan import Effort, PaceRange, Plan, Session, Step
from backstride.render.documents import render_documents, write_plan_files
from backstride.render.format import format_pace, format_pace_range, session_meta
from backstride.render.html import build_view
from backstride.render.runs import effort_name, effort_words, run_details, workout_line
from tests.conftest import plan_for

EASY_EFFORT = Effort(rpe=(3, 4), talk="full sentences")
TEN_K_EFFORT = Effort(rpe=(7, 8), talk="a few words")
WALK_EFFORT = Effort(rpe=(1, 2), talk="full sentences")
EASY_PACE = PaceRange(slow_s_per_km=390, fast_s_per_km=360)
TEN_K_PACE = PaceRange(slow_s_per_km=300, fast_s_per_km=290)

EASY_RUN = Session(
    kind="run", title="Easy run", run_type="easy", distance_km=6.0, minutes=48,
    why="Easy running builds your aerobic base.", effort=EASY_EFFORT, pace=EASY_PACE,
    run_minutes=36, warm_up_minutes=12,
    steps=[Step(kind="run", distance_m=6000, effort=EASY_EFFORT, pace=EASY_PACE)],
)
QUALITY_RUN = Session(
    kind="run", title="Quality run: intervals", run_type="quality", distance_km=7.1,
    minutes=57, why="Some faster running keeps you efficient.", effort=TEN_K_EFFORT,
    pace=TEN_K_PACE, run_minutes=45, warm_up_minutes=12,  # the main set's effort and pace
    steps=[
        Step(kind="warm_up", distance_m=2000, effort=EASY_EFFORT, pace=EASY_PACE),
        Step(kind="repeat", times=5, steps=[
            Step(kind="run", duration_s=180, effort=TEN_K_EFFORT),
            Step(kind="recover", duration_s=120, effort=EASY_EFFORT),
        ]),
        Step(kind="cool_down", distance_m=1500, effort=EASY_EFFORT, pace=EASY_PACE),
    ],
)
WALK_RUN = Session(
    kind="run", title="Walk-run", run_type="walk_run", distance_km=2.0, minutes=30,
    why="Walk-run intervals bring running back gently.", effort=EASY_EFFORT,
    pace=EASY_PACE, run_minutes=25, warm_up_minutes=12,
    steps=[
        Step(kind="warm_up", duration_s=300, effort=WALK_EFFORT),
        Step(kind="repeat", times=6, steps=[
            Step(kind="run", duration_s=60, effort=EASY_EFFORT, pace=EASY_PACE),
            Step(kind="walk", duration_s=120, effort=WALK_EFFORT),
        ]),
        Step(kind="cool_down", distance_m=400, effort=WALK_EFFORT),
    ],
)
EASY_LINE = {
    "km": "Easy run · 6.0 km · 36 min at 6:00-6:30/km, + 12 min warm-up and cool-down",
    # 360 and 390 s/km are 579 and 628 s/mi; 6 km is 3.7 mi.
    "mi": "Easy run · 3.7 mi · 36 min at 9:39-10:28/mi, + 12 min warm-up and cool-down",
}
EASY_WORDS = "Easy: you can talk in full sentences, RPE 3-4."
QUALITY_WORKOUT = ("2 km easy, 5 x 3 min at 10K effort (RPE 7-8) with 2 min jog, "
                   "1.5 km easy.")
WALK_RUN_WORKOUT = "5 min walk, 6 x (1 min run, 2 min walk), 400 m walk."


def with_runs(plan: Plan, *runs: Session) -> Plan:
    """`plan` with its first week's runs replaced, in turn, by `runs` (repeating the last)."""
    week = plan.weeks[0]
    replacements = iter(runs)
    last = runs[-1]
    days = []
    for day in week.days:
        sessions = [next(replacements, last) if s.kind == "run" else s for s in day.sessions]
        days.append(day.model_copy(update={"sessions": sessions}))
    return plan.model_copy(update={"weeks": [week.model_copy(update={"days": days})]})


def week_page_text(plan: Plan, library: Library) -> str:
    section = next(unit.section for unit in render_documents(plan, library).pdf.units
                   if unit.name == "week-1")
    return html.unescape(section)


@pytest.mark.parametrize("units", ["km", "mi"])
def test_an_easy_run_gives_its_time_pace_warm_up_and_effort_on_the_week_page(
        library: Library, units: str) -> None:
    plan = with_runs(plan_for(library, units=units, current_weekly=15, goal_weekly=20,
                              weeks=1), EASY_RUN)
    page = week_page_text(plan, library)
    assert EASY_LINE[units] in page
    assert EASY_WORDS in page


def test_a_quality_run_prints_its_workout_in_one_line(library: Library) -> None:
    plan = with_runs(plan_for(library, weeks=1), QUALITY_RUN, EASY_RUN)
    page = week_page_text(plan, library)
    assert QUALITY_WORKOUT in page
    assert "10K effort: you can say a few words at a time, RPE 7-8." in page
    # Not "45 min at 4:50-5:00/km": only its hard minutes are run at that pace.
    assert "Quality run: intervals · 7.1 km · 45 min, + 12 min warm-up and cool-down" in page


def test_a_walk_run_prints_its_runs_and_walks(library: Library) -> None:
    plan = with_runs(plan_for(library, weeks=1), WALK_RUN)
    page = week_page_text(plan, library)
    assert f"{WALK_RUN_WORKOUT} {EASY_WORDS}" in page
    assert "Walk-run · 2.0 km · 25 min, + 12 min warm-up and cool-down" in page


def test_a_version_1_run_renders_as_before(library: Library) -> None:
    plan = plan_for(library, weeks=1)
    runs = [s for d in plan.weeks[0].days for s in d.sessions if s.kind == "run"]
    v1_run = runs[0].model_copy(update={"effort": None, "pace": None, "run_minutes": None,
                                        "warm_up_minutes": None, "steps": []})
    assert run_details(v1_run, "km") == []
    assert session_meta(v1_run, "km") == f"{v1_run.distance_km:.1f} km · {v1_run.minutes} min"
    v1_plan = with_runs(plan.model_copy(update={"schema_version": 1}), v1_run)
    page = render_documents(v1_plan, library).html
    assert 'class="run-detail"' not in page
    assert f"{v1_run.title} &#183; {v1_run.distance_km:.1f} km · {v1_run.minutes} min" in page
    sessions = [s for w in build_view(v1_plan, library).weeks for d in w.days
                for s in d.sessions]
    assert all(not session.details for session in sessions)


def test_a_version_1_plan_json_from_the_history_still_renders(library: Library,
                                                              tmp_path: Path) -> None:
    data = json.loads(plan_for(library, weeks=2).to_json())
    data["schema_version"] = 1
    for session in (s for w in data["weeks"] for d in w["days"] for s in d["sessions"]):
        for field in ("effort", "pace", "run_minutes", "warm_up_minutes", "steps"):
            del session[field]
    old = Plan.model_validate(data)
    files = write_plan_files(old, library, tmp_path / "runner")
    assert 'class="run-detail"' not in files.html.read_text()
    assert "RPE" not in files.ics.read_text()
    assert json.loads(files.json.read_text())["schema_version"] == 1


def test_the_cover_s_second_page_gives_the_pain_rule_in_plain_words(library: Library) -> None:
    plan = plan_for(library, weeks=1, back={"pain": 4})
    intro = next(unit.section for unit in render_documents(plan, library).pdf.units
                 if unit.name == "intro")
    text = " ".join(html.unescape(intro).replace("<strong>", "").replace("</strong>", "")
                    .split())
    for words in ("at most 2 points above your usual", "never above 5/10",
                  "back to your usual by the next morning", "must not climb from week to week",
                  "If pain rises during a run", "report a flare-up", "Run tall",
                  "shorter, quicker steps", "500-800 km"):
        assert words in text, words
    assert "above 3/10" not in text  # the old rule, which a runner at pain 4 already broke


@pytest.mark.parametrize(("rpe", "name"), [((1, 2), "very easy"), ((3, 4), "easy"),
                                           ((4, 5), "steady"), ((6, 7), "tempo effort"),
                                           ((7, 8), "10K effort"), ((8, 9), "5K effort"),
                                           ((9, 10), "all-out")])
def test_effort_names_follow_the_top_of_the_rpe_range(rpe: tuple[int, int], name: str) -> None:
    assert effort_name(Effort(rpe=rpe, talk="full sentences")) == name


def test_effort_words_and_paces_in_either_unit() -> None:
    assert effort_words(EASY_EFFORT) == "easy: you can talk in full sentences, RPE 3-4"
    assert effort_words(Effort(rpe=(5, 5), talk="you can chat")) == \
        "steady: you can chat, RPE 5"
    assert format_pace(360, "km") == "6:00" and format_pace(360, "mi") == "9:39"
    assert format_pace_range(PaceRange(slow_s_per_km=300, fast_s_per_km=300), "km") == \
        "5:00/km"


def test_hard_steps_carry_their_pace_and_short_repeats_read_in_metres() -> None:
    strides = Step(kind="repeat", times=6, steps=[
        Step(kind="run", distance_m=400, effort=TEN_K_EFFORT, pace=TEN_K_PACE),
        Step(kind="recover", duration_s=90),
    ])
    assert workout_line([strides], "km") == \
        "6 x 400 m at 10K effort (RPE 7-8, 4:50-5:00/km) with 90 s jog"
    assert workout_line([strides], "mi") == \
        "6 x 400 m at 10K effort (RPE 7-8, 7:47-8:03/mi) with 90 s jog"
    assert workout_line(QUALITY_RUN.steps, "mi") == \
        "1.2 mi easy, 5 x 3 min at 10K effort (RPE 7-8) with 2 min jog, 0.9 mi easy"
    assert workout_line(EASY_RUN.steps, "km") == ""  # an easy run is its title and effort

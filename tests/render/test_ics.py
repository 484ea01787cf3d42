"""plan.ics: one event per training day, readable by two independent parsers, and revisions
that update a calendar instead of doubling it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import icalendar
import pytest
import vobject  # type: ignore[import-untyped]

from backstride.inputs.library import Library
from backstride.render.ics import plan_calendar
from tests.conftest import EXAMPLES, plan_example, plan_for, run
from tests.render.test_runs import (
    EASY_LINE,
    EASY_RUN,
    EASY_WORDS,
    QUALITY_RUN,
    QUALITY_WORKOUT,
    WALK_RUN,
    WALK_RUN_WORKOUT,
    with_runs,
)


def events(ics: bytes) -> dict[str, icalendar.Component]:
    calendar = icalendar.Calendar.from_ical(ics)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def sequence(event: icalendar.Component) -> int:
    return int(str(event["SEQUENCE"]))


def training_days(plan_json: dict[str, Any]) -> list[str]:
    return [day["date"] for week in plan_json["weeks"] for day in week["days"]
            if day["sessions"]]


@pytest.fixture()
def planned(tmp_path: Path) -> Path:
    return plan_example(tmp_path / "out", weeks=4)


def test_one_event_per_training_day_with_stable_uids(planned: Path) -> None:
    plan = json.loads((planned / "plan.json").read_text())
    found = events((planned / "plan.ics").read_bytes())
    days = training_days(plan)
    assert sorted(found) == sorted(f"ana-lopez-{d.replace('-', '')}@backstride" for d in days)
    for event in found.values():
        assert event["STATUS"] == "CONFIRMED" and sequence(event) == 0
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert type(start) is dt.date and end - start == dt.timedelta(days=1)
        assert "revision 1" in str(event["DESCRIPTION"])
        assert "not medical advice" in str(event["DESCRIPTION"])


def test_a_second_independent_parser_reads_the_same_events(planned: Path) -> None:
    text = (planned / "plan.ics").read_text()
    parsed = vobject.readOne(text)
    uids = sorted(str(event.uid.value) for event in parsed.vevent_list)
    assert uids == sorted(events(text.encode()))
    assert all(event.summary.value for event in parsed.vevent_list)


def test_summary_names_the_work_and_description_lists_exercises_with_dose(
    library: Library,
) -> None:
    plan = plan_for(library, run_days=["tue", "thu", "sat"], long_run_day="sat", weeks=2)
    found = events(plan_calendar(plan, library))
    by_date = {event.decoded("DTSTART"): event for event in found.values()}
    for week in plan.weeks:
        for day in week.days:
            if not day.sessions:
                assert day.date not in by_date
                continue
            summary = str(by_date[day.date]["SUMMARY"])
            description = str(by_date[day.date]["DESCRIPTION"])
            assert summary.startswith("Rest day: ") == day.rest
            for session in day.sessions:
                if session.run_type == "long":
                    assert f"Long run {session.distance_km:.1f} km" in summary
                for exercise in session.exercises:
                    assert f"- {exercise.name}: " in description


def test_distances_in_the_runners_units(library: Library) -> None:
    plan = plan_for(library, units="mi", current_weekly=15, goal_weekly=20, weeks=2)
    summaries = [str(e["SUMMARY"]) for e in events(plan_calendar(plan, library)).values()]
    runs = [s for s in summaries if "run " in s]
    assert runs and all(" mi" in s and " km" not in s for s in runs)


@pytest.mark.parametrize("units", ["km", "mi"])
def test_a_run_s_event_gives_its_line_workout_and_effort_as_the_week_page_does(
        library: Library, units: str) -> None:
    plan = with_runs(plan_for(library, units=units, current_weekly=15, goal_weekly=20,
                              weeks=1), EASY_RUN, QUALITY_RUN, WALK_RUN)
    found = events(plan_calendar(plan, library))
    descriptions = {event.decoded("DTSTART"): str(event["DESCRIPTION"])
                    for event in found.values()}
    run_days = [day.date for day in plan.weeks[0].days
                if any(session.kind == "run" for session in day.sessions)]
    easy, quality, walk_run = (descriptions[day] for day in run_days[:3])
    assert f"{EASY_LINE[units]}\n{EASY_WORDS}\n" in easy
    workout = QUALITY_WORKOUT if units == "km" else QUALITY_WORKOUT.replace(
        "2 km", "1.2 mi").replace("1.5 km", "0.9 mi")
    assert f"\n{workout}\n10K effort: you can say a few words at a time, RPE 7-8.\n" in quality
    assert f"\n{WALK_RUN_WORKOUT}\n{EASY_WORDS}\n" in walk_run


def test_a_revision_keeps_every_uid_and_cancels_emptied_days(planned: Path) -> None:
    before = events((planned / "plan.ics").read_bytes())
    first = json.loads((planned / "plan.json").read_text())
    report_day = dt.date.fromisoformat(first["weeks"][1]["start"]) + dt.timedelta(days=2)
    result = run("flare-up", "ana-lopez", "--pain", "8", "--date", report_day.isoformat())
    assert result.exit_code == 0, result.output
    after = events((planned / "plan.ics").read_bytes())
    assert set(before) <= set(after)
    reminder = after.pop("ana-lopez-referral@backstride")
    assert reminder.decoded("DTSTART") == report_day and "doctor" in str(reminder["SUMMARY"])
    for uid, event in after.items():
        assert sequence(event) == 1
        if event.decoded("DTSTART") >= report_day:
            assert event["STATUS"] == "CANCELLED"
        else:
            assert event["STATUS"] == "CONFIRMED"
            assert event["SUMMARY"] == before[uid]["SUMMARY"]
    assert any(e["STATUS"] == "CANCELLED" for e in after.values())
    kept = planned / "revisions"
    assert (kept / "1" / "plan.ics").read_bytes() != (kept / "2" / "plan.ics").read_bytes()


def test_a_changed_day_gets_a_higher_sequence(planned: Path) -> None:
    first = json.loads((planned / "plan.json").read_text())
    before = events((planned / "plan.ics").read_bytes())
    report_day = dt.date.fromisoformat(first["weeks"][1]["start"])
    assert run("flare-up", "ana-lopez", "--pain", "5", "--date", str(report_day)).exit_code == 0
    second = json.loads((planned / "plan.json").read_text())
    changed = second["revised_from"]["changed_days"]
    after = events((planned / "plan.ics").read_bytes())
    assert changed
    for day in changed:
        uid = f"ana-lopez-{day.replace('-', '')}@backstride"
        assert sequence(after[uid]) > sequence(before[uid])


def test_the_same_plan_gives_the_same_calendar(library: Library) -> None:
    plan = plan_for(library, weeks=3)
    assert plan_calendar(plan, library) == plan_calendar(plan, library)


def test_a_referral_gets_one_reminder_instead_of_training(tmp_path: Path) -> None:
    result = run("plan", str(EXAMPLES / "referral.yaml"), "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    (ics,) = tmp_path.glob("*/plan.ics")
    found = events(ics.read_bytes())
    assert len(found) == 1
    (reminder,) = found.values()
    assert "doctor or physiotherapist" in str(reminder["SUMMARY"])
    assert len(vobject.readOne(ics.read_text()).vevent_list) == 1


def test_a_cleared_referral_takes_its_reminder_back(planned: Path) -> None:
    first = json.loads((planned / "plan.json").read_text())
    report_day = dt.date.fromisoformat(first["weeks"][1]["start"])
    assert run("flare-up", "ana-lopez", "--pain", "8", "--date", str(report_day)).exit_code == 0
    result = run("plan", str(EXAMPLES / "ana-lopez.yaml"), "--out", str(planned.parent),
                 "--weeks", "4", "--replan")
    assert result.exit_code == 0, result.output
    reminder = events((planned / "plan.ics").read_bytes())["ana-lopez-referral@backstride"]
    assert reminder["STATUS"] == "CANCELLED" and sequence(reminder) == 2
    assert reminder.decoded("DTSTART") == report_day


@pytest.mark.parametrize("name", [
    "Zoë Ångström-Øvergård, Jr.; the fastest 10 km runner of the Łódź & København club",
    "A\\B; C, D\\" + "é" * 60 + "\\,\\;" * 10,
])
def test_long_lines_are_folded_and_special_characters_read_back_unchanged(
        library: Library, name: str) -> None:
    plan = plan_for(library, name=name, weeks=1)
    ics = plan_calendar(plan, library)
    lines = ics.split(b"\r\n")
    assert lines[-1] == b"" and all(b"\n" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75  # octets, RFC 5545
    for line in lines[:-1]:
        line.decode("utf-8")  # raises if a fold cut a character in two
    # (icalendar leaves an X- property's escapes in; vobject reads it as text.)
    assert vobject.readOne(ics.decode()).contents["x-wr-calname"][0].value == \
        f"backstride: {name}"
    descriptions = [str(event["DESCRIPTION"]) for event in events(ics).values()]
    assert descriptions and all(text.endswith(f"\nbackstride plan, revision 1.\n{plan.disclaimer}")
                                for text in descriptions)

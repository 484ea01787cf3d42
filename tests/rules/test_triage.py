"""Triage before planning: refer, calm down, or carry on."""

from __future__ import annotations

import pytest

from backstride.inputs.library import Library
from backstride.inputs.profile import RED_FLAGS
from backstride.rules.planner import build_plan
from backstride.rules.triage import PainTier, pain_tier
from tests.conftest import make_profile, plan_for


@pytest.mark.parametrize(
    ("pain", "tier"),
    [(0, PainTier.CONTINUE), (2, PainTier.CONTINUE), (3, PainTier.CALM_HALF_RUNNING),
     (4, PainTier.CALM_HALF_RUNNING), (5, PainTier.CALM_NO_RUNNING),
     (6, PainTier.CALM_NO_RUNNING), (7, PainTier.REFER), (10, PainTier.REFER)],
)
def test_pain_tiers(pain: int, tier: PainTier) -> None:
    assert pain_tier(make_profile(back={"pain": pain}).back) is tier


@pytest.mark.parametrize("flag", sorted(RED_FLAGS))
def test_every_red_flag_refers_with_no_training(library: Library, flag: str) -> None:
    plan = build_plan(make_profile(back={"pain": 0, "red_flags": [flag]}), library)
    assert plan.referral is not None and plan.weeks == []
    assert RED_FLAGS[flag] in plan.referral.reason


def test_severe_pain_refers(library: Library) -> None:
    plan = build_plan(make_profile(back={"pain": 7}), library)
    assert plan.referral is not None and "7 out of 10" in plan.referral.reason
    assert plan.weeks == []


def test_pain_5_starts_with_a_calm_week_then_walk_run(library: Library) -> None:
    plan = plan_for(library, back={"pain": 5}, current_weekly=30, goal_weekly=40,
                    cross_training=["swim", "walk"], weeks=4)
    calm, back_to_running = plan.weeks[0], plan.weeks[1]
    assert calm.phase == "calm" and calm.planned_km == 0
    assert all(any(s.kind in ("walk", "cross_training") for s in d.sessions) for d in calm.days)
    assert back_to_running.phase == "return"
    run_types = {s.run_type for d in back_to_running.days for s in d.sessions if s.kind == "run"}
    assert run_types == {"walk_run"}
    assert back_to_running.planned_km <= 15.0
    # Regaining the volume before the calm spell: at most 30% a week, and no further.
    assert plan.weeks[2].planned_km <= min(back_to_running.planned_km * 1.3, 30) + 1e-9


def test_pain_3_cuts_running_to_half_without_long_or_quality(library: Library) -> None:
    plan = plan_for(library, back={"pain": 3}, current_weekly=30, goal_weekly=40,
                    experience="advanced", weeks=3)
    calm = plan.weeks[0]
    assert calm.phase == "calm" and 0 < calm.planned_km <= 15.0
    assert {s.run_type for d in calm.days for s in d.sessions if s.kind == "run"} == {"easy"}


@pytest.mark.parametrize("pain", [3, 5])
def test_calm_weeks_leave_out_flare_up_exercises(library: Library, pain: int) -> None:
    plan = plan_for(library, back={"pain": pain}, equipment=["band", "foam_roller"], weeks=2)
    for week in plan.weeks:
        if week.phase in ("calm", "return"):
            used = {e.id for d in week.days for s in d.sessions for e in s.exercises}
            assert not any("flare_up" in library.get(i).contraindications for i in used)


def test_calm_notes_say_why(library: Library) -> None:
    plan = plan_for(library, back={"pain": 5}, weeks=2)
    assert any("calm week without running" in note for note in plan.notes)

"""Weekly targets: the ramp, deloads, holding at the goal and restarting after calm weeks."""

from __future__ import annotations

from backstride.rules.progression import Ramp, WeekFrame
from backstride.rules.triage import PainTier


def run_ramp(current: float, goal: float, weeks: int, tier: PainTier = PainTier.CONTINUE,
             capacity: int = 10_000) -> list[tuple[str, int]]:
    ramp = Ramp(current, goal, tier)
    out: list[tuple[str, int]] = []
    for index in range(1, weeks + 1):
        frame = ramp.frame(index)
        planned = min(frame.target_tenths, capacity)
        ramp.record(frame, planned)
        out.append((frame.phase, planned))
    return out


def test_ramp_is_ten_percent_with_a_deload_every_fourth_week() -> None:
    weeks = run_ramp(20, 100, 8)
    assert [p for p, _ in weeks] == ["build"] * 3 + ["deload"] + ["build"] * 3 + ["deload"]
    assert [t for _, t in weeks][:3] == [220, 242, 266]
    assert weeks[3][1] == int(266 * 0.78)
    assert weeks[4][1] <= 266 * 1.1


def test_holds_at_the_goal() -> None:
    weeks = run_ramp(30, 33, 6)
    assert [t for _, t in weeks] == [330, 330, 330, int(330 * 0.78), 330, 330]


def test_goal_below_current_steps_down() -> None:
    assert run_ramp(40, 30, 2) == [("build", 300), ("build", 300)]


def test_capacity_limit_ramps_from_what_was_planned() -> None:
    weeks = run_ramp(20, 60, 3, capacity=210)
    assert [t for _, t in weeks] == [210, 210, 210]


def test_calm_without_running_then_walk_run_at_half() -> None:
    weeks = run_ramp(30, 40, 3, tier=PainTier.CALM_NO_RUNNING)
    assert weeks[0] == ("calm", 0)
    assert weeks[1] == ("return", 150)
    assert weeks[2] == ("build", 195)  # regaining: +30%


def test_calm_with_half_running() -> None:
    weeks = run_ramp(30, 40, 2, tier=PainTier.CALM_HALF_RUNNING)
    assert weeks == [("calm", 150), ("build", 195)]


def test_after_a_calm_spell_regain_by_thirty_percent_then_build_by_ten() -> None:
    weeks = run_ramp(30, 60, 7, tier=PainTier.CALM_HALF_RUNNING)
    # Half, then +30% a week (after the deload too) up to the 30 km run before the calm
    # spell, then +10% a week.
    assert weeks == [("calm", 150), ("build", 195), ("build", 253), ("deload", 197),
                     ("build", 256), ("build", 300), ("build", 330)]


def test_no_deload_straight_after_a_calm_or_return_week() -> None:
    # Pain 5-6 reported in week 3: calm, the walk-run return in week 4 (no deload), then
    # weeks 5-7 regain and week 8 deloads.
    ramp = Ramp(30, 40, PainTier.CALM_NO_RUNNING, first_index=3)
    phases = []
    for index in range(3, 9):
        frame = ramp.frame(index)
        ramp.record(frame, frame.target_tenths)
        phases.append(frame.phase)
    assert phases == ["calm", "return", "build", "build", "build", "deload"]
    # Pain 3-4 reported in week 3: week 4, straight after the calm week, regains.
    restarted = Ramp(30, 40, PainTier.CALM_HALF_RUNNING, first_index=3)
    restarted.restart(150)
    assert restarted.frame(4) == WeekFrame(index=4, phase="build", target_tenths=195)


def test_a_pain_free_runners_targets_never_fall_under_90_percent_of_current() -> None:
    for current, goal in ((20, 30), (40, 40), (33, 60)):
        weeks = run_ramp(current, goal, 12)
        assert all(t >= current * 9 for p, t in weeks if p == "build"), (current, goal)


def test_the_hold_floor_is_90_percent_of_current_or_a_lower_goal() -> None:
    assert Ramp(20, 30, PainTier.CONTINUE).hold_floor == 180
    assert Ramp(40, 30, PainTier.CONTINUE).hold_floor == 300
    assert Ramp(20, 30, PainTier.CALM_HALF_RUNNING).hold_floor == 0

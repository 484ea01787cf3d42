"""The training rules the week's model enforces, one function each, in the order they apply.

Each rule adds its constraints to a `WeekModel` under the enforcement literal
`week.rule(name)` gives it, named after the function. When the rules leave no
week at all, the scheduler names the rules that conflict, each with its
docstring: that is what the runner reads, so renaming a rule renames what a
user sees.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from backstride.rules.week import (
    COOL_DOWN_MINUTES,
    CORE_MINUTES,
    DAYS,
    MIN_RUNNING_WEEK_TENTHS,
    MOBILITY_MINUTES,
    STRENGTH_MINUTES,
    WALK_MINUTES,
    WALK_RUN_MAX_MINUTES,
    WARM_UP_MINUTES,
)

if TYPE_CHECKING:  # the scheduler builds the model and calls the rules: no import at run time
    from backstride.rules.scheduler import WeekModel


def days_before_the_report_stay(week: WeekModel) -> None:
    """Days before a flare-up report already happened: they stay exactly as they were."""
    if not week.request.partial:
        return
    on = week.rule("days_before_the_report_stay")
    m = week.model
    for d, kept in enumerate(week.request.fixed_days):
        if kept is None:
            continue
        for variable, value in [*week.day_kinds(d, kept), (week.walk[d], kept.walk)]:
            m.add(variable == int(value)).only_enforce_if(on)
        m.add(week.distance[d] == kept.distance_tenths).only_enforce_if(on)


def runs_only_on_run_days(week: WeekModel) -> None:
    """Runs only on the runner's run days."""
    on = week.rule("runs_only_on_run_days")
    for d in DAYS:
        if week.request.weekdays[d] not in week.request.run_days:
            week.model.add(week.run[d] == 0).only_enforce_if(on)


def rest_days_stay_rest(week: WeekModel) -> None:
    """The profile's rest days are full rest days."""
    on = week.rule("rest_days_stay_rest")
    for d in DAYS:
        if week.request.weekdays[d] in week.request.rest_days:
            week.model.add(week.rest[d] == 1).only_enforce_if(on)


def minimum_rest_days(week: WeekModel) -> None:
    """At least `min_rest_days` full rest days a week (no run, core, strength or cross-training)."""
    on = week.rule("minimum_rest_days")
    r = week.request
    # In a week re-planned after a flare-up, the days already lived may hold fewer rest
    # days than the rule asks; the days left then rest as much as they can.
    kept_rest = sum(day.rest for day in r.fixed_days if day is not None)
    needed = min(r.min_rest_days, kept_rest + len(r.free_days))
    week.model.add(sum(week.rest) >= needed).only_enforce_if(on)


def core_and_strength_two_to_three_days(week: WeekModel) -> None:
    """Core and strength work on 2-3 days a week; one day may hold both, never a rest day."""
    on = week.rule("core_and_strength_two_to_three_days")
    m = week.model
    conditioning = [m.new_bool_var(f"conditioning_{d}") for d in DAYS]
    for d in DAYS:
        m.add_bool_or([week.core[d], week.strength[d]]).only_enforce_if(conditioning[d])
        m.add_implication(week.core[d], conditioning[d])
        m.add_implication(week.strength[d], conditioning[d])
    if not week.request.partial:  # a re-planned week keeps what was done, adds what fits
        m.add(sum(week.core) >= 2).only_enforce_if(on)
        m.add(sum(week.strength) >= 2).only_enforce_if(on)
    m.add(sum(conditioning) <= 3).only_enforce_if(on)


def strength_never_on_consecutive_days(week: WeekModel) -> None:
    """Strength work never on two days in a row (ACSM), across the week boundary too."""
    on = week.rule("strength_never_on_consecutive_days")
    m = week.model
    for d in range(6):
        m.add(week.strength[d] + week.strength[d + 1] <= 1).only_enforce_if(on)
    if week.request.previous_day_strength:
        m.add(week.strength[0] == 0).only_enforce_if(on)
    if week.request.end_free:
        m.add(week.strength[6] == 0).only_enforce_if(on)


def no_strength_the_day_before_the_long_run(week: WeekModel) -> None:
    """No heavy leg work the day before the long-run day, so the long run starts on fresh legs."""
    on = week.rule("no_strength_the_day_before_the_long_run")
    for d in DAYS:
        next_weekday = week.request.weekdays[(d + 1) % 7]
        if next_weekday == week.request.long_run_weekday:
            week.model.add(week.strength[d] == 0).only_enforce_if(on)


def no_strength_on_the_long_run_day(week: WeekModel) -> None:
    """No strength work on the day of the week's longest run, whatever its label: the back
    and legs carry the week's biggest load that day and are not loaded twice."""
    on = week.rule("no_strength_on_the_long_run_day")
    for d in week.request.free_days:  # a day already lived is as it was
        week.model.add(week.strength[d] == 0).only_enforce_if([*on, week.top[d]])


def long_run_only_on_long_run_day(week: WeekModel) -> None:
    """The long run is on the runner's long-run day."""
    on = week.rule("long_run_only_on_long_run_day")
    for d in DAYS:
        if week.request.weekdays[d] != week.request.long_run_weekday:
            week.model.add(week.long[d] == 0).only_enforce_if(on)


def long_and_quality_never_on_consecutive_days(week: WeekModel) -> None:
    """Long and quality runs never on consecutive days, across the week boundary too."""
    on = week.rule("long_and_quality_never_on_consecutive_days")
    m = week.model
    hard = [week.long[d] + week.quality[d] for d in DAYS]
    for d in range(6):
        m.add(hard[d] + hard[d + 1] <= 1).only_enforce_if(on)
    if week.request.previous_day_hard:
        m.add(hard[0] == 0).only_enforce_if(on)
    if week.request.end_free:
        m.add(hard[6] == 0).only_enforce_if(on)


def runs_beside_the_long_run_are_shorter(week: WeekModel) -> None:
    """A run the day before or after the week's longest run is at most 75% of it and never a
    quality run, across the week boundary too: the back recovers around its biggest load."""
    on = week.rule("runs_beside_the_long_run_are_shorter")
    m, r = week.model, week.request
    lived = [day is not None for day in r.fixed_days]
    for d in DAYS:
        for beside in (d - 1, d + 1):
            if beside not in DAYS or (lived[d] and lived[beside]):
                continue  # two days already lived are as they were
            m.add(4 * week.distance[beside] <= 3 * week.distance[d]).only_enforce_if(
                [*on, week.top[d], week.run[beside]]
            )
            m.add(week.quality[beside] == 0).only_enforce_if([*on, week.top[d]])
    before = r.week_before
    if not before.last_run_type or r.fixed_days[0] is not None:
        return
    if before.last_run_was_the_longest:  # last week's long run
        m.add(4 * week.distance[0] <= 3 * before.last_run_tenths).only_enforce_if(on)
        m.add(week.quality[0] == 0).only_enforce_if(on)
    if before.last_run_type == "quality":
        m.add(week.top[0] == 0).only_enforce_if(on)
    else:
        m.add(4 * before.last_run_tenths <= 3 * week.distance[0]).only_enforce_if(
            [*on, week.top[0]]
        )


def long_run_share_of_week(week: WeekModel) -> None:
    """The long run is at most 30% of the week (35% below 20 km, 40% with 3 runs or fewer;
    a runner's own bigger share of their recent week, up to 50%), and no other run of the
    week is longer than it; with two runs, neither is over 60%.

    The limit holds for every run, so that dropping the long-run label (or a run) can never
    lift it; the long run is strictly the longest, so no reading can mistake another for
    it. Only a runner with two run days or fewer gets no long run at all: two runs can
    never both stay under 40% of the week.
    """
    on = week.rule("long_run_share_of_week")
    m, r = week.model, week.request
    open_days = [d for d in r.run_day_indexes if d >= r.no_run_days]
    total = week.total
    if len(open_days) <= 2:
        two_runs = m.new_bool_var("two_runs")
        m.add(sum(week.run) >= 2).only_enforce_if(two_runs)
        m.add(sum(week.run) <= 1).only_enforce_if(~two_runs)
        for d in r.free_days:
            m.add(week.long[d] == 0).only_enforce_if(on)
            m.add(100 * week.distance[d] <= 60 * total).only_enforce_if([*on, two_runs])
        return
    few_runs = m.new_bool_var("three_runs_or_fewer")
    m.add(sum(week.run) <= 3).only_enforce_if(few_runs)
    m.add(sum(week.run) >= 4).only_enforce_if(~few_runs)
    # Planned volume never exceeds the target, so a target under 20 km is a week under 20 km;
    # above it the stricter 30% is used even if the week ends a little under 20 km.
    usual_share = max(35 if r.target_tenths < 200 else 30, r.own_long_run_percent)
    few_runs_share = max(40, r.own_long_run_percent)
    for d in r.free_days:  # runs already done before a flare-up cannot be shortened now
        m.add(100 * week.distance[d] <= few_runs_share * total).only_enforce_if(on)
        m.add(100 * week.distance[d] <= usual_share * total).only_enforce_if([*on, ~few_runs])
    long_day = week.weekday_index(r.long_run_weekday)
    if long_day is not None and r.fixed_days[long_day] is None:
        for other in DAYS:
            if other != long_day:
                m.add(week.distance[other] + 1 <= week.distance[long_day]).only_enforce_if(
                    [*on, week.long[long_day], week.run[other]]
                )


def single_run_within_110_percent(week: WeekModel) -> None:
    """No single run longer than 110% of the longest run of the previous 30 days (Frandsen 2025)."""
    on = week.rule("single_run_within_110_percent")
    for d in week.request.free_days:
        week.model.add(week.distance[d] <= week.request.single_run_cap_tenths).only_enforce_if(on)


def calm_spell_runs_no_longer_than_before(week: WeekModel) -> None:
    """For seven days after a pain 3-4 report no run is longer than the longest of the seven
    days before it: a sore back does not go further than it was already going."""
    r = week.request
    if r.calm_spell_run_cap_tenths is None:
        return
    on = week.rule("calm_spell_runs_no_longer_than_before")
    for d in r.free_days:
        if d < r.easy_only_days:
            week.model.add(week.distance[d] <= r.calm_spell_run_cap_tenths).only_enforce_if(on)


def weekly_volume_within_target(week: WeekModel) -> None:
    """The week's running stays within the progression's target (+10% ramp, deloads, calm weeks)."""
    on = week.rule("weekly_volume_within_target")
    week.model.add(week.total <= week.request.target_tenths).only_enforce_if(on)


def deload_lowers_all_training(week: WeekModel) -> None:
    """A deload week lowers all training, not only running: no more core, strength, mobility
    or cross-training days than the week before."""
    r = week.request
    done_last_week = r.week_before.session_days
    if not r.deload or done_last_week is None:
        return
    on = week.rule("deload_lowers_all_training")
    sessions = (week.core, week.strength, week.mobility, week.cross)
    for variables, days_done in zip(sessions, done_last_week, strict=True):
        week.model.add(sum(variables) <= days_done).only_enforce_if(on)


def mostly_easy_running(week: WeekModel) -> None:
    """About 80% of running is easy: a quality run is at most 20% of the week's distance (and
    so of its running time, quality being faster), one a week."""
    on = week.rule("mostly_easy_running")
    m = week.model
    total = week.total
    for d in week.request.free_days:
        m.add(5 * week.distance[d] <= total).only_enforce_if([*on, week.quality[d]])
    m.add(sum(week.quality) <= 1).only_enforce_if(on)


def run_types_fit_the_phase(week: WeekModel) -> None:
    """Calm weeks: no running at pain 5-6, no long or quality runs at 3-4 (for seven days after
    a flare-up, into the next week); return weeks walk-run; quality only for intermediate and
    advanced runners once the base allows."""
    on = week.rule("run_types_fit_the_phase")
    m, r = week.model, week.request
    for d in r.free_days:
        if not r.running_allowed or d < r.no_run_days:
            m.add(week.run[d] == 0).only_enforce_if(on)
        if not r.long_allowed or d < r.easy_only_days:
            m.add(week.long[d] == 0).only_enforce_if(on)
        if not r.quality_allowed or d < r.easy_only_days:
            m.add(week.quality[d] == 0).only_enforce_if(on)
        if r.walk_run:
            m.add(week.walk_run[d] == week.run[d]).only_enforce_if(on)
        else:
            m.add(week.walk_run[d] == 0).only_enforce_if(on)


def walk_runs_at_most_half_an_hour(week: WeekModel) -> None:
    """A walk-run takes at most 30 minutes (counted at walking pace): a return starts with
    sessions of 20-30 minutes, and its sessions then run more of each minute of it."""
    r = week.request
    if not r.walk_run:
        return
    on = week.rule("walk_runs_at_most_half_an_hour")
    for d in r.free_days:
        cap_tenths = WALK_RUN_MAX_MINUTES * 600 // week.pace[d]
        week.model.add(week.distance[d] <= cap_tenths).only_enforce_if([*on, week.walk_run[d]])


def cross_training_on_non_run_days(week: WeekModel) -> None:
    """Cross-training goes on days without a run."""
    on = week.rule("cross_training_on_non_run_days")
    for d in DAYS:
        week.model.add_implication(week.cross[d], ~week.run[d]).only_enforce_if(on)


def sessions_fit_the_day(week: WeekModel) -> None:
    """A day's sessions together fit that day's max_minutes (a run includes its warm-up and
    cool-down)."""
    on = week.rule("sessions_fit_the_day")
    r = week.request
    for d in r.free_days:  # days already lived fitted the plan they were made for
        # In seconds / 10, so that pace (s/km) times tenths of a km stays an integer.
        used = (
            week.pace[d] * week.distance[d]
            + 600 * (WARM_UP_MINUTES + COOL_DOWN_MINUTES) * week.run[d]
            + 600 * CORE_MINUTES * week.core[d]
            + 600 * STRENGTH_MINUTES * week.strength[d]
            + 600 * MOBILITY_MINUTES * week.mobility[d]
            + 600 * r.cross_training_minutes * week.cross[d]
            + 600 * WALK_MINUTES * week.walk[d]
        )
        week.model.add(used <= 600 * r.day_minutes[d]).only_enforce_if(on)


def at_least_one_run_a_week(week: WeekModel) -> None:
    """A running plan runs: at least one run a week whenever the phase allows running (and the
    week's target is 3 km or more; below that a calm week may rest from running)."""
    r = week.request
    if (not r.running_allowed or r.target_tenths < MIN_RUNNING_WEEK_TENTHS or r.partial
            or r.no_run_days):
        return
    on = week.rule("at_least_one_run_a_week")
    week.model.add(sum(week.run) >= 1).only_enforce_if(on)


def hip_mobility_every_week(week: WeekModel) -> None:
    """A hip-mobility and stretching session every week (tight hips load the lower back)."""
    on = week.rule("hip_mobility_every_week")
    week.model.add(sum(week.mobility) >= 1).only_enforce_if(on)


def keep_walking_when_calm(week: WeekModel) -> None:
    """Never bed rest (NICE NG59): in a calm week every day with time for a walk has a walk,
    a run, cross-training or core and strength work."""
    if not week.request.calm:
        return
    on = week.rule("keep_walking_when_calm")
    for d in week.request.free_days:
        if week.request.day_minutes[d] < WALK_MINUTES:
            continue
        active = [week.walk[d], week.run[d], week.cross[d], week.core[d], week.strength[d]]
        week.model.add_bool_or(active).only_enforce_if(on)


# The rules in the order they are added; every week is solved under all of them.
HARD_RULES: tuple[Callable[[WeekModel], None], ...] = (
    days_before_the_report_stay,
    runs_only_on_run_days,
    rest_days_stay_rest,
    minimum_rest_days,
    core_and_strength_two_to_three_days,
    strength_never_on_consecutive_days,
    no_strength_the_day_before_the_long_run,
    no_strength_on_the_long_run_day,
    long_run_only_on_long_run_day,
    long_and_quality_never_on_consecutive_days,
    runs_beside_the_long_run_are_shorter,
    long_run_share_of_week,
    single_run_within_110_percent,
    calm_spell_runs_no_longer_than_before,
    weekly_volume_within_target,
    deload_lowers_all_training,
    mostly_easy_running,
    run_types_fit_the_phase,
    walk_runs_at_most_half_an_hour,
    cross_training_on_non_run_days,
    sessions_fit_the_day,
    at_least_one_run_a_week,
    hip_mobility_every_week,
    keep_walking_when_calm,
)
RULE_DESCRIPTIONS: dict[str, str] = {
    rule.__name__: " ".join((rule.__doc__ or "").split()) for rule in HARD_RULES
}

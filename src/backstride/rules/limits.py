"""The smallest change that lifts a limit the runner's own profile sets.

When a pain-free runner's week cannot hold their current volume (or the plan
cannot reach their goal), the planner asks here which of the runner's limits
to relax, and by how little. The week is solved again with one limit relaxed
at a time, in the order a runner would feel it least (DESIGN: The smallest
change): a few more minutes on the days whose run fills the day, then one more
run day, then a longer recent long run. The first that holds the volume is
the answer, and the first of another kind its alternative; a dozen solves of a
model that takes milliseconds, so no joint relaxation model is needed.

The long-run share is not relaxed from here: the week's model already gives it
the convention (30-40%) or the runner's own bigger share, at most 50%.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import partial
from typing import Literal

from backstride.inputs.pace import format_distance, km_per_unit
from backstride.inputs.profile import WEEKDAY_NAMES, WEEKDAYS, Profile
from backstride.rules.progression import recent_run_allowing, to_tenths
from backstride.rules.scheduler import solve_week, solved_week
from backstride.rules.week import MAX_DISTANCE_TENTHS, DayPlan, WeekRequest

# More minutes on the days that are full, smallest first: what a runner feels least.
EXTRA_MINUTES = (10, 15, 30)
# Time enough on a full day that its minutes no longer bind, to measure what the week needs.
ROOMY_MINUTES = 240

ChangeKind = Literal["minutes", "run_day", "recent_long_run"]


@dataclass(frozen=True, kw_only=True)
class Change:
    """One relaxation of the runner's own limits, enough to hold the volume on its own."""

    kind: ChangeKind
    weekdays: tuple[str, ...]  # the days given more minutes, or the new run day
    minutes_before: tuple[int, ...] = ()  # each day's minutes now ("minutes" only)
    minutes_after: tuple[int, ...] = ()
    longest_recent_run_km: float = 0.0  # the recent long run it takes ("recent_long_run")

    def clause(self, units: str) -> str:
        """The change in a runner's words: "45 min instead of 30 on Tuesday and Thursday"."""
        if self.kind == "run_day":
            return f"a run on {WEEKDAY_NAMES[self.weekdays[0]]}"
        if self.kind == "recent_long_run":
            return (f"a long run of {format_distance(self.longest_recent_run_km, units)} in the 30 "
                    "days before")
        if len(set(self.minutes_before)) == 1:
            return (f"{self.minutes_after[0]} min instead of {self.minutes_before[0]} on "
                    f"{_and(WEEKDAY_NAMES[day] for day in self.weekdays)}")
        return ", ".join(
            f"{after} min instead of {before} on {WEEKDAY_NAMES[day]}"
            for day, before, after in zip(
                self.weekdays, self.minutes_before, self.minutes_after, strict=True)
        )

    def applied_to(self, profile: Profile) -> Profile:
        """`profile` with this change made, to plan again with it."""
        if self.kind == "run_day":
            days = sorted({*profile.run_days, *self.weekdays}, key=WEEKDAYS.index)
            return profile.model_copy(update={"run_days": days})
        if self.kind == "recent_long_run":
            per_unit = km_per_unit(profile.units)
            run = math.ceil(self.longest_recent_run_km / per_unit * 10 - 1e-9) / 10
            return profile.model_copy(update={"longest_recent_run": run})
        minutes = dict(profile.max_minutes)
        minutes.update(zip(self.weekdays, self.minutes_after, strict=True))
        return profile.model_copy(update={"max_minutes": minutes})


@dataclass(frozen=True, kw_only=True)
class Limit:
    """What holds a week short, and the smallest changes that would lift it."""

    full_days: tuple[tuple[str, int], ...]  # (weekday, tenths) of runs that fill their day
    capped_long_run_tenths: int  # the long run held by the 110% rule; 0 when it is not
    changes: tuple[Change, ...]  # the cheapest first, then an alternative of another kind
    # When no single change is enough: the changes that hold it only all together.
    together: bool = False
    planned_tenths: int  # what the week holds as it is

    def sentence(self, units: str, target: str) -> str:
        """One line: what binds, and what would hold `target` ("your 12 mi")."""
        binding = []
        if self.full_days:
            names = _and(WEEKDAY_NAMES[day] for day, _ in self.full_days)
            longest = max(tenths for _, tenths in self.full_days)
            verb = "holds" if len(self.full_days) == 1 else "hold"
            binding.append(f"{names} {verb} {format_distance(longest / 10, units)} at your pace")
        if self.capped_long_run_tenths:
            binding.append(
                f"the long run holds {format_distance(self.capped_long_run_tenths / 10, units)} "
                "(110% of your longest recent run)"
            )
        if not binding:  # the long-run share, rest days and the like: the week as a whole
            binding.append(f"your week holds {format_distance(self.planned_tenths / 10, units)}")
        said = "; ".join(binding)
        said = said[0].upper() + said[1:]
        if not self.changes:
            return (f"{said}: no change to your days or minutes would hold {target}, "
                    "so the plan holds what they allow.")
        clauses = [change.clause(units) for change in self.changes]
        options = _and(clauses) if self.together else ", or ".join(clauses)
        comma = "," if len(self.changes) > 1 and not self.together else ""
        return f"{said}; {options}{comma} would hold {target}."


def limit_note(
    profile: Profile,
    first_short: WeekRequest | None,
    last_held: WeekRequest | None,
    floor_tenths: int,
) -> str:
    """The plan's one line on the limit that binds: the first build week short of the
    runner's current volume (`first_short`, held to `floor_tenths`) or else the last week
    held short of the ramp (`last_held`), measured against the goal."""
    units = profile.units
    goal_tenths = to_tenths(profile.goal_weekly_km)
    goal = f"your goal of {profile.goal_weekly:g} {units} a week"
    if first_short is not None:
        target = goal if floor_tenths >= goal_tenths else (
            f"your {profile.current_weekly:g} {units} a week")
        return find_limit(first_short, floor_tenths).sentence(units, target)
    assert last_held is not None
    # Weeks after weeks the long run grows by 10% at a time, so the 110% rule does not hold a
    # steady week: only the limits that stay (days, minutes, the long-run share) are tried.
    steady = replace(last_held, target_tenths=goal_tenths,
                     single_run_cap_tenths=MAX_DISTANCE_TENTHS)
    limit = find_limit(steady, goal_tenths)
    if limit.planned_tenths >= goal_tenths:
        return ("The long run grows at most 10% at a time (no run over 110% of your longest "
                f"of the last 30 days), so the weeks build towards {goal} more slowly than "
                "the ramp allows.")
    return limit.sentence(units, goal)


def find_limit(request: WeekRequest, need_tenths: int) -> Limit:
    """Re-solve `request` with one of the runner's limits relaxed at a time and keep the
    cheapest relaxations that plan at least `need_tenths`: at most `len(EXTRA_MINUTES) + 5`
    solves beyond the week itself (which the planner has solved already: it is cached)."""
    week = solve_week(request)
    paces = [request.pace(d) for d in range(7)]
    full = [
        d for d in request.free_days
        if week[d].run_type and _spare_minutes(request, week[d], d, paces[d]) * 600 < paces[d]
    ]
    longest = max(day.distance_tenths for day in week)
    capped = longest if longest and longest >= request.single_run_cap_tenths else 0
    changes: list[Change] = []
    for kind, make in _candidates(request, week, full, longest, need_tenths):
        if changes and kind == changes[0].kind:
            continue  # an alternative says something new, not the same change with more
        made = make()
        if made is None:
            continue
        change, relaxed = made
        held = _planned(relaxed)
        if held < need_tenths:
            continue
        if change.kind == "recent_long_run":
            # The long run the relaxed week needed, and the recent run that allows it.
            ran = max(day.distance_tenths for day in solve_week(relaxed))
            recent = recent_run_allowing(ran)
            change = replace(change, longest_recent_run_km=recent / 10)
        changes.append(change)
        if len(changes) == 2:
            break
    together = not changes
    if together:
        changes = _all_together(request, week, full, need_tenths)
    return Limit(
        full_days=tuple((request.weekdays[d], week[d].distance_tenths) for d in full),
        capped_long_run_tenths=capped,
        changes=tuple(changes),
        together=together,
        planned_tenths=sum(day.distance_tenths for day in week),
    )


def _candidates(
    request: WeekRequest, week: tuple[DayPlan, ...], full: list[int], longest: int,
    need_tenths: int,
) -> Iterator[tuple[ChangeKind, Callable[[], tuple[Change, WeekRequest] | None]]]:
    """Each relaxation's kind and how to make it (with the week it gives), cheapest first;
    made only when asked, as working out the minutes a week needs costs a solve."""
    if full:
        for extra in EXTRA_MINUTES:
            minutes = {d: request.day_minutes[d] + extra for d in full}
            yield "minutes", partial(_more_minutes, request, minutes)

        def needed() -> tuple[Change, WeekRequest] | None:
            minutes = _minutes_needed(request, week, full)
            return _more_minutes(request, minutes) if minutes else None

        yield "minutes", needed
    new_day = _new_run_day(request)
    if new_day is not None:
        change = Change(kind="run_day", weekdays=(new_day,))
        relaxed = replace(request, run_days=request.run_days | {new_day})
        yield "run_day", lambda: (change, relaxed)
    if longest and longest >= request.single_run_cap_tenths:
        # First a long run just long enough for the runs to share the week, then any.
        change_long = Change(kind="recent_long_run", weekdays=())
        runs = len(request.run_day_indexes)
        shared = -(-(need_tenths + runs - 1) // max(runs, 1))
        for cap in (max(shared, request.single_run_cap_tenths + 1), MAX_DISTANCE_TENTHS):
            longer = replace(request, single_run_cap_tenths=cap)
            yield "recent_long_run", partial(lambda week: (change_long, week), longer)


def _more_minutes(request: WeekRequest, minutes: dict[int, int]) -> tuple[Change, WeekRequest]:
    """The change giving each day in `minutes` that many minutes, and the week it gives."""
    days = sorted(minutes)
    change = Change(
        kind="minutes", weekdays=tuple(request.weekdays[d] for d in days),
        minutes_before=tuple(request.day_minutes[d] for d in days),
        minutes_after=tuple(minutes[d] for d in days),
    )
    day_minutes = tuple(minutes.get(d, m) for d, m in enumerate(request.day_minutes))
    return change, replace(request, day_minutes=day_minutes)


def _all_together(
    request: WeekRequest, week: tuple[DayPlan, ...], full: list[int], need_tenths: int
) -> list[Change]:
    """When no single change is enough: every limit relaxed at once, then each relaxation
    kept only as far as that week used it, and checked once more (two solves). Empty when
    even all of them together do not hold `need_tenths`."""
    new_day = _new_run_day(request)
    relaxed = replace(
        _roomy(request, full),
        run_days=request.run_days | ({new_day} if new_day else set()),
        single_run_cap_tenths=MAX_DISTANCE_TENTHS,
    )
    if _planned(relaxed) < need_tenths:
        return []
    loose = solve_week(relaxed)
    changes = []
    minutes = {}
    for d in full:
        used = _minutes_used(request, week, loose, d)
        if used > request.day_minutes[d]:
            minutes[d] = used
    exact = request
    if minutes:
        change, exact = _more_minutes(request, minutes)
        changes.append(change)
    if new_day is not None and loose[request.weekdays.index(new_day)].run_type:
        changes.append(Change(kind="run_day", weekdays=(new_day,)))
        exact = replace(exact, run_days=exact.run_days | {new_day})
    longest = max(day.distance_tenths for day in loose)
    if longest > request.single_run_cap_tenths:
        recent = recent_run_allowing(longest)
        changes.append(Change(kind="recent_long_run", weekdays=(),
                              longest_recent_run_km=recent / 10))
        exact = replace(exact, single_run_cap_tenths=longest)
    return changes if _planned(exact) >= need_tenths else []


def _minutes_needed(
    request: WeekRequest, week: tuple[DayPlan, ...], full: list[int]
) -> dict[int, int]:
    """The minutes each full day needs for the week to plan its target, to the next 5 min:
    the week solved with time enough on those days, then each one's longer run measured
    beside the sessions `week` already gives the day (empty when the week has no answer, or
    a step of `EXTRA_MINUTES` already gives as much)."""
    longer = solved_week(_roomy(request, full))
    if longer is None:
        return {}
    needed = {d: max(request.day_minutes[d], _minutes_used(request, week, longer, d))
              for d in full}
    if all(needed[d] <= request.day_minutes[d] + EXTRA_MINUTES[-1] for d in full):
        return {}
    return needed


def _roomy(request: WeekRequest, full: list[int]) -> WeekRequest:
    """`request` with time enough on the `full` days that their minutes no longer bind."""
    return _more_minutes(request, {d: request.day_minutes[d] + ROOMY_MINUTES for d in full})[1]


def _minutes_used(request: WeekRequest, week: tuple[DayPlan, ...],
                  solved: tuple[DayPlan, ...], d: int) -> int:
    """The minutes day `d` of `week` takes with the run `solved` gives it there, to the next
    5 min."""
    day = replace(week[d], distance_tenths=solved[d].distance_tenths)
    return -(-day.minutes(request.pace(d), request.cross_training_minutes) // 5) * 5


def _new_run_day(request: WeekRequest) -> str | None:
    """The free weekday a run fits best: away from the long run, then from other runs."""
    long_day = request.long_run_weekday
    options = [
        day for day in WEEKDAYS
        if day not in request.run_days and day not in request.rest_days
    ]

    def crowding(day: str) -> tuple[int, int, int]:
        index = WEEKDAYS.index(day)
        neighbours = {WEEKDAYS[(index - 1) % 7], WEEKDAYS[(index + 1) % 7]}
        return (long_day in neighbours, len(neighbours & request.run_days), index)

    return min(options, key=crowding, default=None)


def _planned(request: WeekRequest) -> int:
    days = solved_week(request)  # None: the relaxation breaks another rule (rest days, say)
    return sum(day.distance_tenths for day in days) if days is not None else 0


def _spare_minutes(request: WeekRequest, day: DayPlan, d: int, pace: int) -> int:
    """Minutes of day `d` left over once its sessions (its run at `pace`) are in."""
    return request.day_minutes[d] - day.minutes(pace, request.cross_training_minutes)


def _and(names: Iterable[str]) -> str:
    words = list(names)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]

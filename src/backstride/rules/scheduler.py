"""The CP-SAT model of one training week: which days run, how far, and where the rest goes.

A plan is solved a week at a time (the weekly targets come first, from
`progression`), which keeps every model small enough to solve to optimality in
a few milliseconds. Each training rule of DESIGN.md is one function below with
a docstring; it adds its constraints under an enforcement literal named after
itself. When the rules leave no week at all, those literals, passed as
assumptions, tell which rules conflict, and the user reads their names.

The model decides the day skeleton only; `prescribe` then chooses the exercises
that fill each session.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from ortools.sat.python import cp_model

from backstride.errors import InfeasiblePlanError

DAYS = range(7)

# Minutes reserved in the day for each kind of session; `prescribe` fills
# each one with exercises that fit inside it.
WARM_UP_MINUTES = 6
COOL_DOWN_MINUTES = 6
CORE_MINUTES = 10
STRENGTH_MINUTES = 12
MOBILITY_MINUTES = 8
WALK_MINUTES = 20
CROSS_TRAINING_MINUTES = 30

MIN_RUN_TENTHS = 10  # short enough to fit a 30-minute day or a small deload week
MIN_QUALITY_TENTHS = 40
MIN_RUNNING_WEEK_TENTHS = 30
MAX_DISTANCE_TENTHS = 3000


@dataclass(frozen=True)
class Paces:
    """Seconds per km for each kind of run (DESIGN: minutes come from a pace model)."""

    easy: int
    long: int
    quality: int
    walk_run: int


PACES = {
    "novice": Paces(easy=420, long=435, quality=375, walk_run=570),
    "intermediate": Paces(easy=360, long=375, quality=310, walk_run=510),
    "advanced": Paces(easy=315, long=330, quality=270, walk_run=480),
}


@dataclass(frozen=True)
class DayPlan:
    """The solved skeleton of one day."""

    run_type: str | None
    distance_tenths: int
    core: bool
    strength: bool
    mobility: bool
    cross_training: bool
    walk: bool
    rest: bool


@dataclass(frozen=True)
class WeekRequest:
    """Everything one week's model needs; hashable, so identical weeks are solved once."""

    weekdays: tuple[str, ...]
    day_minutes: tuple[int, ...]
    run_days: frozenset[str]
    rest_days: frozenset[str]
    long_run_weekday: str
    min_rest_days: int
    target_tenths: int
    single_run_cap_tenths: int
    paces: Paces
    running_allowed: bool
    long_allowed: bool
    quality_allowed: bool
    walk_run: bool
    calm: bool
    cross_training_available: bool
    cross_training_minutes: int
    previous_day_strength: bool
    previous_day_hard: bool
    # Days that already happened (before a flare-up report): kept exactly as they were.
    fixed_days: tuple[DayPlan | None, ...] = (None,) * 7
    # Keep the last day free of strength and hard runs, so next week may start with them.
    end_free: bool = False
    # A flare-up's calm spell lasts seven days from the report, so it may run into this
    # week's first days: no running on the first `no_run_days`, easy runs only on the
    # first `easy_only_days`.
    no_run_days: int = 0
    easy_only_days: int = 0

    @property
    def free_days(self) -> list[int]:
        return [d for d in DAYS if self.fixed_days[d] is None]

    @property
    def partial(self) -> bool:
        return any(day is not None for day in self.fixed_days)


class WeekModel:
    """Variables of one week and the enforcement literal of every rule added so far.

    With `explain` off, the rules are plain constraints; with it on, each rule's
    constraints are enforced by a literal of its own, passed as an assumption, so the
    solver can say which rules conflict.
    """

    def __init__(self, request: WeekRequest, explain: bool = False) -> None:
        self.request = request
        self.explain = explain
        self.model = cp_model.CpModel()
        self.rule_literals: dict[str, cp_model.IntVar] = {}
        new_bool = self.model.new_bool_var
        self.pace = [self._pace(d) for d in DAYS]
        self.run = [new_bool(f"run_{d}") for d in DAYS]
        self.easy = [new_bool(f"easy_{d}") for d in DAYS]
        self.long = [new_bool(f"long_{d}") for d in DAYS]
        self.quality = [new_bool(f"quality_{d}") for d in DAYS]
        self.walk_run = [new_bool(f"walk_run_{d}") for d in DAYS]
        # The time cap as a domain helps the search; when explaining, it must come from
        # `sessions_fit_the_day` instead, so that rule can be named.
        self.distance = [
            self.model.new_int_var(
                0, MAX_DISTANCE_TENTHS if explain else self.time_cap_tenths(d), f"tenths_{d}"
            )
            for d in DAYS
        ]
        self.core = [new_bool(f"core_{d}") for d in DAYS]
        self.strength = [new_bool(f"strength_{d}") for d in DAYS]
        self.mobility = [new_bool(f"mobility_{d}") for d in DAYS]
        self.cross = [new_bool(f"cross_{d}") for d in DAYS]
        self.walk = [new_bool(f"walk_{d}") for d in DAYS]
        self.rest = [new_bool(f"rest_{d}") for d in DAYS]
        self._define_day_variables()

    def rule(self, name: str) -> list[cp_model.IntVar]:
        """The enforcement literals of rule `name`'s constraints: its own literal when
        explaining, so the solver can name it; none otherwise, and the rule simply holds
        (a smaller model than one literal fixed true per rule; presolve, which would fold
        those, costs more than it saves on models this small)."""
        if not self.explain:
            return []
        literal = self.model.new_bool_var(name)
        self.rule_literals[name] = literal
        return [literal]

    def _pace(self, d: int) -> int:
        # Minutes are budgeted at the slowest pace a run on that day can have;
        # a quality run is faster, so it always fits in what is reserved.
        r = self.request
        if r.walk_run:
            return r.paces.walk_run
        if r.weekdays[d] == r.long_run_weekday and r.long_allowed:
            return max(r.paces.long, r.paces.easy)
        return r.paces.easy

    def weekday_index(self, weekday: str) -> int | None:
        return self.request.weekdays.index(weekday) if weekday in self.request.weekdays else None

    def time_cap_tenths(self, d: int, other_minutes: int = 0) -> int:
        """The longest run that fits day `d` next to its warm-up, cool-down and other sessions."""
        free = self.request.day_minutes[d] - WARM_UP_MINUTES - COOL_DOWN_MINUTES - other_minutes
        return max(0, min(MAX_DISTANCE_TENTHS, free * 600 // self.pace[d]))

    def _define_day_variables(self) -> None:
        # Definitions, not rules: they tie the variables together and can never conflict.
        m, r = self.model, self.request
        # Tiny weeks (a calm week of a 5 km runner) use shorter runs, so that several of
        # them still fit under the long-run share and a deload can land in its 70-80% band.
        min_run = max(1, min(MIN_RUN_TENTHS, r.single_run_cap_tenths, r.target_tenths // 5))
        for d in DAYS:
            kinds = [self.easy[d], self.long[d], self.quality[d], self.walk_run[d]]
            m.add(sum(kinds) == self.run[d])
            m.add(self.distance[d] == 0).only_enforce_if(~self.run[d])
            m.add(self.distance[d] >= min_run).only_enforce_if(self.run[d])
            m.add(self.distance[d] >= MIN_QUALITY_TENTHS).only_enforce_if(self.quality[d])
            training = [self.run[d], self.core[d], self.strength[d], self.cross[d]]
            m.add_bool_or([*training, self.rest[d]])
            for activity in training:
                m.add_implication(self.rest[d], ~activity)
            if not r.cross_training_available:
                m.add(self.cross[d] == 0)
            if not r.calm and r.fixed_days[d] is None:
                # Outside calm weeks walks are added to rest days after solving.
                m.add(self.walk[d] == 0)

# --- Hard rules -------------------------------------------------------------------------------


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


def long_run_share_of_week(week: WeekModel) -> None:
    """The long run is at most 30% of the week (35% below 20 km, 40% with 3 runs or fewer),
    and no other run of the week is longer than it.

    The limit holds for every run, so that dropping the long-run label (or a run) can never
    lift it; the long run is strictly the longest, so no reading can mistake another for
    it. Only a runner with two run days or fewer gets no long run at all: two runs can
    never both stay under 40% of the week.
    """
    on = week.rule("long_run_share_of_week")
    m, r = week.model, week.request
    open_days = [
        d for d in DAYS
        if r.weekdays[d] in r.run_days and r.weekdays[d] not in r.rest_days
        and d >= r.no_run_days
    ]
    if len(open_days) <= 2:
        for d in r.free_days:
            m.add(week.long[d] == 0).only_enforce_if(on)
        return
    total = sum(week.distance)
    few_runs = m.new_bool_var("three_runs_or_fewer")
    m.add(sum(week.run) <= 3).only_enforce_if(few_runs)
    m.add(sum(week.run) >= 4).only_enforce_if(~few_runs)
    # Planned volume never exceeds the target, so a target under 20 km is a week under 20 km;
    # above it the stricter 30% is used even if the week ends a little under 20 km.
    usual_share = 35 if r.target_tenths < 200 else 30
    for d in r.free_days:  # runs already done before a flare-up cannot be shortened now
        m.add(100 * week.distance[d] <= 40 * total).only_enforce_if(on)
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


def weekly_volume_within_target(week: WeekModel) -> None:
    """The week's running stays within the progression's target (+10% ramp, deloads, calm weeks)."""
    on = week.rule("weekly_volume_within_target")
    week.model.add(sum(week.distance) <= week.request.target_tenths).only_enforce_if(on)


def mostly_easy_running(week: WeekModel) -> None:
    """About 80% of running is easy: a quality run is at most 20% of the week's distance (and
    so of its running time, quality being faster), one a week."""
    on = week.rule("mostly_easy_running")
    m = week.model
    total = sum(week.distance)
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


def days_before_the_report_stay(week: WeekModel) -> None:
    """Days before a flare-up report already happened: they stay exactly as they were."""
    if not week.request.partial:
        return
    on = week.rule("days_before_the_report_stay")
    m = week.model
    for d, kept in enumerate(week.request.fixed_days):
        if kept is None:
            continue
        for name, variables in (("easy", week.easy), ("long", week.long),
                                ("quality", week.quality), ("walk_run", week.walk_run)):
            m.add(variables[d] == int(kept.run_type == name)).only_enforce_if(on)
        m.add(week.distance[d] == kept.distance_tenths).only_enforce_if(on)
        for variables, value in ((week.core, kept.core), (week.strength, kept.strength),
                                 (week.mobility, kept.mobility), (week.cross, kept.cross_training),
                                 (week.walk, kept.walk), (week.rest, kept.rest)):
            m.add(variables[d] == int(value)).only_enforce_if(on)


HARD_RULES: tuple[Callable[[WeekModel], None], ...] = (
    days_before_the_report_stay,
    runs_only_on_run_days,
    rest_days_stay_rest,
    minimum_rest_days,
    core_and_strength_two_to_three_days,
    strength_never_on_consecutive_days,
    no_strength_the_day_before_the_long_run,
    long_run_only_on_long_run_day,
    long_and_quality_never_on_consecutive_days,
    long_run_share_of_week,
    single_run_within_110_percent,
    weekly_volume_within_target,
    mostly_easy_running,
    run_types_fit_the_phase,
    cross_training_on_non_run_days,
    sessions_fit_the_day,
    at_least_one_run_a_week,
    hip_mobility_every_week,
    keep_walking_when_calm,
)
RULE_DESCRIPTIONS: dict[str, str] = {
    rule.__name__: " ".join((rule.__doc__ or "").split()) for rule in HARD_RULES
}


# --- Soft preferences -------------------------------------------------------------------------

VOLUME_WEIGHT = 1000  # per tenth of a km: volume first, every preference below is smaller
LONG_RUN_BONUS = 300
LONG_RUN_TENTH_BONUS = 0
QUALITY_BONUS = 200
THIRD_CONDITIONING_DAY_PENALTY = 40
BACK_TO_BACK_RUN_PENALTY = 15


def set_objective(week: WeekModel) -> None:
    """Hit the volume target, then prefer a long run, quality when allowed, spread-out runs and
    no more core and strength days than needed.

    Walks on rest days, extra cross-training and even easy runs are settled after solving
    (`_finish_week`): they never compete with the rules, and leaving them out keeps the model
    small enough to prove optimal in milliseconds.
    """
    m = week.model
    terms = [VOLUME_WEIGHT * sum(week.distance)]
    terms.append(LONG_RUN_BONUS * sum(week.long))
    long_day = week.weekday_index(week.request.long_run_weekday)
    if long_day is not None and week.request.long_allowed:
        terms.append(LONG_RUN_TENTH_BONUS * week.distance[long_day])
    terms.append(QUALITY_BONUS * sum(week.quality))
    conditioning_sessions = sum(week.core) + sum(week.strength)
    extra = m.new_int_var(0, 14, "extra_conditioning")
    m.add(extra >= conditioning_sessions - 4)
    terms.append(-THIRD_CONDITIONING_DAY_PENALTY * extra)
    for d in range(6):
        back_to_back = m.new_bool_var(f"back_to_back_{d}")
        m.add(back_to_back >= week.run[d] + week.run[d + 1] - 1)
        terms.append(-BACK_TO_BACK_RUN_PENALTY * back_to_back)
    m.maximize(sum(terms))


# --- Solving ----------------------------------------------------------------------------------


def build_week_model(request: WeekRequest, explain: bool = False) -> WeekModel:
    week = WeekModel(request, explain)
    for rule in HARD_RULES:
        rule(week)
    set_objective(week)
    return week


def _new_solver() -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    # One worker and no wall-clock limit: the same input gives the same plan.
    solver.parameters.num_workers = 1
    # A deterministic work limit (not wall-clock) bounds the rare hard week; the answer
    # is then the best found, still the same on every run.
    solver.parameters.max_deterministic_time = WORK_LIMIT
    # Cutting planes cost more than they save on models this small (measured: about half
    # the solve time goes once they are off, with the same optimal weeks).
    solver.parameters.cut_level = 0
    solver.parameters.random_seed = 0
    # CP-SAT would otherwise take over Ctrl-C and leave it killing the process outright
    # after the solve, skipping the clean-up of temporary files.
    solver.parameters.catch_sigint_signal = False
    solver.parameters.cp_model_presolve = False
    solver.parameters.linearization_level = 2
    # Symmetry detection, probing and in-processing pay off on big models; on a week they
    # are a fifth of the solve (measured on the example weeks, optimal either way).
    solver.parameters.symmetry_level = 0
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.use_sat_inprocessing = False
    return solver


WORK_LIMIT = 0.05  # deterministic seconds; typical weeks need under 0.005
RETRY_WORK_LIMIT = 5.0


@lru_cache(maxsize=512)
def solve_week(request: WeekRequest) -> tuple[DayPlan, ...]:
    """Solve one week; identical requests give identical weeks.

    Raises InfeasiblePlanError naming the rules that conflict.
    """
    week = build_week_model(request)
    solver = _new_solver()
    status = solver.solve(week.model)
    if status == cp_model.UNKNOWN:  # no answer yet within the usual limit: give it more work
        solver.parameters.max_deterministic_time = RETRY_WORK_LIMIT
        status = solver.solve(week.model)
    if status == cp_model.INFEASIBLE:
        raise _explain(request)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise InfeasiblePlanError(0, [], "the scheduler found no plan within its work limit")
    return _finish_week(week, solver)


def _explain(request: WeekRequest) -> InfeasiblePlanError:
    """Name a smallest set of rules that cannot all hold together.

    CP-SAT's sufficient assumptions give a conflicting set; dropping each rule in
    turn and keeping it only if the rest become feasible without it makes the
    set minimal, so the user is not sent to relax a rule that is not involved.
    """
    conflict = _infeasible_subset(request, None)
    for name in list(conflict):
        trial = [rule for rule in conflict if rule != name]
        if _infeasible_subset(request, trial):
            conflict = [rule for rule in conflict if rule != name]
    lines = [f"{name} ({RULE_DESCRIPTIONS.get(name, name)})" for name in conflict]
    return InfeasiblePlanError(0, conflict, "; ".join(lines))


def _infeasible_subset(request: WeekRequest, rules: list[str] | None) -> list[str]:
    """Rules (among `rules`, or all) that conflict; empty when they can all hold."""
    week = build_week_model(request, explain=True)
    week.model.clear_objective()
    chosen = rules if rules is not None else list(week.rule_literals)
    for name, literal in week.rule_literals.items():
        if name not in chosen:
            week.model.add(literal == 0)
    week.model.add_assumptions([week.rule_literals[name] for name in chosen])
    solver = _new_solver()
    if solver.solve(week.model) != cp_model.INFEASIBLE:
        return []
    by_index = {literal.index: name for name, literal in week.rule_literals.items()}
    found = [by_index[i] for i in solver.sufficient_assumptions_for_infeasibility()]
    return [name for name in chosen if name in found] or chosen


def _finish_week(week: WeekModel, solver: cp_model.CpSolver) -> tuple[DayPlan, ...]:
    """Read the solution, then settle what the objective left open: even easy runs, walks on
    rest days and cross-training on free days, each only where the day's time allows."""
    r = week.request
    value = solver.boolean_value
    days = []
    for d in DAYS:
        run_type = None
        for name, kinds in (("easy", week.easy), ("long", week.long),
                            ("quality", week.quality), ("walk_run", week.walk_run)):
            if value(kinds[d]):
                run_type = name
        days.append({
            "run_type": run_type,
            "distance_tenths": solver.value(week.distance[d]),
            "core": value(week.core[d]),
            "strength": value(week.strength[d]),
            "mobility": value(week.mobility[d]),
            "cross_training": value(week.cross[d]),
            "walk": value(week.walk[d]),
            "rest": value(week.rest[d]),
        })
    for d, day in enumerate(days):
        if r.fixed_days[d] is not None:
            continue
        spare = r.day_minutes[d] - _minutes_used(day, r, week.pace[d])
        if not r.calm and day["rest"] and spare >= WALK_MINUTES:
            day["walk"] = True
            spare -= WALK_MINUTES
        free_day = not day["rest"] and day["run_type"] is None and not day["cross_training"]
        if free_day and r.cross_training_available and spare >= r.cross_training_minutes:
            day["cross_training"] = True
    _even_out_easy_runs(week, days)
    return tuple(
        fixed if fixed is not None else DayPlan(**day)
        for fixed, day in zip(r.fixed_days, days, strict=True)
    )


def _minutes_used(day: dict, r: WeekRequest, pace: int) -> int:
    minutes = -(-pace * day["distance_tenths"] // 600)
    if day["run_type"]:
        minutes += WARM_UP_MINUTES + COOL_DOWN_MINUTES
    minutes += CORE_MINUTES * day["core"] + STRENGTH_MINUTES * day["strength"]
    minutes += MOBILITY_MINUTES * day["mobility"] + WALK_MINUTES * day["walk"]
    minutes += r.cross_training_minutes * day["cross_training"]
    return minutes


def _even_out_easy_runs(week: WeekModel, days: list[dict]) -> None:
    """Share the easy distance as evenly as each day's caps allow (water-filling).

    The total is unchanged and no run grows past its caps (time, 110% rule, the long run),
    so every rule that held for the solver's answer still holds.
    """
    easy = [
        d for d, day in enumerate(days)
        if day["run_type"] == "easy" and week.request.fixed_days[d] is None
    ]
    if len(easy) < 2:
        return
    longest = max((day["distance_tenths"] for day in days if day["run_type"] == "long"),
                  default=MAX_DISTANCE_TENTHS)
    caps = {}
    for d in easy:
        other = _minutes_used({**days[d], "run_type": None, "distance_tenths": 0},
                              week.request, 0)
        caps[d] = min(week.time_cap_tenths(d, other), week.request.single_run_cap_tenths, longest)
    total = sum(days[d]["distance_tenths"] for d in easy)
    level = 0
    while level < max(caps.values()) and sum(min(caps[d], level + 1) for d in easy) <= total:
        level += 1
    shares = {d: min(caps[d], level) for d in easy}
    left = total - sum(shares.values())
    for d in easy:
        extra = min(left, caps[d] - shares[d])
        shares[d] += extra
        left -= extra
    for d in easy:
        days[d]["distance_tenths"] = shares[d]

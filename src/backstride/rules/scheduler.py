"""The CP-SAT model of one training week: which days run, how far, and where the rest goes.

A plan is solved a week at a time (the weekly targets come first, from
`progression`), which keeps every model small enough to solve to optimality in
a few milliseconds. Laid out as PyJobShop lays out its solver: the variables
(`WeekModel`), the rules (`constraints`, one named function each, added in
order), the objective (`set_objective`), then solving (`solve_week`) and, when
the rules leave no week at all, naming the rules that conflict (`_explain`).

The model decides the day skeleton only; `prescribe` then chooses the exercises
that fill each session.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from ortools.sat.python import cp_model

from backstride.errors import InfeasiblePlanError
from backstride.rules.constraints import HARD_RULES, RULE_DESCRIPTIONS
from backstride.rules.week import (
    COOL_DOWN_MINUTES,
    DAYS,
    MAX_DISTANCE_TENTHS,
    MIN_QUALITY_TENTHS,
    MIN_RUN_TENTHS,
    WALK_MINUTES,
    WALK_RUN_MIN_MINUTES,
    WARM_UP_MINUTES,
    DayPlan,
    WeekRequest,
)

# --- Variables --------------------------------------------------------------------------------


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
        self.pace = [request.pace(d) for d in DAYS]
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
        self.run_types = {"easy": self.easy, "long": self.long, "quality": self.quality,
                          "walk_run": self.walk_run}
        self.core = [new_bool(f"core_{d}") for d in DAYS]
        self.strength = [new_bool(f"strength_{d}") for d in DAYS]
        self.mobility = [new_bool(f"mobility_{d}") for d in DAYS]
        self.cross = [new_bool(f"cross_{d}") for d in DAYS]
        self.walk = [new_bool(f"walk_{d}") for d in DAYS]
        self.rest = [new_bool(f"rest_{d}") for d in DAYS]
        # The week's longest run is its long run for every rule, whatever its label
        # (DESIGN): `longest` is its distance and `top[d]` says day d runs that far.
        # The week's distance as one variable: the share rules then compare two variables, not
        # a run with a sum of seven.
        self.total = self.model.new_int_var(0, 7 * MAX_DISTANCE_TENTHS, "week_tenths")
        self.model.add(self.total == sum(self.distance))
        self.longest = self.model.new_int_var(0, MAX_DISTANCE_TENTHS, "longest_run")
        self.top = [new_bool(f"top_{d}") for d in DAYS]
        self._define_day_variables()
        self._define_the_longest_run()

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

    def day_kinds(self, d: int, day: DayPlan) -> list[tuple[cp_model.IntVar, bool]]:
        """Each variable of day `d` that says which kinds of session it holds (its run type,
        core, strength, mobility, cross-training, rest; walks aside, settled after solving),
        with whether `day` holds that kind."""
        runs = [(variables[d], day.run_type == name) for name, variables in self.run_types.items()]
        return [*runs, (self.core[d], day.core), (self.strength[d], day.strength),
                (self.mobility[d], day.mobility), (self.cross[d], day.cross_training),
                (self.rest[d], day.rest)]

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


    def _define_the_longest_run(self) -> None:
        # Ties count: every day that runs as far as the longest run is one of its days.
        m = self.model
        m.add_max_equality(self.longest, self.distance)
        for d in DAYS:
            m.add_implication(self.top[d], self.run[d])
            m.add(self.distance[d] == self.longest).only_enforce_if(self.top[d])
            m.add(self.distance[d] + 1 <= self.longest).only_enforce_if(
                [self.run[d], ~self.top[d]]
            )


# --- Objective: the soft preferences ----------------------------------------------------------

VOLUME_WEIGHT = 1000  # per tenth of a km: volume first, every preference below is smaller
LONG_RUN_BONUS = 300
QUALITY_BONUS = 200
THIRD_CONDITIONING_DAY_PENALTY = 40
BACK_TO_BACK_RUN_PENALTY = 15
# Per day whose kinds of session differ from the preferred (old) skeleton: below a tenth of a
# km of volume, so rules and volume still win, and above the long-run and quality bonuses and
# the spacing preferences, so a revision keeps the old week where those were all it gained.
CHANGED_DAY_PENALTY = 500
# Per tenth of a km a walk-run falls short of 20 minutes: below volume, so a return week
# still runs what it may, and a day of a walk-run under 20 minutes is dropped for a longer
# one where the rules allow.
WALK_RUN_SHORTFALL_PENALTY = 60


def set_objective(week: WeekModel) -> None:
    """Hit the volume target, then keep to the preferred skeleton when re-planning, then prefer
    a long run, quality when allowed, spread-out runs and no more core and strength days than
    needed.

    Walks on rest days, extra cross-training and even easy runs are settled after solving
    (`_finish_week`): they never compete with the rules, and leaving them out keeps the model
    small enough to prove optimal in milliseconds.
    """
    m = week.model
    terms: list[cp_model.LinearExprT] = [VOLUME_WEIGHT * week.total]
    terms.append(LONG_RUN_BONUS * sum(week.long))
    terms.append(QUALITY_BONUS * sum(week.quality))
    conditioning_sessions = sum(week.core) + sum(week.strength)
    extra = m.new_int_var(0, 14, "extra_conditioning")
    m.add(extra >= conditioning_sessions - 4)
    terms.append(-THIRD_CONDITIONING_DAY_PENALTY * extra)
    for d in range(6):
        back_to_back = m.new_bool_var(f"back_to_back_{d}")
        m.add(back_to_back >= week.run[d] + week.run[d + 1] - 1)
        terms.append(-BACK_TO_BACK_RUN_PENALTY * back_to_back)
    terms.append(-CHANGED_DAY_PENALTY * sum(changed_from_preferred(week)))
    terms.append(-WALK_RUN_SHORTFALL_PENALTY * sum(walk_run_shortfalls(week)))
    m.maximize(sum(terms))


def walk_run_shortfalls(week: WeekModel) -> list[cp_model.IntVar]:
    """Per walk-run day, the tenths of a km it falls short of 20 minutes (at the day's
    budgeted pace): a return starts with sessions of 20-30 minutes, so a small return week
    prefers fewer, longer sessions to many short ones, as far as the other rules allow."""
    r, m = week.request, week.model
    if not r.walk_run:
        return []
    shortfalls = []
    for d in r.free_days:
        enough = WALK_RUN_MIN_MINUTES * 600 // week.pace[d]
        short = m.new_int_var(0, enough, f"walk_run_short_{d}")
        m.add(short >= enough - week.distance[d]).only_enforce_if(week.walk_run[d])
        shortfalls.append(short)
    return shortfalls


def changed_from_preferred(week: WeekModel) -> list[cp_model.IntVar]:
    """A literal per day the solver lays out, true when the day's kinds of session (run type,
    core, strength, mobility, cross-training, rest) differ from the request's preferred
    skeleton; none without one. Distances are free: a lighter week is no changed day."""
    r, m = week.request, week.model
    if not r.preferred:
        return []
    changed = []
    for d in r.free_days:
        day_changed = m.new_bool_var(f"changed_{d}")
        for variable, was in week.day_kinds(d, r.preferred[d]):
            # Any kind that differs from the preferred day marks the day changed.
            m.add_implication(~variable if was else variable, day_changed)
        changed.append(day_changed)
    return changed


# --- Solving ----------------------------------------------------------------------------------


def build_week_model(request: WeekRequest, explain: bool = False) -> WeekModel:
    """The week's variables under every rule; with the objective, unless the model is only
    there to explain which rules conflict."""
    week = WeekModel(request, explain)
    for rule in HARD_RULES:
        rule(week)
    if not explain:
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
    # The lighter linear relaxation proves most weeks' best volume with the least work
    # (benchmarks/README.md: solver settings); the rare week it struggles with is solved again
    # with the full one (`solve_week`).
    solver.parameters.linearization_level = 1
    # Symmetry detection, probing and in-processing pay off on big models; on a week they
    # are a fifth of the solve (measured on the example weeks, optimal either way).
    solver.parameters.symmetry_level = 0
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.use_sat_inprocessing = False
    return solver


def _make_thorough(solver: cp_model.CpSolver) -> None:
    """The full linear relaxation and more work: for a week the usual settings left
    unproven, and for proving which rules conflict."""
    solver.parameters.linearization_level = 2
    solver.parameters.max_deterministic_time = RETRY_WORK_LIMIT


WORK_LIMIT = 0.02  # deterministic seconds; typical weeks need under 0.005
RETRY_WORK_LIMIT = 5.0


def solve_week(request: WeekRequest) -> tuple[DayPlan, ...]:
    """Solve one week; identical requests give identical weeks.

    Raises InfeasiblePlanError naming the rules that conflict.
    """
    days = solved_week(request)
    if days is None:
        raise _explain(request)
    return days


@lru_cache(maxsize=512)
def solved_week(request: WeekRequest) -> tuple[DayPlan, ...] | None:
    """`solve_week`, or None when the week's rules cannot all hold, without working out
    which conflict: the smallest-change search (`rules.limits`) tries relaxed weeks that
    may break another rule, and needs no reason why. Both answers are kept."""
    week = build_week_model(request)
    solver = _new_solver()
    status = solver.solve(week.model)
    if status in (cp_model.UNKNOWN, cp_model.FEASIBLE):
        # Not proven best within the usual work: again with the full linear relaxation, which
        # settles such weeks quickly, and more work allowed.
        _make_thorough(solver)
        status = solver.solve(week.model)
    if status == cp_model.INFEASIBLE:
        return None
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
    chosen = rules if rules is not None else list(week.rule_literals)
    for name, literal in week.rule_literals.items():
        if name not in chosen:
            week.model.add(literal == 0)
    week.model.add_assumptions([week.rule_literals[name] for name in chosen])
    # Proving a conflict may take more work than solving a week: the full linear relaxation
    # and the larger limit, so that "not proven" is rare (and then the rule is kept).
    solver = _new_solver()
    _make_thorough(solver)
    if solver.solve(week.model) != cp_model.INFEASIBLE:
        return []
    by_index = {literal.index: name for name, literal in week.rule_literals.items()}
    found = [by_index[i] for i in solver.sufficient_assumptions_for_infeasibility()]
    return [name for name in chosen if name in found] or chosen


# --- Reading the solution ---------------------------------------------------------------------


def _finish_week(week: WeekModel, solver: cp_model.CpSolver) -> tuple[DayPlan, ...]:
    """Read the solution, then settle what the objective left open: even easy runs, walks on
    rest days and cross-training on free days, each only where the day's time allows (and,
    in a deload week, no more cross-training days than the week before)."""
    r = week.request
    days = [_solved_day(week, solver, d) for d in DAYS]
    cross_training_days_left = 7
    if r.deload and r.week_before.session_days is not None:
        cross_training_days_left = r.week_before.session_days.cross_training - sum(
            day.cross_training for day in days
        )
    for d in r.free_days:
        day = days[d]
        spare = r.day_minutes[d] - day.minutes(week.pace[d], r.cross_training_minutes)
        if not r.calm and day.rest and spare >= WALK_MINUTES:
            day = replace(day, walk=True)
            spare -= WALK_MINUTES
        free_day = not day.rest and day.run_type is None and not day.cross_training
        if (free_day and r.cross_training_available and spare >= r.cross_training_minutes
                and cross_training_days_left > 0):
            day = replace(day, cross_training=True)
            cross_training_days_left -= 1
        days[d] = day
    _even_out_easy_runs(week, days)
    return tuple(
        fixed if fixed is not None else day
        for fixed, day in zip(r.fixed_days, days, strict=True)
    )


def _solved_day(week: WeekModel, solver: cp_model.CpSolver, d: int) -> DayPlan:
    value = solver.boolean_value
    return DayPlan(
        run_type=next((name for name, kind in week.run_types.items() if value(kind[d])), None),
        distance_tenths=int(solver.value(week.distance[d])),
        core=value(week.core[d]),
        strength=value(week.strength[d]),
        mobility=value(week.mobility[d]),
        cross_training=value(week.cross[d]),
        walk=value(week.walk[d]),
        rest=value(week.rest[d]),
    )


def _even_out_easy_runs(week: WeekModel, days: list[DayPlan]) -> None:
    """Share the distance of the easy runs below the week's longest as evenly as each day's
    caps allow (water-filling).

    The total is unchanged, the longest runs stay as they are and no run grows past its caps
    (`_easy_run_cap`), so every rule that held for the solver's answer still holds.
    """
    r = week.request
    longest = max(day.distance_tenths for day in days)
    easy = [d for d in r.free_days
            if days[d].run_type == "easy" and days[d].distance_tenths < longest]
    if len(easy) < 2:
        return
    caps = {d: _easy_run_cap(week, days, d, longest) for d in easy}
    total = sum(days[d].distance_tenths for d in easy)
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
        days[d] = replace(days[d], distance_tenths=shares[d])


def _easy_run_cap(week: WeekModel, days: list[DayPlan], d: int, longest: int) -> int:
    """The longest an easy run on day `d` may grow to: within the day's time, the 110% rule
    and a calm spell's cap, shorter than the week's longest run, and at most 75% of it
    beside it (or beside last week's, the day before this week)."""
    r = week.request
    other = replace(days[d], run_type=None, distance_tenths=0)
    caps = [
        week.time_cap_tenths(d, other.minutes(0, r.cross_training_minutes)),
        r.single_run_cap_tenths,
        longest - 1,
    ]
    if r.calm_spell_run_cap_tenths is not None and d < r.easy_only_days:
        caps.append(r.calm_spell_run_cap_tenths)
    if any(0 <= beside < 7 and days[beside].distance_tenths == longest
           for beside in (d - 1, d + 1)):
        caps.append(3 * longest // 4)
    before = r.week_before
    if d == 0 and before.last_run_was_the_longest:
        caps.append(3 * before.last_run_tenths // 4)
    return min(caps)

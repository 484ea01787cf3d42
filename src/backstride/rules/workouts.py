"""Paces, efforts and run steps: what each run asks of the runner, as a watch would run it.

Paces come from the runner (DESIGN: Volume and runs), the first of these that is known:
- a `recent_race`: Daniels' VDOT. The race's oxygen cost (VO2 = -4.60 + 0.182258 v +
  0.000104 v^2, v in m/min) over the share of VO2max a race of that length is run at
  (0.8 + 0.1894393 e^(-0.012778 t) + 0.2989558 e^(-0.1932605 t), t in minutes) gives the
  VDOT; each kind of run is paced at the speed whose oxygen cost is a stated fraction of it
  (`VDOT_FRACTIONS`; Daniels and Gilbert 1979, Daniels' Running Formula).
- `easy_pace` alone: the faster paces at stated offsets from it (`OFFSETS_FROM_EASY`).
- neither: the experience's default easy pace, with the same offsets.
An `easy_pace` given with a race keeps the runner's own word on easy and long runs.

A run's steps add up to its distance and its running time: easy and long runs are one step;
a quality run is a warm-up jog, a main set that grows across build weeks and a cool-down jog
making up the rest of its distance; a walk-run starts with a brisk walk, repeats run and
walk minutes at the stage the return has reached, and walks the rest.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from backstride.inputs.profile import Profile
from backstride.plan import Effort, PaceRange, Step
from backstride.rules.progression import BUILDING_PHASES, block_of
from backstride.rules.reasons import PACE_SOURCES
from backstride.rules.week import PACES, Paces

# Daniels' training intensities as fractions of VDOT (Daniels' Running Formula): easy and
# long running in the middle of his 59-74% band, threshold (tempo) 88%, interval (VO2max)
# 97.5%, repetition (strides) 105%.
VDOT_FRACTIONS = {"easy": 0.66, "tempo": 0.88, "interval": 0.975, "strides": 1.05}
# Seconds per km faster than the easy pace, without a race: the gaps between Daniels' paces
# for recreational runners (VDOT 35-50: threshold 67-86 s/km under easy, interval 20-25 s/km
# under threshold, repetition about 20 s/km under interval).
OFFSETS_FROM_EASY = {"tempo": 75, "interval": 97, "strides": 117}
# How far either side of its target a pace may drift (s/km): easy running by feel, the
# workouts' paces tighter (convention).
PACE_SPREAD = {"easy": 15, "tempo": 5, "interval": 5, "strides": 5, "walk": 30}
# A brisk walk, 6 km/h (convention): the walking of a walk-run.
WALK_PACE = 600

# How hard, on the RPE scale 1-10 (Borg CR10) and the talk test (Foster et al. 2008).
EFFORTS = {
    "easy": Effort(rpe=(3, 4), talk="full sentences"),
    "walk": Effort(rpe=(1, 2), talk="full sentences"),
    "tempo": Effort(rpe=(6, 7), talk="short sentences"),
    "hills": Effort(rpe=(7, 8), talk="a few words"),
    "strides": Effort(rpe=(7, 8), talk="a few words"),
    "interval": Effort(rpe=(8, 9), talk="single words"),
}

WARM_UP_JOG_S = 600  # the quality run's easy warm-up jog, 5 minutes when the run is short
SHORT_WARM_UP_JOG_S = 300
MIN_COOL_DOWN_M = 800  # the easy cool-down jog, at least
WALK_WARM_UP_S = 300  # a walk-run starts with 5 minutes of brisk walking


@dataclass(frozen=True)
class Workout:
    """A kind of quality run: its main set's repeats at `pace` with a jog between, growing
    along `ladder` ((repeats, seconds each) per level) across build weeks."""

    name: str
    pace: str  # a key of RunnerPaces.targets, or "hills": on a grade, by effort
    recover_s: int
    ladder: tuple[tuple[int, int], ...]


WORKOUTS = {
    "strides": Workout("strides", "strides", 60,
                       ((4, 20), (6, 20), (8, 20), (6, 30), (8, 30), (10, 30))),
    "hills": Workout("hill repeats", "hills", 90,
                     ((6, 45), (8, 45), (6, 60), (8, 60), (10, 60), (8, 90))),
    "tempo": Workout("tempo", "tempo", 120,
                     ((2, 360), (3, 360), (2, 540), (3, 480), (2, 720), (3, 600))),
    "intervals": Workout("intervals", "interval", 120,
                         ((4, 180), (5, 180), (4, 240), (5, 240), (6, 240), (5, 300))),
}
# Which workouts, taking turns week by week: the gentler kinds for intermediate runners, the
# harder ones once a runner is advanced (novices get no quality runs: the planner).
WORKOUT_TURNS = {
    "novice": ("strides",),
    "intermediate": ("strides", "hills", "tempo"),
    "advanced": ("hills", "tempo", "intervals"),
}
# A walk-run's run and walk seconds, session by session of a return (1:2, 2:1, 4:1 minutes),
# then continuous running (DESIGN: The back; run-walk returns are convention).
WALK_RUN_STAGES = ((60, 120), (120, 60), (240, 60))
RUN_TITLES = {
    "easy": "Easy run",
    "long": "Long run",
    "quality": "Quality run: {workout}",
    "walk_run": "Walk-run: {workout}",
}


@dataclass(frozen=True)
class RunnerPaces:
    """The runner's target paces in seconds per km, and where they came from."""

    targets: Mapping[str, int]  # easy, tempo, interval, strides
    method: str  # "race", "easy_pace" or "experience"
    vdot: float | None = None

    def range(self, kind: str) -> PaceRange:
        """The pace range of `kind` (a target's key, "hills" or "walk"), centred on its
        target so the middle of the range is the pace its time and distance are worked at."""
        target, spread = self.target(kind), self.spread(kind)
        return PaceRange(slow_s_per_km=target + spread, fast_s_per_km=target - spread)

    def target(self, kind: str) -> int:
        if kind == "walk":
            return WALK_PACE
        if kind == "hills":  # uphill at hard effort is about the easy-to-tempo flat pace
            return self.targets["tempo"] + self.spread("hills")
        return self.targets[kind]

    def spread(self, kind: str) -> int:
        if kind == "hills":
            return (self.targets["easy"] - self.targets["tempo"]) // 2
        return PACE_SPREAD[kind]

    def scheduling(self) -> Paces:
        """What the week's time budget counts a km of each kind of run as: a quality run
        (at the easy pace) and a walk-run (at walking pace) never take longer."""
        easy = self.targets["easy"]
        return Paces(easy=easy, long=easy, walk_run=max(WALK_PACE, easy))

    def describe(self) -> str:
        """Where the paces come from, for a run's why."""
        return PACE_SOURCES[self.method]


def runner_paces(profile: Profile) -> RunnerPaces:
    """The runner's paces: from a recent race, else their easy pace, else their experience."""
    own_easy = profile.easy_pace_s_per_km
    race = profile.recent_race
    if race is not None:
        vdot = vdot_from_race(profile.weekly_km(race.distance) * 1000, race.seconds)
        targets = {kind: round(pace_at(vdot * share)) for kind, share in VDOT_FRACTIONS.items()}
        if own_easy is not None:
            targets["easy"] = round(own_easy)
        return RunnerPaces(targets, "race", vdot)
    if own_easy is not None:
        return RunnerPaces(_from_easy(round(own_easy)), "easy_pace")
    return default_paces(PACES[profile.experience].easy)


def default_paces(easy: int) -> RunnerPaces:
    """The paces of an experience's default `easy` pace, with the stated offsets."""
    return RunnerPaces(_from_easy(easy), "experience")


def _from_easy(easy: int) -> dict[str, int]:
    return {"easy": easy} | {kind: easy - gap for kind, gap in OFFSETS_FROM_EASY.items()}


def vdot_from_race(distance_m: float, seconds: float) -> float:
    """Daniels and Gilbert's VDOT of a race: its oxygen cost over the share of VO2max a race
    lasting that long is run at."""
    minutes = seconds / 60
    velocity = distance_m / minutes
    share = (0.8 + 0.1894393 * math.exp(-0.012778 * minutes)
             + 0.2989558 * math.exp(-0.1932605 * minutes))
    return _oxygen_cost(velocity) / share


def pace_at(oxygen: float) -> float:
    """Seconds per km of the speed whose oxygen cost is `oxygen` (ml/kg/min)."""
    a, b, c = 0.000104, 0.182258, -4.60 - oxygen
    velocity = (-b + math.sqrt(b * b - 4 * a * c)) / (2 * a)  # m/min
    return 60_000 / velocity


def _oxygen_cost(velocity: float) -> float:
    return -4.60 + 0.182258 * velocity + 0.000104 * velocity**2


# --- steps --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunPlan:
    """A run as the runner does it: its steps, running time, effort, pace range and title."""

    steps: list[Step]
    seconds: float
    effort: Effort
    pace: PaceRange
    name: str  # the workout in words, "" for an easy or long run

    @property
    def minutes(self) -> int:
        return math.ceil(self.seconds / 60 - 1e-9)


def steady_run(distance_m: int, paces: RunnerPaces) -> RunPlan:
    """An easy or long run: one step at the easy pace."""
    pace = paces.range("easy")
    step = Step(kind="run", distance_m=distance_m, effort=EFFORTS["easy"], pace=pace)
    return RunPlan([step], distance_m * paces.target("easy") / 1000, EFFORTS["easy"], pace, "")


def workout_level(phases: Mapping[int, str], week_index: int) -> int:
    """How far a quality run's main set has grown by week `week_index`: a step up for each
    build week before it, back to the start after a calm spell; a deload week itself runs a
    step below the week before it."""
    level = 0
    for index in range(1, week_index):
        phase = phases.get(index, "build")
        if phase in BUILDING_PHASES:
            level += 1
        elif phase != "deload":
            level = 0
    return max(level - 2, 0) if phases.get(week_index) == "deload" else level


def return_started(phases: Mapping[int, str], week_index: int) -> int:
    """The first week of the return week `week_index` is in."""
    while phases.get(week_index - 1) == "return":
        week_index -= 1
    return week_index


def run_plan(run_type: str, distance_m: int, paces: RunnerPaces, *, experience: str,
             week_index: int, level: int, walk_run_number: int) -> RunPlan:
    """The run of `run_type`: a quality run the workout of the week's block at `level` (the
    workouts of an experience take turns block by block, so each one's main set is seen to
    grow), a walk-run the `walk_run_number`th of its return (0 first)."""
    if run_type == "quality":
        turns = WORKOUT_TURNS[experience]
        kind = turns[block_of(week_index) % len(turns)]
        return quality_run(distance_m, kind, level, paces)
    if run_type == "walk_run":
        return walk_run(distance_m, walk_run_number, paces)
    return steady_run(distance_m, paces)


def quality_run(distance_m: int, kind: str, level: int, paces: RunnerPaces) -> RunPlan:
    """A warm-up jog, the main set of `kind` at `level`, and a cool-down jog making up the
    rest of the distance; a short run first shortens the warm-up, then drops repeats, then
    shortens the last one, until the cool-down keeps at least `MIN_COOL_DOWN_M`."""
    workout = WORKOUTS[kind]
    easy = paces.target("easy")
    work_pace = paces.target(workout.pace)
    repeats, work_s = workout.ladder[min(level, len(workout.ladder) - 1)]
    for warm_up_s, times, each_s in _smaller_sets(repeats, work_s):
        recover_s = workout.recover_s if times > 1 else 0  # one block needs no jog after it
        set_m = times * (each_s * 1000 / work_pace + recover_s * 1000 / easy)
        cool_down_m = round(distance_m - warm_up_s * 1000 / easy - set_m)
        if cool_down_m >= MIN_COOL_DOWN_M:
            break
    else:
        return steady_run(distance_m, paces)
    jog = {"effort": EFFORTS["easy"], "pace": paces.range("easy")}
    effort = EFFORTS[workout.pace]
    work = Step(kind="run", duration_s=each_s, effort=effort, pace=paces.range(workout.pace))
    main_set = work if times == 1 else Step(kind="repeat", times=times, steps=[
        work, Step(kind="recover", duration_s=recover_s, **jog)])
    steps = [Step(kind="warm_up", duration_s=warm_up_s, **jog), main_set,
             Step(kind="cool_down", distance_m=cool_down_m, **jog)]
    seconds = warm_up_s + times * (each_s + recover_s) + cool_down_m * easy / 1000
    name = (f"{workout.name} {_duration(each_s)}" if times == 1
            else f"{workout.name} {times} x {_duration(each_s)}")
    return RunPlan(steps, seconds, effort, paces.range(workout.pace), name)


def _smaller_sets(repeats: int, work_s: int) -> Iterator[tuple[int, int, int]]:
    """(warm-up seconds, repeats, seconds each), from the full set down to the smallest."""
    for times in range(repeats, 0, -1):
        for warm_up_s in (WARM_UP_JOG_S, SHORT_WARM_UP_JOG_S):
            yield warm_up_s, times, work_s
    for each_s in range(work_s - 30, 0, -30):
        yield SHORT_WARM_UP_JOG_S, 1, each_s


def walk_run(distance_m: int, session_number: int, paces: RunnerPaces) -> RunPlan:
    """The `session_number`th walk-run of a return (0 first): a 5-minute walk, run and walk
    at the stage reached, repeated, and a walk for the rest of the distance."""
    easy, walk = paces.target("easy"), paces.target("walk")
    # A run too short for one round of the stage reached takes the longest round that fits;
    # one too short for any round, like one past the stages, is a single easy stretch.
    fitting = [(run, rest) for run, rest in WALK_RUN_STAGES[: session_number + 1]
               if run * 1000 / easy + rest * 1000 / walk <= distance_m]
    if session_number >= len(WALK_RUN_STAGES) or not fitting:
        continuous = steady_run(distance_m, paces)
        return RunPlan(continuous.steps, continuous.seconds, continuous.effort, continuous.pace,
                       "run it all, walking when you need to")
    run_s, walk_s = fitting[-1]
    cycle_m = run_s * 1000 / easy + walk_s * 1000 / walk
    warm_up_m = WALK_WARM_UP_S * 1000 / walk
    warm_up_s = WALK_WARM_UP_S if distance_m >= warm_up_m + cycle_m else 0
    times = max(int((distance_m - warm_up_s * 1000 / walk) // cycle_m), 1)
    rest_m = round(distance_m - warm_up_s * 1000 / walk - times * cycle_m)
    walking = {"effort": EFFORTS["walk"], "pace": paces.range("walk")}
    steps = [Step(kind="warm_up", duration_s=warm_up_s, **walking)] if warm_up_s else []
    steps.append(Step(kind="repeat", times=times, steps=[
        Step(kind="run", duration_s=run_s, effort=EFFORTS["easy"], pace=paces.range("easy")),
        Step(kind="walk", duration_s=walk_s, **walking),
    ]))
    if rest_m > 0:
        steps.append(Step(kind="cool_down", distance_m=rest_m, **walking))
    seconds = warm_up_s + times * (run_s + walk_s) + rest_m * walk / 1000
    name = f"run {_duration(run_s)}, walk {_duration(walk_s)}, {times} times"
    return RunPlan(steps, seconds, EFFORTS["easy"], paces.range("easy"), name)


def _duration(seconds: int) -> str:
    if seconds % 60 == 0:
        return f"{seconds // 60} min"
    if seconds < 60:
        return f"{seconds} s"
    return f"{seconds // 60}:{seconds % 60:02d} min"

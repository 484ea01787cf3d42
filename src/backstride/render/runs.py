"""How hard a run is and what its workout is, in words a runner can remember mid-run.

The plan gives each run an effort (RPE and the talk test) and its steps, as a watch would
run them; this module only puts them into words, the same on the week page and in the
calendar: "Easy: you can talk in full sentences, RPE 3-4." and "2 km easy, 5 x 3 min at
10K effort (RPE 7-8) with 2 min jog, 1.5 km easy". A plan of version 1 has neither, and
its runs get no such lines.
"""

from __future__ import annotations

from collections.abc import Sequence

from backstride.inputs.pace import to_units
from backstride.plan import Effort, Session, Step
from backstride.render.format import format_pace_range

# What runners call an effort, by the top of its RPE range (the names coaches use for
# those bands; the RPE beside the name is what the plan prescribes).
_EFFORT_NAMES: tuple[tuple[int, str], ...] = (
    (2, "very easy"),
    (4, "easy"),
    (5, "steady"),
    (7, "tempo effort"),
    (8, "10K effort"),
    (9, "5K effort"),
)
_ALL_OUT = "all-out"
# Up to this RPE a step reads "2 km easy": no RPE or pace, so the hard parts stand out.
_EASY_RPE = 4
# Up to this RPE a warm-up or cool-down is walked (a walk-run's brisk walk).
_WALK_RPE = 2
_STEP_VERBS = {"recover": "jog", "walk": "walk"}


def effort_name(effort: Effort) -> str:
    """'easy', '10K effort': the band the top of the RPE range falls in."""
    top = effort.rpe[1]
    return next((name for highest, name in _EFFORT_NAMES if top <= highest), _ALL_OUT)


def rpe_text(effort: Effort) -> str:
    """'RPE 3-4', or 'RPE 3' for a single value."""
    low, high = effort.rpe
    return f"RPE {low}" if low == high else f"RPE {low}-{high}"


def talk_test(talk: str) -> str:
    """The talk test as a check a runner can make: 'you can talk in full sentences',
    'you can say a few words at a time'."""
    text = talk.strip()
    if text.lower().startswith("you "):
        return text
    if text.endswith("words"):
        return f"you can say {text} at a time"
    if text.endswith("sentences"):
        return f"you can talk in {text}"
    return f"talk test: {text}"


def effort_words(effort: Effort) -> str:
    """'easy: you can talk in full sentences, RPE 3-4'."""
    return f"{effort_name(effort)}: {talk_test(effort.talk)}, {rpe_text(effort)}"


def step_amount(step: Step, units: str) -> str:
    """'3 min', '45 s', '400 m', '1.5 km', '1.2 mi': how long a step lasts."""
    if step.distance_m is not None:
        return _distance(step.distance_m, units)
    seconds = step.duration_s or 0
    if seconds % 60 == 0:
        return f"{seconds // 60} min"
    if seconds < 120:
        return f"{seconds} s"
    return f"{seconds / 60:.1f} min"


def _distance(metres: int, units: str) -> str:
    # Short repeats read as a track does, in metres, in either unit.
    if metres < 1000:
        return f"{metres} m"
    # One decimal, as the week's distances: "1.2 mi", not the "1.24 mi" 2 km is exactly.
    return f"{to_units(metres / 1000, units):.1f}".removesuffix(".0") + f" {units}"


def step_words(step: Step, units: str, *, beside_walks: bool = False) -> str:
    """One step: '2 km easy', '3 min at 10K effort (RPE 7-8, 4:50-5:05/km)', '2 min jog',
    and, between walks, '1 min run'."""
    if step.kind == "repeat":
        return _repeat_words(step, units)
    amount = step_amount(step, units)
    if step.kind in _STEP_VERBS:
        return f"{amount} {_STEP_VERBS[step.kind]}"
    if step.kind in ("warm_up", "cool_down") and step.effort and step.effort.rpe[1] <= _WALK_RPE:
        return f"{amount} walk"
    if beside_walks and step.kind == "run":
        return f"{amount} run"
    if step.effort is None or step.effort.rpe[1] <= _EASY_RPE:
        return f"{amount} easy"
    details = rpe_text(step.effort)
    if step.pace is not None:
        details += f", {format_pace_range(step.pace, units)}"
    name = effort_name(step.effort)
    at = "" if name in ("steady", _ALL_OUT) else "at "
    return f"{amount} {at}{name} ({details})"


def _repeat_words(repeat: Step, units: str) -> str:
    """'5 x 3 min at 10K effort (RPE 7-8) with 2 min jog', '6 x (1 min run, 2 min walk)'."""
    beside_walks = any(step.kind == "walk" for step in repeat.steps)
    parts = [step_words(step, units, beside_walks=beside_walks) for step in repeat.steps]
    times = repeat.times or 1
    # A hard block and its recovery read as one thing done N times "with" a jog.
    if len(parts) == 2 and repeat.steps[1].kind == "recover":
        body = f"{parts[0]} with {parts[1]}"
    elif len(parts) == 1:
        body = parts[0]
    else:
        body = f"({', '.join(parts)})"
    return body if times == 1 else f"{times} x {body}"


def workout_line(steps: Sequence[Step], units: str) -> str:
    """The whole workout in one line, or '' for a run that is one steady step (an easy run
    says all it needs in its title and effort)."""
    if len(steps) <= 1 and not any(step.kind == "repeat" for step in steps):
        return ""
    beside_walks = any(step.kind == "walk" for step in steps)
    return ", ".join(step_words(step, units, beside_walks=beside_walks) for step in steps)


def run_details(session: Session, units: str) -> list[str]:
    """The sentences under a run's title: its workout, then how hard it is; [] for a plan of
    version 1 or a session that is not a run."""
    if session.kind != "run":
        return []
    details = []
    workout = workout_line(session.steps, units)
    if workout:
        details.append(_sentence(workout))
    if session.effort is not None:
        details.append(_sentence(effort_words(session.effort)))
    return details


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")

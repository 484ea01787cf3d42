"""The kinds of exercise session: where each one's exercises come from, how long it is
and what it must cover (DESIGN: Strength, core and mobility).

Core and strength are routines built per block (see `prescribe`); the warm-up, the
cool-down and the mobility session are routines kept all plan long.
"""

from __future__ import annotations

from dataclasses import dataclass

from backstride.rules.week import (
    COOL_DOWN_MINUTES,
    CORE_MINUTES,
    MOBILITY_MINUTES,
    STRENGTH_MINUTES,
    WARM_UP_MINUTES,
)


@dataclass(frozen=True)
class Block:
    """A kind of exercise block: where its exercises come from and what it must cover."""

    name: str
    categories: tuple[str, ...]
    minutes: int
    required_targets: tuple[str, ...] = ()
    max_exercises: int = 5
    required_categories: tuple[str, ...] = ()


WARM_UP = Block("warm-up", ("warm_up",), WARM_UP_MINUTES, max_exercises=4)
# Kept all plan long, the cool-down stretches what running tightens and pulls on the back.
COOL_DOWN = Block("cool-down", ("cool_down",), COOL_DOWN_MINUTES,
                  ("hip_flexors", "hamstrings", "glutes", "calves"), max_exercises=4)
CORE = Block("core", ("core",), CORE_MINUTES, ("core",), max_exercises=4)
STRENGTH = Block("strength", ("strength",), STRENGTH_MINUTES, ("glutes", "hamstrings"), 4)
# Hip mobility first; foam rolling too for a runner with a roller (a category the runner
# has no equipment for is simply not found).
MOBILITY = Block(
    "mobility", ("hip_mobility", "stretch", "foam_roll"), MOBILITY_MINUTES,
    ("hip_flexors", "hamstrings"), 5, required_categories=("foam_roll", "hip_mobility"),
)

CROSS_TRAINING_TITLES = {
    "swim": "Swim",
    "cycle": "Cycle",
    "yoga": "Yoga",
    "pool_run": "Pool running",
    "elliptical": "Elliptical",
    "walk": "Brisk walk",
}

ROUTINE_BLOCKS = (CORE, STRENGTH)
ROUTINE_KINDS = tuple(block.name for block in ROUTINE_BLOCKS)

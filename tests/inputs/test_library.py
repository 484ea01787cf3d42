"""The exercise library: enough exercises, every category, and the back's rules in the data."""

from __future__ import annotations

from pathlib import Path

import pytest

from backstride.errors import InputError
from backstride.inputs.library import (
    CATEGORIES,
    CROSS_TRAINING_IDS,
    Library,
    default_library_dir,
    load_library,
)
from tests.conftest import DATA


def test_library_is_big_enough_and_covers_every_category(library: Library) -> None:
    assert len(library) >= 45
    assert {e.category for e in library.exercises.values()} == set(CATEGORIES)
    assert {e.id for e in library.by_category("cross_training")} == set(CROSS_TRAINING_IDS)


@pytest.mark.parametrize(
    "name", ["plank", "side plank", "bird dog", "dead bug", "glute bridge", "mcgill",
             "russian twist"],
)
def test_the_classic_core_exercises_are_there(library: Library, name: str) -> None:
    names = [e.name.lower() for e in library.by_category("core")]
    assert any(name in n for n in names)


def test_loaded_flexion_and_prone_extension_are_contraindicated(library: Library) -> None:
    twist = next(e for e in library.exercises.values() if "russian twist" in e.name.lower())
    assert {"flexion_intolerant", "flare_up"} <= set(twist.contraindications)
    superman = next(e for e in library.exercises.values() if "superman" in e.name.lower())
    assert {"extension_intolerant", "flare_up"} <= set(superman.contraindications)


def test_progressions_and_regressions_point_at_real_exercises(library: Library) -> None:
    for exercise in library.exercises.values():
        for other in exercise.progression + exercise.regression:
            assert other in library.exercises


def test_a_bodyweight_flare_up_safe_session_exists_for_every_block(library: Library) -> None:
    avoid = frozenset({"flexion_intolerant", "extension_intolerant", "flare_up"})
    safe = [e for e in library.exercises.values() if not e.equipment and e.is_safe_for(avoid)]
    for category in ("core", "strength", "hip_mobility", "stretch", "warm_up", "cool_down"):
        assert len([e for e in safe if e.category == category]) >= 3


def test_broken_library_lists_every_problem() -> None:
    with pytest.raises(InputError) as caught:
        load_library(DATA / "broken_library")
    text = "\n".join(caught.value.problems)
    assert "core.yaml: exercise crunchy: category" in text
    assert "core.yaml: exercise plank: progression: no exercise with id 'nowhere'" in text


def test_an_empty_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no \*\.yaml exercise files"):
        load_library(tmp_path)


def test_an_exercise_without_a_pose_fails_validation(tmp_path: Path) -> None:
    text = (default_library_dir() / "core.yaml").read_text()
    start = text.index("  pose:\n")
    end = text.index("\n", text.index("    end:", start)) + 1
    (tmp_path / "core.yaml").write_text(text[:start] + text[end:])
    with pytest.raises(InputError, match=r"core.yaml: exercise mcgill-curl-up: pose: is required"):
        load_library(tmp_path)


def test_a_dose_range_must_run_from_low_to_high(tmp_path: Path) -> None:
    text = (default_library_dir() / "core.yaml").read_text()
    start = text.index("- id: dead-bug")
    end = text.index("\n- id:", start + 1) + 1
    entry = text[start:end].replace("sets: [2, 3]", "sets: [3, 2]")
    (tmp_path / "core.yaml").write_text(entry)
    with pytest.raises(InputError, match=r"dead-bug: dose.sets: .*low end \(3\) is above the high"):
        load_library(tmp_path)


def test_a_dose_ladder_climbs_a_rep_or_5_s_of_hold_then_a_set(library: Library) -> None:
    ladder = library.get("mcgill-curl-up").dose.ladder()
    assert [(s.sets, s.reps, s.hold_seconds) for s in ladder] == [(3, 5, 8), (3, 6, 8), (3, 6, 10)]
    dead_bug = library.get("dead-bug").dose
    steps = dead_bug.ladder()
    assert (steps[-1].sets, steps[-1].reps) == (3, 10)
    assert dead_bug.minutes_at(steps[-1]) > dead_bug.minutes_at(steps[0]) == dead_bug.minutes

"""Exercise drawings: every exercise has a pose, every pose renders, and the key ones look right."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from backstride.inputs.library import Exercise, load_library
from backstride.inputs.pose import (
    HEAD_RADIUS,
    THIGH,
    Figure,
    Pose,
    Position,
    angle_between,
    incline,
)
from backstride.render.figure import floor_level, pose_svg

LIBRARY = load_library()
STANDING = {"trunk": 90, "head": 90, "near_arm": [-90, -90], "far_arm": [-90, -90],
            "near_leg": [-90, -90], "far_leg": [-90, -90]}


def held(exercise_id: str) -> dict[str, tuple[float, float]]:
    """The joints of an exercise's end position, with the floor at height 0."""
    exercise = LIBRARY.get(exercise_id)
    figure = Figure(exercise.pose.end, exercise.pose.view)
    floor = floor_level(figure, exercise.pose)
    return {name: (x, y - floor) for name, (x, y) in figure.points().items()}


@pytest.mark.parametrize("exercise", LIBRARY.exercises.values(), ids=lambda e: e.id)
def test_every_exercise_has_a_pose_that_renders_to_valid_svg(exercise: Exercise) -> None:
    root = ET.fromstring(pose_svg(exercise.pose, exercise.name))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    width, height = (float(v) for v in root.attrib["viewBox"].split()[2:])
    assert 10 < width < 80 and 5 < height < 40
    strokes = "".join(path.attrib["d"] for path in root.iter("{http://www.w3.org/2000/svg}path"))
    assert strokes.count("M") >= 2 * 10  # two figures of ten segments at least
    head = f"a{HEAD_RADIUS:.2f} {HEAD_RADIUS:.2f}"
    assert strokes.count(head) >= 2 * 2  # their heads, two arcs each
    assert len(list(root.iter("{http://www.w3.org/2000/svg}path"))) <= 12  # few elements


@pytest.mark.parametrize("exercise_id", ["front-plank", "front-plank-knees", "side-plank"])
def test_a_plank_holds_a_straight_body_near_horizontal(exercise_id: str) -> None:
    joints = held(exercise_id)
    side = "far" if LIBRARY.get(exercise_id).pose.view == "front" else "near"
    shoulder, hip = joints[f"{side}_shoulder"], joints[f"{side}_hip"]
    end = joints[f"{side}_knee"] if exercise_id.endswith("knees") else joints[f"{side}_ankle"]
    assert angle_between(shoulder, hip, end) > 170
    assert incline(shoulder, end) < 25


def test_a_front_plank_rests_on_forearms_and_toes() -> None:
    joints = held("front-plank")
    for side in ("near", "far"):
        assert joints[f"{side}_elbow"][1] < 0.5 and joints[f"{side}_hand"][1] < 0.5
        assert joints[f"{side}_toe"][1] < 0.5
        assert joints[f"{side}_elbow"][0] == pytest.approx(joints["shoulder"][0], abs=0.5)
    assert joints["hip"][1] > 1.5


def test_a_side_plank_is_sideways_on_one_forearm() -> None:
    assert LIBRARY.get("side-plank").pose.view == "front"
    joints = held("side-plank")
    assert joints["far_elbow"][1] < 0.5 and joints["far_hand"][1] < 0.5
    assert joints["near_elbow"][1] > 2 and joints["near_hand"][1] > 2
    assert joints["far_elbow"][0] == pytest.approx(joints["far_shoulder"][0], abs=0.8)


def test_a_bridge_lifts_the_hips_with_the_feet_flat() -> None:
    joints = held("glute-bridge")
    assert joints["hip"][1] > joints["shoulder"][1] + 1.5
    assert joints["hip"][1] > joints["near_ankle"][1] + 1.5
    assert angle_between(joints["shoulder"], joints["hip"], joints["near_knee"]) > 160
    for side in ("near", "far"):
        assert joints[f"{side}_ankle"][1] < 0.6 and joints[f"{side}_toe"][1] < 0.6
        assert incline(joints[f"{side}_ankle"], joints[f"{side}_toe"]) < 15


def test_a_bird_dog_reaches_the_opposite_arm_and_leg() -> None:
    joints = held("bird-dog")
    raised_arms = [s for s in ("near", "far") if joints[f"{s}_hand"][1] > joints["shoulder"][1] - 1]
    raised_legs = [s for s in ("near", "far") if joints[f"{s}_ankle"][1] > joints["hip"][1] - 1]
    assert len(raised_arms) == 1 and len(raised_legs) == 1
    assert raised_arms != raised_legs
    arm, leg = raised_arms[0], raised_legs[0]
    assert joints[f"{arm}_hand"][0] > joints["shoulder"][0] + 4
    assert joints[f"{leg}_ankle"][0] < joints["hip"][0] - 6


def test_a_prop_must_name_a_point_of_the_figure() -> None:
    with pytest.raises(ValueError, match="not a point of the figure"):
        Pose.model_validate({"start": STANDING,
                             "end": {**STANDING, "props": [{"kind": "ball", "at": "elbow"}]}})


def test_a_segment_pointing_at_the_viewer_is_drawn_shorter() -> None:
    bent = Figure(Position.model_validate({**STANDING, "near_leg": [0, -90],
                                           "short": {"near_thigh": 0.4}}), "front")
    hip, knee = bent.points()["near_hip"], bent.points()["near_knee"]
    assert knee[0] - hip[0] == pytest.approx(0.4 * THIGH)
    with pytest.raises(ValueError, match="not a fraction"):
        Position.model_validate({**STANDING, "short": {"near_shin": 1.5}})

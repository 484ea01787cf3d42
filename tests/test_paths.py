"""Folder names from athlete names and ids: safe on every system, inside --out, kept apart."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import BASE_PROFILE, make_profile, run

HOSTILE = [
    "../../etc", "..", "/etc/passwd", "CON", "com1", "nul.txt", "a" * 200, "李明", "王芳",
    "Łukasz Żółć", "!!!", "x\x00y", "C:\\Windows", "<script>alert(1)</script>", "ab/../../cd",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_name_gives_a_plain_folder_name(name: str) -> None:
    athlete_id = make_profile(name=name[:120]).id
    assert athlete_id and len(athlete_id) <= 60
    assert all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in athlete_id)
    assert athlete_id.lower() not in {"con", "prn", "aux", "nul", "com1", "lpt1"}


def test_different_names_never_share_a_folder() -> None:
    ids = {make_profile(name=name[:120]).id for name in HOSTILE}
    assert len(ids) == len(HOSTILE)
    assert make_profile(name="a" * 120).id != make_profile(name="a" * 119 + "b").id
    assert make_profile(name="é" * 70).id != make_profile(name="é" * 65).id


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_an_empty_name_is_a_profile_error(name: str, tmp_path: Path) -> None:
    profile = tmp_path / "p.yaml"
    profile.write_text(yaml.safe_dump({**BASE_PROFILE, "name": name}))
    result = run("plan", str(profile), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "name" in result.output and not (tmp_path / "out").exists()


def test_nothing_is_written_outside_the_output_folder(tmp_path: Path) -> None:
    profile = tmp_path / "p.yaml"
    profile.write_text(yaml.safe_dump({**BASE_PROFILE, "name": "../../escape", "weeks": 1,
                                       "id": "../../../escape"}))
    out = tmp_path / "deep" / "out"
    result = run("plan", str(profile), "--out", str(out))
    assert result.exit_code == 0, result.output
    written = {p for p in tmp_path.rglob("*") if p.is_file()}
    outside = {p for p in written if out not in p.parents and p != profile}
    assert {p.name for p in outside} <= {"history.db", "history.db-wal", "history.db-shm"}
    assert (out / "escape" / "plan.pdf").is_file()

"""The referral sheet a runner takes to a clinician, instead of a plan: one page that says
why, sums up their running and back, what to do meanwhile, leaves room for the clinician's
note and says how to start again."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from backstride.inputs.library import Library
from backstride.render.documents import write_plan_files
from backstride.rules.planner import build_plan
from tests.conftest import make_profile, run


def sheet_text(pdf: Path) -> str:
    reader = PdfReader(pdf)
    assert len(reader.pages) == 1  # one sheet to take along
    return " ".join((reader.pages[0].extract_text() or "").split())


def referral_pdf(library: Library, tmp_path: Path, **back: object) -> Path:
    profile = make_profile(current_weekly=32, longest_recent_run=12,
                           back={"worse_with": "flexion", **back})
    files = write_plan_files(build_plan(profile, library), library, tmp_path)
    return files.pdf


def test_the_sheet_sums_up_the_runner_for_the_clinician(library: Library,
                                                        tmp_path: Path) -> None:
    text = sheet_text(referral_pdf(library, tmp_path, pain=4, conditions=["disc_herniation"],
                                   red_flags=["night_pain", "fever"]))
    assert "7 Dec 2026" in text  # the day training stopped
    assert "32 km a week" in text and "12 km" in text
    assert "bending forward" in text
    assert "disc herniation" in text
    assert "4/10" in text
    assert "constant pain at night" in text and "fever with back pain" in text


def test_the_sheet_says_what_to_do_meanwhile_and_how_to_start_again(
    library: Library, tmp_path: Path,
) -> None:
    text = sheet_text(referral_pdf(library, tmp_path, pain=8))
    assert "Pain reported at 8 out of 10" in text
    assert "gently active" in text and "Avoid bed rest" in text
    assert "Clinician's note" in text and "Signature" in text
    assert "backstride plan PROFILE --replan" in text


def test_the_sheet_calls_itself_a_referral_not_a_plan(library: Library,
                                                      tmp_path: Path) -> None:
    pdf = referral_pdf(library, tmp_path, pain=8)
    text = sheet_text(pdf)
    assert "This referral sheet is" in text
    assert "This plan is" not in text
    assert "referral sheet" in (PdfReader(pdf).metadata.title or "")


def test_a_squad_runner_with_severe_pain_gets_the_same_sheet(tmp_path: Path) -> None:
    roster = tmp_path / "harriers.csv"
    roster.write_text("name,current_weekly,goal_weekly,start,weeks,back.pain\n"
                      "Jonas Berg,35,45,2026-12-07,4,8\n")
    result = run("squad", str(roster), "--out", str(tmp_path), "--jobs", "1")
    assert result.exit_code == 0, result.output
    text = sheet_text(tmp_path / "harriers" / "jonas-berg" / "plan.pdf")
    assert "Pain reported at 8 out of 10" in text
    assert "35 km a week" in text and "Avoid bed rest" in text
    assert "Clinician's note" in text

"""Renderers: units, escaping, offline rendering and the PDF in parts."""

from __future__ import annotations

from pathlib import Path

import pytest
from markupsafe import escape
from pypdf import PdfReader

from backstride.inputs.library import Library
from backstride.render.documents import render_documents, write_plan_files
from backstride.render.format import first_sentence, library_dose
from backstride.render.html import build_view, session_reasons
from backstride.render.pdf import RefusedURLError, allowed_path, write_pdf
from backstride.render.templates import templates_dir
from backstride.render.workers import PdfRenderer
from backstride.rules.planner import build_plan
from tests.conftest import make_profile


def test_names_are_escaped_in_html(library: Library) -> None:
    plan = build_plan(make_profile(name="<script>alert(1)</script> Ana", weeks=1), library)
    html = render_documents(plan, library).html
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "url", ["http://example.com/x.css", "file:///etc/hostname", "file:///etc/passwd",
            (templates_dir() / ".." / "plan.py").as_uri()],
)
def test_rendering_fetches_nothing_outside_the_templates(url: str) -> None:
    with pytest.raises(RefusedURLError):
        allowed_path(url, templates_dir())


def test_miles_are_shown_in_miles(library: Library) -> None:
    plan = build_plan(make_profile(units="mi", current_weekly=15, goal_weekly=20, weeks=1),
                      library)
    html = render_documents(plan, library).html
    assert " mi" in html and "20 mi" in html


def test_the_pdf_is_laid_out_from_a_cover_its_second_page_every_week_the_routines_and_guide(
        library: Library) -> None:
    plan = build_plan(make_profile(weeks=9), library)
    units = render_documents(plan, library).pdf.units
    assert [unit.name for unit in units] == [
        "cover", "intro", *[f"week-{n}" for n in range(1, 10)], "routines", "guide"]
    for week in range(1, 10):
        heading = f"Week {week} \u00b7"
        assert [unit.name for unit in units if heading in unit.section] == [f"week-{week}"]
    assert [unit.name for unit in units if "Exercise guide" in unit.section] == ["guide"]
    assert [unit.name for unit in units if "How to use this plan" in unit.section] == ["intro"]
    assert [unit.name for unit in units if "Weeks 1\u20134 (" in unit.section] == ["routines"]
    assert len({unit.key for unit in units}) == len(units)


def test_files_without_workers(library: Library, tmp_path: Path) -> None:
    plan = build_plan(make_profile(weeks=1), library)
    files = write_plan_files(plan, library, tmp_path / "runner")
    assert PdfReader(files.pdf).pages
    names = sorted(p.name for p in files.folder.iterdir())
    assert names == ["plan.html", "plan.ics", "plan.json", "plan.pdf"]


HOSTILE_MARKUP = [
    '<img src="http://example.com/track.png">',
    '<link rel="stylesheet" href="file:///etc/hostname">',
    "<style>body { background: url(file:///etc/hostname) }</style>",
    '<script>document.write("x")</script>',
]


@pytest.mark.parametrize("markup", HOSTILE_MARKUP)
def test_markup_in_names_and_notes_is_shown_as_text(library: Library, markup: str) -> None:
    profile = make_profile(name=f"Ana {markup}"[:120], weeks=1)
    plan = build_plan(profile, library)
    plan = plan.model_copy(update={"notes": [*plan.notes, markup]})
    html = render_documents(plan, library).html
    assert markup not in html
    assert str(escape(markup)) in html


def test_a_file_outside_the_templates_cannot_be_pulled_into_a_pdf(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    css = tmp_path / "evil.css"
    css.write_text('body::after { content: "FROM-EVIL-CSS"; }')
    html = (
        f'<html><head><link rel="stylesheet" href="{css.as_uri()}">'
        f'<style>@import url("{css.as_uri()}");</style></head><body><p>visible</p>'
        f'<object data="{secret.as_uri()}" type="text/plain"></object>'
        f'<embed src="{secret.as_uri()}" type="text/plain">'
        f'<iframe src="{secret.as_uri()}"></iframe>'
        f'<img src="{secret.as_uri()}" alt="">'
        '<img src="file:///etc/hostname" alt=""></body></html>'
    )
    target = tmp_path / "out.pdf"
    write_pdf(html, target)
    text = "".join(page.extract_text() for page in PdfReader(target).pages)
    assert "visible" in text
    assert "TOP-SECRET" not in text and "FROM-EVIL-CSS" not in text
    assert "TOP-SECRET" not in target.read_bytes().decode("latin-1")


def test_every_guide_exercise_has_its_drawing_in_the_html(library: Library) -> None:
    plan = build_plan(make_profile(weeks=2), library)
    html = render_documents(plan, library).html
    used = {e.id for w in plan.weeks for d in w.days for s in d.sessions for e in s.exercises}
    for exercise_id in used:
        name = library.get(exercise_id).name
        assert f'alt="{escape(name)}: start and end position"' in html
    assert html.count('<img class="pose" src="data:image/svg+xml;base64,') == len(used)


def test_no_guide_entry_is_split_across_pages(library: Library, tmp_path: Path) -> None:
    # 12 weeks of the shipped example fill several guide pages; an entry's name, drawing
    # and cues must be read together, on one page.
    plan = build_plan(make_profile(weeks=12, run_days=["mon", "wed", "thu", "sat", "sun"],
                                   equipment=["mat", "foam_roller", "band"]), library)
    files = write_plan_files(plan, library, tmp_path / "runner")
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(files.pdf).pages]
    # Cross-training's entries are on the routines page, the rest in the guide.
    routines = next(i for i, text in enumerate(pages) if "Your routines" in text)
    guide = next(i for i, text in enumerate(pages) if "Exercise guide" in text)
    used = {e.id for w in plan.weeks for d in w.days for s in d.sessions for e in s.exercises}
    assert len(used) > 20  # several guide pages
    for exercise_id in used:
        exercise = library.get(exercise_id)
        last_cue = " ".join(exercise.cues[-1].split()[:4])
        # Name and dose: "Side plank" alone would also find "Side plank on knees".
        heading = f"{exercise.name} {library_dose(exercise)}"
        first = routines if exercise.category == "cross_training" else guide
        page = next(i for i in range(first, len(pages)) if heading in pages[i])
        assert last_cue in pages[page], f"{exercise.name}: its cues run onto the next page"


def test_a_busy_week_still_fits_one_page(library: Library, tmp_path: Path) -> None:
    plan = build_plan(make_profile(
        weeks=6, current_weekly=50, goal_weekly=70, experience="advanced", min_rest_days=1,
        run_days=["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        equipment=["mat", "foam_roller", "band", "dumbbells"], cross_training=["swim", "cycle"],
        max_minutes={"default": 90, "sun": 150},
    ), library)
    files = write_plan_files(plan, library, tmp_path / "runner")
    pages = [page.extract_text() for page in PdfReader(files.pdf).pages]
    starts = [next(i for i, text in enumerate(pages) if f"Week {week.index} \u00b7" in text)
              for week in plan.weeks]
    routines = next(i for i, text in enumerate(pages) if "Your routines" in text)
    assert [b - a for a, b in zip(starts, [*starts[1:], routines], strict=True)] == [1] * 6


def test_the_guide_and_the_cover_s_second_page_name_no_runner_so_runners_share_them(
    library: Library,
) -> None:
    ana = render_documents(build_plan(make_profile(name="Ana Lopez", weeks=3), library), library)
    bo = render_documents(build_plan(make_profile(name="Bo Chen", weeks=3), library), library)
    ana_units = {unit.name: unit for unit in ana.pdf.units}
    bo_units = {unit.name: unit for unit in bo.pdf.units}
    for shared in ("intro", "guide"):
        assert ana_units[shared].key == bo_units[shared].key
        html = ana.pdf.html([ana_units[shared]])
        assert "Ana" not in html
    assert "Exercise guide" in ana.pdf.html([ana_units["guide"]])
    assert "How to use this plan" in ana.pdf.html([ana_units["intro"]])
    assert "Ana Lopez" in ana.pdf.html([ana_units["cover"], ana_units["week-1"]])
    for runner_s in ("cover", "week-1"):  # they carry the runner's name
        assert ana_units[runner_s].key != bo_units[runner_s].key


def test_one_process_and_two_workers_print_the_same_pages(library: Library,
                                                          tmp_path: Path) -> None:
    plan = build_plan(make_profile(weeks=4), library)
    alone = write_plan_files(plan, library, tmp_path / "alone")
    with PdfRenderer() as renderer:
        parallel = write_plan_files(plan, library, tmp_path / "parallel", renderer)
    texts = [[page.extract_text() for page in PdfReader(files.pdf).pages]
             for files in (alone, parallel)]
    assert texts[0] == texts[1]
    assert "backstride \u00b7 Exercise guide" in texts[0][-1]
    for files in (alone, parallel):
        reader = PdfReader(files.pdf)
        assert reader.metadata is not None
        assert reader.metadata.title == "backstride training plan: Test Runner"
        assert str(reader.root_object["/Lang"]) == "en"


USUAL_ROUTINE = "Warm-up before and cool-down after every run: your usual ones"


def test_the_usual_warm_up_and_cool_down_are_given_once_on_the_routines_page(
        library: Library) -> None:
    """Weeks whose runs have the plan's usual warm-up and cool-down point to the routines
    page in a line; a week whose runs need other ones (pain 2: week 1's are flare-up safe)
    gives its own at its top, once."""
    plan = build_plan(make_profile(run_days=["mon", "wed", "fri", "sun"], weeks=3,
                                   back={"pain": 2}), library)
    units = {unit.name: unit.section for unit in render_documents(plan, library).pdf.units}
    assert units["routines"].count("Warm-up before every run: ") == 1
    assert units["routines"].count("Cool-down after every run: ") == 1
    assert units["week-1"].count("Warm-up before every run: ") == 1
    assert USUAL_ROUTINE not in units["week-1"]
    for week in ("week-2", "week-3"):
        assert USUAL_ROUTINE in units[week]
        assert "Warm-up before every run: " not in units[week]
    for section in units.values():
        assert "Before: " not in section and "After: " not in section


def test_runs_with_different_warm_ups_each_list_their_own(library: Library) -> None:
    plan = build_plan(make_profile(run_days=["mon", "wed", "fri", "sun"], weeks=1), library)
    week = plan.weeks[0]
    run_day = next(day for day in week.days if any(s.kind == "run" for s in day.sessions))
    run = next(s for s in run_day.sessions if s.kind == "run")
    shorter = run.model_copy(update={"exercises": run.exercises[1:]})  # one warm-up move less
    days = [day.model_copy(update={"sessions": [shorter if s is run else s
                                                for s in day.sessions]})
            if day is run_day else day for day in week.days]
    plan = plan.model_copy(update={"weeks": [week.model_copy(update={"days": days})]})
    section = next(unit.section for unit in render_documents(plan, library).pdf.units
                   if unit.name == "week-1")
    assert "every run" not in section
    runs = sum(1 for day in days for s in day.sessions if s.kind == "run")
    assert section.count("Before: ") == runs and section.count("After: ") == runs


def test_each_reason_on_the_cover_has_its_own_label(library: Library) -> None:
    # A calm start stands cross-training in for running; later weeks cross-train for itself.
    plan = build_plan(make_profile(back={"pain": 3}, cross_training=["cycle", "swim"]), library)
    labels = [reason.label for reason in session_reasons(plan)]
    assert "Cross-training" in labels and "Cross-training in place of running" in labels
    assert len(labels) == len(set(labels))


def test_each_reason_is_printed_once_under_the_first_session_it_explains(
        library: Library) -> None:
    # A calm start, then running: the reasons for cross-training in place of running come
    # first, the runs' own reasons in the weeks after.
    plan = build_plan(make_profile(back={"pain": 3}, cross_training=["cycle", "swim"],
                                   weeks=8), library)
    view = build_view(plan, library)
    printed = [session.why for week in view.weeks for day in week.days
               for session in day.sessions if session.why]
    assert len(printed) == len(set(printed))
    whys = {session.why for week in plan.weeks for day in week.days for session in day.sessions}
    assert set(printed) == {first_sentence(why) for why in whys if why}
    assert {reason.value for reason in view.reasons} == {why for why in whys if why}
    # Not all in week 1: later weeks bring sessions week 1 did not have.
    assert any(session.why for week in view.weeks[1:] for day in week.days
               for session in day.sessions)


def test_a_rest_day_says_so_in_its_first_line(library: Library) -> None:
    plan = build_plan(make_profile(run_days=["mon", "wed", "fri", "sun"], weeks=1), library)
    rest_days = [day for day in plan.weeks[0].days if day.rest and day.sessions]
    assert rest_days, "the profile should have a rest day with a walk"
    week = next(u for u in render_documents(plan, library).pdf.units if u.name == "week-1")
    assert week.section.count("Rest day &#183; ") == len(rest_days)

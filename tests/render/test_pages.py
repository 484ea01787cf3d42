"""A plan PDF in units: which are laid out, which are copied from the PDF it replaces."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader

from backstride.files import write_plan_files
from backstride.inputs.library import Library
from backstride.plan import Plan
from backstride.render.documents import render_documents
from backstride.render.pages import (
    Pages,
    Unit,
    plan_layout,
    recorded_units,
    unit_spans,
)
from backstride.render.workers import PdfRenderer
from backstride.rules.replan import FlareUpReport, replan_after_flare_up
from tests.conftest import plan_for

REPORT_DAY = dt.date(2026, 12, 23)  # a Wednesday in week 3 of a plan starting 2026-12-07


@pytest.fixture(scope="module")
def plan(library: Library) -> Plan:
    return plan_for(library, current_weekly=25, goal_weekly=35, weeks=6,
                    run_days=["mon", "wed", "thu", "sat"], equipment=["band"])


@pytest.fixture(scope="module")
def revised(plan: Plan, library: Library) -> Plan:
    return replan_after_flare_up(plan, FlareUpReport(date=REPORT_DAY, pain=5), library)


def page_texts(pdf: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages]


def unit(name: str, cost: float = 1.0) -> Unit:
    return Unit(name, f"key-{name}", cost, f"<section id='{name}'></section>")


# -- choosing what to lay out ---------------------------------------------------------------

def test_units_already_printed_are_reused_and_not_laid_out() -> None:
    units = [unit("cover"), unit("week-1"), unit("week-2"), unit("guide", 4.0)]
    old = Path("old.pdf")
    printed = {"key-week-1": Pages(old, 1, 1), "key-guide": Pages(old, 3, 4)}
    layout = plan_layout(units, printed, workers=2)
    assert layout.reused == {"week-1": printed["key-week-1"], "guide": printed["key-guide"]}
    laid_out = [u.name for _, job in layout.jobs for u in job]
    assert sorted(laid_out) == ["cover", "week-2"]
    assert {worker for worker, _ in layout.jobs} == {0, 1}


def test_two_workers_get_about_the_same_work() -> None:
    units = [unit("cover", 1.4), *[unit(f"week-{n}") for n in range(1, 13)], unit("guide", 8.0)]
    layout = plan_layout(units, {}, workers=2)
    work = {0: 0.0, 1: 0.0}
    for worker, job in layout.jobs:
        work[worker] += sum(u.cost for u in job)
    assert abs(work[0] - work[1]) <= 1.5
    assert [u.name for _, job in layout.jobs if job[0].name == "guide" for u in job] == ["guide"]


def test_one_worker_lays_out_the_runner_s_units_in_one_document_and_the_guide_in_another(
) -> None:
    units = [unit("cover"), unit("week-1"), unit("guide")]
    layout = plan_layout(units, {}, workers=1)
    assert [[u.name for u in job] for _, job in layout.jobs] == [["cover", "week-1"], ["guide"]]
    assert {worker for worker, _ in layout.jobs} == {0}


def test_pages_of_each_unit_from_the_anchors_on_each_page() -> None:
    pages = [["cover"], [], ["week-1"], ["week-2", "x"], ["guide"], [], []]
    spans = unit_spans(pages, ["cover", "week-1", "week-2", "guide"])
    assert spans == {"cover": (0, 2), "week-1": (2, 1), "week-2": (3, 1), "guide": (4, 3)}
    with pytest.raises(ValueError, match="week-3"):
        unit_spans(pages, ["week-3"])


# -- what a written PDF records, and what a flare-up reuses ---------------------------------

def test_a_plan_pdf_records_its_units_and_their_pages(plan: Plan, library: Library,
                                                      tmp_path: Path) -> None:
    files = write_plan_files(plan, library, tmp_path / "runner")
    units = render_documents(plan, library).pdf.units
    recorded = recorded_units(files.pdf)
    assert list(recorded) == [u.key for u in units]
    assert sum(pages.count for pages in recorded.values()) == len(PdfReader(files.pdf).pages)
    texts = page_texts(files.pdf)
    by_name = {unit.name: unit for unit in units}
    for week in plan.weeks:
        pages = recorded[by_name[f"week-{week.index}"].key]
        assert pages.count == 1
        assert f"Week {week.index} \u00b7" in texts[pages.first]


def test_a_flare_up_reuses_the_weeks_before_it_and_the_guide(
        plan: Plan, revised: Plan, library: Library) -> None:
    before = {u.name: u.key for u in render_documents(plan, library).pdf.units}
    after = {u.name: u.key for u in render_documents(revised, library).pdf.units}
    same = {name for name in after if before.get(name) == after[name]}
    assert {"week-1", "week-2"} <= same
    assert "cover" not in same and "week-3" not in same
    if revised.weeks and {e.id for w in plan.weeks for d in w.days for s in d.sessions
                          for e in s.exercises} == {
            e.id for w in revised.weeks for d in w.days for s in d.sessions for e in s.exercises}:
        assert "guide" in same


@pytest.mark.parametrize("workers", [False, True])
def test_a_revised_pdf_prints_every_unit_in_order(
        plan: Plan, revised: Plan, library: Library, tmp_path: Path, workers: bool) -> None:
    folder = tmp_path / "runner"
    write_plan_files(plan, library, folder)
    old_texts = page_texts(folder / "plan.pdf")
    if workers:
        with PdfRenderer() as renderer:
            files = write_plan_files(revised, library, folder, renderer)
    else:
        files = write_plan_files(revised, library, folder)
    texts = page_texts(files.pdf)
    alone = write_plan_files(revised, library, tmp_path / "alone")
    assert texts == page_texts(alone.pdf)  # the same pages as when laid out from scratch
    assert texts[:1] != old_texts[:1] and "flare-up" in texts[0]
    reader = PdfReader(files.pdf)
    assert reader.metadata is not None and reader.metadata.title == revised_title(revised)
    assert reader.root_object["/Lang"] == "en"


def revised_title(plan: Plan) -> str:
    return f"backstride training plan: {plan.athlete.name}"


def damage(pdf: Path) -> None:
    data = bytearray(pdf.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 2000] = bytes(2000)
    pdf.write_bytes(bytes(data))


def insert_blank_page(pdf: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=str(pdf))  # keeps the document information, record too
    writer.insert_blank_page(index=0)
    writer.write(str(pdf))


@pytest.mark.parametrize("change", [damage, insert_blank_page])
@pytest.mark.parametrize("workers", [False, True])
def test_a_previous_pdf_changed_since_it_was_written_lends_no_pages(
        plan: Plan, library: Library, tmp_path: Path, workers: bool, change: object) -> None:
    folder = tmp_path / "runner"
    files = write_plan_files(plan, library, folder)
    good = page_texts(files.pdf)
    assert recorded_units(files.pdf)
    change(files.pdf)  # type: ignore[operator]
    assert recorded_units(files.pdf) == {}
    if workers:
        with PdfRenderer() as renderer:
            write_plan_files(plan, library, folder, renderer)
    else:
        write_plan_files(plan, library, folder)
    assert page_texts(files.pdf) == good


def test_bookmarks_lead_to_the_cover_its_second_page_every_week_and_the_guide(
        plan: Plan, revised: Plan, library: Library, tmp_path: Path) -> None:
    folder = tmp_path / "runner"
    write_plan_files(plan, library, folder)
    with PdfRenderer() as renderer:  # laid out in parts, some pages from the old PDF
        files = write_plan_files(revised, library, folder, renderer)
    reader = PdfReader(files.pdf)
    texts = page_texts(files.pdf)
    top = [entry for entry in reader.outline if not isinstance(entry, list)]
    titles = [entry.title for entry in top]
    assert titles[:2] == ["backstride training plan", "How to use this plan"]
    assert titles[-1] == "Exercise guide"
    assert [t.split(" \u00b7")[0] for t in titles[2:-1]] == [
        f"Week {week.index}" for week in revised.weeks]
    for entry in top[1:-1]:
        assert entry.title.split(" \u00b7")[0] in texts[reader.get_destination_page_number(entry)]


def test_squad_workers_share_the_guide_and_the_cover_s_second_page_through_a_folder(
    library: Library, tmp_path: Path
) -> None:
    from backstride.render import pdf

    shared = tmp_path / "shared"
    shared.mkdir()
    ana = plan_for(library, name="Ana Lopez", current_weekly=25, goal_weekly=35, weeks=2)
    bo = plan_for(library, name="Bo Chen", current_weekly=25, goal_weekly=35, weeks=2)
    pdf._KEPT.clear()
    first = write_plan_files(ana, library, tmp_path / "ana", shared_pages=shared)
    left = sorted(shared.iterdir())  # "<key>-<pages>.pdf" each
    units = {u.name: u for u in render_documents(ana, library).pdf.units}
    assert sorted(path.name.split("-")[0] for path in left) == sorted(
        [units["intro"].key, units["guide"].key])
    written = [path.stat().st_ino for path in left]
    pdf._KEPT.clear()  # as in another worker process
    second = write_plan_files(bo, library, tmp_path / "bo", shared_pages=shared)
    assert sorted(shared.iterdir()) == left
    assert [path.stat().st_ino for path in left] == written  # read, not laid out again
    ana_pages, bo_pages = page_texts(first.pdf), page_texts(second.pdf)
    assert "Bo Chen" in bo_pages[0] and "Ana Lopez" in ana_pages[0]
    assert bo_pages[1] == ana_pages[1] and bo_pages[-1] == ana_pages[-1]
    assert "How to use this plan" in bo_pages[1] and "Ana Lopez" not in bo_pages[1]
    assert [entry.title for entry in PdfReader(second.pdf).outline
            if not isinstance(entry, list)][:2] == [
        "backstride training plan", "How to use this plan"]

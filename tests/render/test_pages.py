"""A plan PDF in units: how they are shared between workers, and the pages put together."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader

from backstride.inputs.library import Library
from backstride.plan import Plan
from backstride.render.documents import render_documents, write_plan_files
from backstride.render.join import Pages
from backstride.render.pages import Unit, plan_layout, unit_spans
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


# -- the pages put together ----------------------------------------------------------------

def test_each_week_is_one_page_in_order(plan: Plan, library: Library, tmp_path: Path) -> None:
    texts = page_texts(write_plan_files(plan, library, tmp_path / "runner").pdf)
    week_pages = [[index for index, text in enumerate(texts) if f"Week {week.index} \u00b7" in text]
                  for week in plan.weeks]
    assert all(len(pages) == 1 for pages in week_pages)
    assert [pages[0] for pages in week_pages] == list(range(week_pages[0][0],
                                                            week_pages[0][0] + len(plan.weeks)))


def test_workers_print_the_same_pdf_as_one_process(
        plan: Plan, revised: Plan, library: Library, tmp_path: Path) -> None:
    folder = tmp_path / "runner"
    write_plan_files(plan, library, folder)
    old_texts = page_texts(folder / "plan.pdf")
    with PdfRenderer() as renderer:
        files = write_plan_files(revised, library, folder, renderer)
    alone = write_plan_files(revised, library, tmp_path / "alone")
    texts = page_texts(files.pdf)
    assert texts == page_texts(alone.pdf)
    assert texts[:1] != old_texts[:1] and "flare-up" in texts[0]
    reader = PdfReader(files.pdf)
    assert reader.metadata is not None and reader.metadata.title == revised_title(revised)
    assert reader.root_object["/Lang"] == "en"


def revised_title(plan: Plan) -> str:
    return f"backstride training plan: {plan.athlete.name}"


def test_bookmarks_lead_to_the_cover_its_second_page_every_week_the_routines_and_the_guide(
        plan: Plan, revised: Plan, library: Library, tmp_path: Path) -> None:
    folder = tmp_path / "runner"
    write_plan_files(plan, library, folder)
    with PdfRenderer() as renderer:  # laid out in parts, by two workers
        files = write_plan_files(revised, library, folder, renderer)
    reader = PdfReader(files.pdf)
    texts = page_texts(files.pdf)
    top = [entry for entry in reader.outline if not isinstance(entry, list)]
    titles = [entry.title for entry in top]
    assert titles[:2] == ["backstride training plan", "How to use this plan"]
    assert titles[-2:] == ["Your routines", "Exercise guide"]
    assert [t.split(" \u00b7")[0] for t in titles[2:-2]] == [
        f"Week {week.index}" for week in revised.weeks]
    for entry in top[1:-1]:
        assert entry.title.split(" \u00b7")[0] in texts[reader.get_destination_page_number(entry)]
    # A link to plan.pdf#week-3 opens week 3, whichever part it was laid out in; and the
    # file says it is a PDF that may hold transparency (1.4 or later), as each part did.
    destinations = reader.named_destinations
    for week in revised.weeks:
        page = reader.get_destination_page_number(destinations[f"week-{week.index}"])
        assert f"Week {week.index} \u00b7" in texts[page]
        assert f"Week {week.index + 1} \u00b7" not in texts[page]
    assert reader.get_destination_page_number(
        destinations["guide"]) == reader.get_destination_page_number(top[-1])
    assert reader.pdf_header >= "%PDF-1.4"


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

"""The routines page: the usual warm-up and cool-down, each block's core and strength routine
with its doses week by week, and the runner's cross-training."""

from __future__ import annotations

import pytest

from backstride.inputs.library import Library
from backstride.plan import Plan
from backstride.render.documents import render_documents
from backstride.render.guide import NOT_THIS_WEEK, RoutineTable, routine_blocks
from tests.conftest import plan_for
from tests.rules.test_routines import TWELVE_WEEKS, flare_up


@pytest.fixture(scope="module")
def twelve_weeks(library: Library) -> Plan:
    return plan_for(library, **TWELVE_WEEKS)


def table(plan: Plan, library: Library, block: int, label: str) -> RoutineTable:
    return next(t for t in routine_blocks(plan, library)[block].tables if t.label == label)


def test_each_block_of_four_weeks_shows_its_routines_once(
        twelve_weeks: Plan, library: Library) -> None:
    blocks = routine_blocks(twelve_weeks, library)
    assert [block.heading.split(" (")[0] for block in blocks] == [
        "Weeks 1\u20134", "Weeks 5\u20138", "Weeks 9\u201312"]
    for block in blocks:
        assert [t.label for t in block.tables] == [
            "Core stability", "Hip, glute and hamstring strength"]
        assert len(block.weeks) == 4 and block.weeks[3].phase == "Deload"
    html = render_documents(twelve_weeks, library).html
    assert html.count("Your routines") == 1
    assert html.count("Weeks 5\u20138 (") == 1


def test_a_row_s_dose_climbs_through_the_build_weeks_and_drops_a_set_in_the_deload(
        twelve_weeks: Plan, library: Library) -> None:
    strength = table(twelve_weeks, library, 0, "Hip, glute and hamstring strength")
    squat = next(row for row in strength.rows if row.name == "Bodyweight squat")
    assert squat.doses == ["3 x 12", "3 x 13", "3 x 14", "2 x 14"]
    clamshell = next(row for row in strength.rows if row.name.startswith("Clamshell"))
    assert clamshell.name == "Clamshell (per side)"


def test_the_easier_form_after_a_flare_up_has_a_row_of_its_own(
        twelve_weeks: Plan, library: Library) -> None:
    # Pain 5 in week 10: the calm week swaps the block's harder forms for easier ones, which
    # the table shows in rows of their own, with a dash in the weeks that do not use them.
    revised, _ = flare_up(library, twelve_weeks, week=10, pain=5)
    rows = [row for label in ("Core stability", "Hip, glute and hamstring strength")
            for row in table(revised, library, 2, label).rows]
    assert any(row.doses[0] == NOT_THIS_WEEK and row.doses[1] != NOT_THIS_WEEK for row in rows)
    assert any(row.doses[0] != NOT_THIS_WEEK and row.doses[1] == NOT_THIS_WEEK for row in rows)


def test_cross_training_is_on_the_routines_page_so_the_guide_is_shared(
        library: Library) -> None:
    """Runners who differ only in their cross-training share the exercise guide's pages;
    each finds their activities, drawn and explained, on their routines page."""
    swim = render_documents(plan_for(library, weeks=2, cross_training=["swim"],
                                     min_rest_days=1), library)
    cycle = render_documents(plan_for(library, weeks=2, cross_training=["cycle"],
                                      min_rest_days=1), library)
    units = [{unit.name: unit for unit in documents.pdf.units} for documents in (swim, cycle)]
    assert units[0]["guide"].key == units[1]["guide"].key
    assert "Swimming" in units[0]["routines"].section
    assert "Cycling" in units[1]["routines"].section
    assert "Swimming" not in units[0]["guide"].section

"""What a coach reads after planning a squad: the overview (squad.html, squad.pdf), the pack of
every runner's pages, and the lines in the terminal."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from backstride.render.squad import terminal_note
from tests.conftest import run

ROSTER = """name,units,current_weekly,goal_weekly,start,weeks,run_days,min_rest_days,back.pain
Ana Lopez,km,25,30,2026-12-07,2,mon;wed;sat;sun,,2
Chloe Martin,mi,12,18,2026-12-07,2,tue;thu;sat;sun,,1
Dev Patel,km,20,30,2026-12-07,2,mon;wed;fri;sun,,4
Jonas Berg,km,35,45,2026-12-07,2,tue;thu;sat;sun,,8
Leo Novak,km,25,30,2026-12-07,2,sat,6,0
Mia Broken,km,lots,30,2026-12-07,2,,,0
"""
RUNNERS = ("Ana Lopez", "Chloe Martin", "Dev Patel", "Jonas Berg", "Leo Novak")


@pytest.fixture(scope="module")
def squad(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `harriers` squad planned once, with its pack: OUT/harriers."""
    folder = tmp_path_factory.mktemp("squad")
    roster = folder / "harriers.csv"
    roster.write_text(ROSTER)
    result = run("squad", str(roster), "--out", str(folder), "--pack", "--jobs", "2",
                 "--db", str(folder / "history.db"))
    assert result.exit_code == 1, result.output  # Leo cannot be planned, Mia cannot be read
    return folder / "harriers"


def overview_text(squad: Path) -> str:
    return " ".join(" ".join((page.extract_text() or "").split())
                    for page in PdfReader(squad / "squad.pdf").pages)


def html_row(html: str, name: str) -> str:
    """The overview table's row of runner `name`."""
    start = html.index(f"{name}</")
    return html[html.rindex("<tr", 0, start):html.index("</tr>", start)]


def test_the_overview_is_titled_with_the_squad_s_name(squad: Path) -> None:
    html = (squad / "squad.html").read_text()
    assert "<h1>Harriers</h1>" in html
    assert "Squad harriers" not in html and "Squad harriers" not in overview_text(squad)
    assert (PdfReader(squad / "squad.pdf").metadata.title or "").startswith("Harriers")


def test_each_runner_s_distances_goal_peak_and_pain_are_in_their_own_units(squad: Path) -> None:
    html = (squad / "squad.html").read_text()
    chloe = html_row(html, "Chloe Martin")
    assert ">12 mi<" in chloe and ">18 mi<" in chloe and ">1/10<" in chloe
    assert re.search(r">\d+ mi<", chloe.replace(">12 mi<", "").replace(">18 mi<", ""))
    assert " km<" not in chloe  # the peak too
    ana = html_row(html, "Ana Lopez")
    assert ">25 km<" in ana and ">30 km<" in ana and ">2/10<" in ana
    text = overview_text(squad)
    for heading in ("Now", "Goal", "Peak week", "Pain", "Status"):
        assert heading in text


def test_runners_who_need_attention_come_first(squad: Path) -> None:
    text = overview_text(squad)
    order = [text.index(name) for name in
             ("Jonas Berg", "Leo Novak", "Mia Broken", "Dev Patel", "Ana Lopez")]
    assert order == sorted(order)  # referral, no plan, bad row, calm start, plan
    assert "calm start" in text and "REFERRAL" in text and "No plan" in text


def test_every_runner_s_chart_has_the_same_scale(squad: Path) -> None:
    html = (squad / "squad.html").read_text()

    def tallest_bar(name: str) -> float:
        return max(float(h) for h in re.findall(r"v([\d.]+)h-", html_row(html, name)))

    # Dev, calm at pain 4, runs less than Ana: his bars are shorter, not stretched to fit.
    assert tallest_bar("Dev Patel") < tallest_bar("Ana Lopez")
    assert max(tallest_bar(name) for name in ("Ana Lopez", "Chloe Martin", "Dev Patel")) == 24.0


def test_squad_html_links_to_each_runner_s_plan(squad: Path) -> None:
    html = (squad / "squad.html").read_text()
    for folder in ("ana-lopez", "chloe-martin", "dev-patel", "jonas-berg"):
        assert f'href="{folder}/plan.html"' in html and f'href="{folder}/plan.pdf"' in html
        assert (squad / folder / "plan.html").is_file()
    assert 'href="leo-novak/' not in html  # no plan, nothing to link to


def test_the_pack_starts_every_runner_on_the_front_of_a_sheet(squad: Path) -> None:
    pack = PdfReader(squad / "pack.pdf")
    assert len(pack.pages) % 2 == 0
    top = [item for item in pack.outline if not isinstance(item, list)]
    titles = [item.title for item in top]
    assert titles[0].startswith("Harriers")
    assert len(top) == 1 + 4  # the overview, then one bookmark per runner with pages
    for name in ("Ana Lopez", "Chloe Martin", "Dev Patel", "Jonas Berg"):
        assert sum(name in title for title in titles) == 1
    first_pages = [pack.get_destination_page_number(item) for item in top]
    assert all(page % 2 == 0 for page in first_pages)  # page 1, 3, 5...: a sheet's front
    parts = [squad / "squad.pdf"] + [squad / f / "plan.pdf" for f in
                                     ("ana-lopez", "chloe-martin", "dev-patel", "jonas-berg")]
    padded = sum(len(PdfReader(p).pages) + len(PdfReader(p).pages) % 2 for p in parts)
    assert len(pack.pages) == padded
    blanks = [page for page in pack.pages if not (page.extract_text() or "").strip()]
    assert len(blanks) == padded - sum(len(PdfReader(p).pages) for p in parts)


def test_notes_in_the_terminal_are_never_cut_mid_word() -> None:
    note = ("From week 3 the rules hold less than the ramp allows (your run days and "
            "minutes, the long-run share, and no run over 110% of your longest run).")
    short = terminal_note(note)
    assert len(short) <= 90 and short.endswith("...")
    kept = short.removesuffix("...").split()
    assert kept == note.split()[:len(kept)]  # whole words only
    assert terminal_note("A short note.") == "A short note."

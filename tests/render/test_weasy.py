"""The quicker WeasyPrint import and HTML parsing change the time taken, never what is drawn."""

from __future__ import annotations

import ctypes.util
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from backstride.inputs.library import Library
from backstride.render.documents import render_documents
from backstride.render.html import environment, stylesheet, templates_dir
from backstride.render.pages import GUIDE
from backstride.render.squad import render_squad_html
from backstride.render.weasy import (
    custom_properties_resolved,
    html_document,
    import_weasyprint,
)
from backstride.rules.replan import FlareUpReport, replan_after_flare_up
from backstride.squad import RunnerResult
from tests.conftest import plan_for


def test_sized_arrays_hold_the_same_values() -> None:
    import_weasyprint()
    import weasyprint.pdf.fonts

    ffi = weasyprint.pdf.fonts.ffi
    values = [3, 1, 4, 1, 5]
    array = ffi.new(f"hb_codepoint_t[{len(values)}]", values)
    assert ffi.typeof(array) == ffi.typeof("hb_codepoint_t[]")
    assert list(array) == values
    assert list(ffi.new("hb_codepoint_t[4]")) == [0, 0, 0, 0]  # no initialiser: as before


def test_library_lookups_are_restored() -> None:
    import_weasyprint()
    assert ctypes.util.find_library.__module__ == "ctypes.util"


def test_two_threads_can_start_rendering_at_once(tmp_path: Path) -> None:
    # A Dask worker runs tasks in threads: the first two PDFs of a fresh process may ask
    # for WeasyPrint at the same moment.
    script = (
        "import sys, threading, ctypes.util\n"
        "from pathlib import Path\n"
        "from backstride.render.pdf import write_pdf\n"
        "errors = []\n"
        "def render(n):\n"
        "    try:\n"
        "        write_pdf('<p>hello</p>', Path(sys.argv[1]) / f'{n}.pdf')\n"
        "    except Exception as error:\n"
        "        errors.append(repr(error))\n"
        "threads = [threading.Thread(target=render, args=(n,)) for n in range(3)]\n"
        "for t in threads: t.start()\n"
        "for t in threads: t.join()\n"
        "assert not errors, errors\n"
        "assert ctypes.util.find_library.__module__ == 'ctypes.util'\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0.pdf", "1.pdf", "2.pdf"]


# -- parsing: expat's tree for backstride's documents, tinyhtml5's for anything else ---------

def _documents(library: Library) -> dict[str, str]:
    """Every kind of document backstride lays out, with hostile and non-ASCII text in it."""
    plan = plan_for(library, name='Zoë <b>"O\'Neil"</b> & 李明', weeks=3, units="mi",
                    experience="intermediate", equipment=["band", "foam_roller"],
                    cross_training=["swim", "cycle"])
    revised = replan_after_flare_up(plan, FlareUpReport(date=plan.weeks[1].start, pain=5,
                                                        note="Sore <i>after</i> gardening"),
                                    library)
    referral = plan_for(library, back={"pain": 8})
    results = [RunnerResult(1, "ana", "Ana & Co", "plan", "a note <here>", (20.0, 22.0),
                            ("build", "build")),
               RunnerResult(2, "ben", "Ben", "referral", "Pain 8/10")]
    documents = {"warm-up": environment().get_template("warm_up.html").render(css=stylesheet()),
                 "squad": render_squad_html("club", results, [(3, "row 3", "bad & <worse>")])}
    for name, each in [("plan", plan), ("flare-up", revised), ("referral", referral)]:
        pdf = render_documents(each, library).pdf
        guide = [unit for unit in pdf.units if unit.name == GUIDE]
        documents[name] = pdf.html([u for u in pdf.units if u.name != GUIDE])
        if guide:
            documents[f"{name} guide"] = pdf.html(guide)
    return documents


def test_backstride_documents_are_parsed_by_expat_into_the_same_pages(library: Library) -> None:
    # ...and with the print stylesheet parsed once per process, its custom properties
    # written in: the pages are those WeasyPrint draws from the document as it stands.
    import weasyprint

    from backstride.render.pdf import _print_stylesheet_taken_out, _url_fetcher, render_pdf

    base_url = str(templates_dir()) + os.sep
    for name, html in _documents(library).items():
        parsed_once = bool(_print_stylesheet_taken_out(html, base_url)[1])
        assert parsed_once == (name != "squad"), name  # the overview adds rules of its own
        ours = html_document(html, base_url, _url_fetcher())
        assert ours.etree_element is not None and ours.etree_element.tag == "html", name
        assert _tree(ours.etree_element) == _tree(
            weasyprint.HTML(string=html, base_url=base_url).etree_element), name
        their_pdf = weasyprint.HTML(string=html, base_url=base_url,
                                    url_fetcher=_url_fetcher()).write_pdf()
        assert render_pdf(html) == their_pdf, f"{name}: the pages differ"


def test_custom_properties_are_written_in_only_where_every_element_has_the_same() -> None:
    css = (":root { --ink: #123; --line: 1px solid red; --local: blue }\n"
           "p { color: var(--ink); border: var( --line ); }\n"
           ".a { --local: green; color: var(--local); }\n"
           "b { color: var(--unknown); background: var(--ink, white); }")
    assert custom_properties_resolved(css) == (
        ":root { --ink: #123; --line: 1px solid red; --local: blue }\n"
        "p { color: #123; border: 1px solid red; }\n"
        ".a { --local: green; color: var(--local); }\n"
        "b { color: var(--unknown); background: var(--ink, white); }")
    assert custom_properties_resolved("p { color: var(--ink) }") == "p { color: var(--ink) }"


def test_a_document_that_is_not_xml_is_left_to_weasyprint() -> None:
    html = "<p>One<br>two &nbsp; three<p>four"
    document = html_document(html, "", None)
    paragraphs = document.etree_element.findall(".//p")
    assert [p.text for p in paragraphs] == ["One", "four"]  # tinyhtml5 closed the first p
    assert render_pdf_text(html) == render_pdf_text("<p>One<br>two &nbsp; three</p><p>four</p>")


def render_pdf_text(html: str) -> str:
    from backstride.render.pdf import render_pdf

    pdf = render_pdf(html)
    assert pdf is not None
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _tree(root: Any) -> list[tuple[Any, ...]]:
    """Each element's tag, attributes and text, in document order. White space around the
    html, head and body elements and after the body's last element is left out (it lays
    out as nothing; tinyhtml5 moves what follows </body> into the body), and so is the
    xmlns attribute tinyhtml5 keeps on an inline svg (the svg's tag names its namespace)."""
    body = root.find("body")
    outer = {root, root.find("head"), body}
    loose_tails = outer | set(body[-1:] if body is not None else [])
    rows = []
    for each in root.iter():
        attributes = sorted((k, v) for k, v in each.attrib.items() if not k.endswith("}xmlns"))
        text, tail = each.text, each.tail
        if each in outer:
            text = (text or "").strip() or None
        if each in loose_tails:
            tail = (tail or "").strip() or None
        rows.append((each.tag, attributes, text, tail))
    return rows

"""WeasyPrint as backstride uses it: offline, the same bytes for the same HTML, from threads."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from backstride.inputs.library import Library
from backstride.render.documents import render_documents
from backstride.render.pdf import render_pdf
from tests.conftest import plan_for


def test_the_same_html_gives_the_same_pdf_a_moment_later(library: Library) -> None:
    # Nothing in the PDF depends on the clock (WeasyPrint subsets fonts with HarfBuzz, which
    # stamps no date), so no process-wide SOURCE_DATE_EPOCH is needed.
    html = render_documents(plan_for(library, weeks=1), library).html
    first = render_pdf(html)
    time.sleep(1.1)
    assert render_pdf(html) == first


def test_two_threads_can_start_rendering_at_once(tmp_path: Path) -> None:
    # A Dask worker runs tasks in threads: the first two PDFs of a fresh process may ask
    # for WeasyPrint at the same moment.
    script = (
        "import sys, threading\n"
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
    )
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0.pdf", "1.pdf", "2.pdf"]


def test_weasyprint_is_used_as_installed() -> None:
    # Rendering leaves WeasyPrint and the standard library as they were: nothing patched.
    import ctypes.util

    import weasyprint
    import weasyprint.pdf.fonts

    render_pdf("<p>hello</p>")
    assert ctypes.util.find_library.__module__ == "ctypes.util"
    assert type(weasyprint.pdf.fonts.ffi).__module__ != "backstride.render.pdf"
    assert weasyprint.HTML.__init__.__module__ == "weasyprint"

"""The templates folder, its jinja environment and the stylesheet every document inlines.

Light to import: the PDF workers need the folder and the stylesheet first thing, and
never jinja (imported by `environment`) nor the views of `render.html`.
"""

from __future__ import annotations

import functools
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

if TYPE_CHECKING:
    import jinja2


def templates_dir() -> Path:
    """The folder of the `backstride.templates` package (top-level templates/ in the repo)."""
    return Path(str(files("backstride.templates")))


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    # Built once per process: loading and compiling templates is the slow part.
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@functools.lru_cache(maxsize=1)
def stylesheet() -> Markup:
    # Inlined (not linked) so plan.html works on its own beside the PDF.
    css = (templates_dir() / "print.css").read_text(encoding="utf-8")
    return Markup(css.replace("</", "<\\/"))

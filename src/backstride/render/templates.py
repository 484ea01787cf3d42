"""The templates folder, its jinja environment and the stylesheet every document inlines.

Light to import (jinja only): the PDF workers need the folder and the stylesheet before
anything else, and the views of `render.html` import much more.
"""

from __future__ import annotations

import functools
from importlib.resources import files
from pathlib import Path

import jinja2
from markupsafe import Markup


def templates_dir() -> Path:
    """The folder of the `backstride.templates` package (top-level templates/ in the repo)."""
    return Path(str(files("backstride.templates")))


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    # Built once per process: loading and compiling templates is the slow part.
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

"""Errors a user can fix, and how they are worded.

Every message names the file, the field and, where it helps, the fix. The CLI
prints them one per line and exits non-zero; no traceback reaches the user.
"""

from __future__ import annotations

import difflib
import sqlite3
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pydantic is imported by the code that validates, not by every command
    from pydantic import BaseModel, ValidationError

EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_NO_PLAN = 3
EXIT_DAMAGED = 4


class InputError(Exception):
    """A file or option the user gave is wrong; `problems` holds one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class DamagedDatabaseError(Exception):
    """The history database fails SQLite's own checks; the message says what was found."""


class InfeasiblePlanError(Exception):
    """The hard rules leave no plan at all; `rules` names the rules that conflict."""

    def __init__(self, week: int, rules: list[str], explanation: str) -> None:
        super().__init__(explanation)
        self.week = week
        self.rules = rules
        self.explanation = explanation


def explain(error: Exception) -> tuple[list[str], int] | None:
    """The lines a user reads about an error they can act on, and the exit code that goes
    with it; None for an error no user can fix (a bug)."""
    if isinstance(error, InputError):
        return [f"error: {problem}" for problem in error.problems], EXIT_BAD_INPUT
    if isinstance(error, InfeasiblePlanError):
        return [
            f"error: no plan fits these rules together (week {error.week}): "
            f"{error.explanation}",
            "fix: relax one of them in the profile (more run days or minutes, fewer rest "
            "days or min_rest_days).",
        ], EXIT_NO_PLAN
    if isinstance(error, sqlite3.OperationalError):  # full disk, read-only file, I/O error
        return [f"error: the history database could not be used ({error}); check the disk "
                "and the file's permissions"], EXIT_FAILED
    if isinstance(error, (sqlite3.DatabaseError, DamagedDatabaseError)):
        return [f"error: the history database is damaged ({error}); keep a copy, then "
                "restore it from a backup (`backstride history --check` tells)"], EXIT_DAMAGED
    if isinstance(error, OSError):  # a folder that cannot be written, a full disk
        where = f"{error.filename}: " if error.filename else ""
        return [f"error: {where}{error.strerror or error}"], EXIT_FAILED
    return None


def format_validation_error(
    error: ValidationError, source: str, model: type[BaseModel] | None = None
) -> list[str]:
    """One readable line per pydantic error: `source: field.path: message`. Given the
    `model` validated, a misspelt field is answered with the closest known one."""
    lines = []
    for item in error.errors(include_url=False):
        field = ".".join(str(part) for part in item["loc"]) or "(top level)"
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "missing":
            message = "is required but missing"
        elif item["type"] == "extra_forbidden":
            message = _unknown_field(item["loc"], model)
        elif "input" in item and item["type"] not in ("value_error", "assertion_error"):
            message = f"{message} (got {_short(item['input'])})"
        lines.append(f"{source}: {field}: {message}")
    return lines


def _unknown_field(location: tuple[int | str, ...], model: type[BaseModel] | None) -> str:
    *parents, name = location
    known = _field_names(model, parents)
    closest = difflib.get_close_matches(str(name), known, n=1, cutoff=0.6)
    if closest:
        suggestion = ".".join([*(str(part) for part in parents), closest[0]])
        return f"is not a known field; did you mean `{suggestion}`?"
    return "is not a known field; check the spelling against `backstride schema`"


def _field_names(model: type[BaseModel] | None, parents: list[int | str]) -> list[str]:
    """The fields of the (nested) model found at `parents`, or none when it is not a model."""
    from pydantic import BaseModel

    for part in parents:
        field = model.model_fields.get(str(part)) if model is not None else None
        annotation: Any = field.annotation if field is not None else None
        model = annotation if isinstance(annotation, type) and issubclass(
            annotation, BaseModel) else None
    return list(model.model_fields) if model is not None else []


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."

"""Errors a user can fix, and how they are worded.

Every message names the file, the field and, where it helps, the fix. The CLI
prints them one per line and exits non-zero; no traceback reaches the user.
"""

from __future__ import annotations

from pydantic import ValidationError


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


def format_validation_error(error: ValidationError, source: str) -> list[str]:
    """One readable line per pydantic error: `source: field.path: message`."""
    lines = []
    for item in error.errors(include_url=False):
        field = ".".join(str(part) for part in item["loc"]) or "(top level)"
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "missing":
            message = "is required but missing"
        elif item["type"] == "extra_forbidden":
            message = "is not a known field; check the spelling against `backstride schema`"
        elif "input" in item and item["type"] not in ("value_error", "assertion_error"):
            message = f"{message} (got {_short(item['input'])})"
        lines.append(f"{source}: {field}: {message}")
    return lines


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."

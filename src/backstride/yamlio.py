"""Reading YAML and JSON files safely, with errors that name the file and line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from backstride.errors import InputError

# libyaml's parser when PyYAML was built with it: it reads the exercise library
# about five times faster. Either way only plain data is ever constructed.
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _PlainSafeLoader(_SafeBase):  # type: ignore[valid-type,misc]
    """A safe loader that keeps dates as text, so pydantic reports a bad date by field."""


_PlainSafeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml_file(path: Path) -> Any:
    """Parse a YAML (or JSON) file; no Python objects are ever constructed."""
    text = read_text(path)
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise InputError(
                [f"{path}: line {error.lineno}: not valid JSON ({error.msg})"]
            ) from None
    try:
        return yaml.load(text, Loader=_PlainSafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = f"line {mark.line + 1}: " if mark is not None else ""
        raise InputError([f"{path}: {line}not valid YAML ({error.problem})"]) from None
    except yaml.YAMLError as error:
        raise InputError([f"{path}: not valid YAML ({error})"]) from None


def read_text(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError([f"{path}: no such file"]) from None
    except IsADirectoryError:
        raise InputError([f"{path}: is a folder, not a file"]) from None
    except UnicodeDecodeError:
        raise InputError([f"{path}: not a UTF-8 text file"]) from None
    except OSError as error:
        raise InputError([f"{path}: cannot be read ({error.strerror})"]) from None
    if not text.strip():
        raise InputError([f"{path}: the file is empty"])
    return text

"""Reading YAML and JSON files safely, with errors that name the file and line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from backstride.errors import InputError

MAX_FILE_BYTES = 20_000_000  # far beyond any profile, roster of 10,000 runners or library
# Values in a file, counted as if every YAML alias were written out: a "billion laughs"
# file is a few lines that expand to a billion strings.
MAX_VALUES = 2_000_000

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
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise InputError(
                [f"{path}: line {error.lineno}: not valid JSON ({error.msg})"]
            ) from None
        except RecursionError:
            raise InputError([f"{path}: nested too deeply to be a backstride file"]) from None
    else:
        data = parse_yaml_text(text, str(path))
    if count_values(data, MAX_VALUES) > MAX_VALUES:
        raise InputError([
            f"{path}: holds more than {MAX_VALUES:,} values once its YAML aliases are "
            "expanded; write the data out plainly"
        ])
    return data


def count_values(data: Any, limit: int) -> int:
    """How many values `data` holds, walking shared (aliased) parts each time they appear;
    stops counting once past `limit`."""
    count = 0
    pending = [data]
    while pending and count <= limit:
        value = pending.pop()
        count += 1
        if isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return count


def parse_yaml_text(text: str, source: str) -> Any:
    """Parse YAML text into plain data (dates stay text); `source` names it in errors."""
    try:
        return yaml.load(text, Loader=_PlainSafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = f"line {mark.line + 1}: " if mark is not None else ""
        raise InputError([f"{source}: {line}not valid YAML ({error.problem})"]) from None
    except yaml.YAMLError as error:
        raise InputError([f"{source}: not valid YAML ({error})"]) from None


def read_text(path: Path) -> str:
    """A whole UTF-8 text file (without its byte-order mark, if any), refused (InputError)
    if it is missing, not a plain file, empty or over `MAX_FILE_BYTES`."""
    try:
        if path.is_dir():
            raise InputError([f"{path}: is a folder, not a file"])
        if path.exists() and not path.is_file():
            raise InputError([f"{path}: not a regular file (a device or a pipe?)"])
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InputError([
                f"{path}: larger than backstride's limit of {MAX_FILE_BYTES // 1_000_000} MB "
                "for one file; split it"
            ])
        # utf-8-sig: spreadsheets and Windows editors start a UTF-8 file with a byte-order
        # mark, which would otherwise become part of the first column's or key's name.
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError([f"{path}: no such file"]) from None
    except UnicodeDecodeError:
        raise InputError([f"{path}: not a UTF-8 text file; save it as UTF-8 (a spreadsheet's "
                          "\"CSV UTF-8\")"]) from None
    except OSError as error:
        raise InputError([f"{path}: cannot be read ({error.strerror})"]) from None
    if not text.strip():
        raise InputError([f"{path}: the file is empty"])
    return text

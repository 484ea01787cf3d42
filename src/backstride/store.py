"""The history store: athletes, every plan revision and every flare-up report, in SQLite.

One file (default `backstride.db` in the working directory; `--db` or the
BACKSTRIDE_DB environment variable choose another). WAL mode so a reader never
blocks a writer, foreign keys on, and a schema version in `PRAGMA user_version`
with forward migrations. Rows are only ever added: no command overwrites or
deletes a revision or a report. A busy database is waited for (SQLite's busy
timeout retries for several seconds) before a command gives up with a message.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backstride.errors import InputError

DEFAULT_DB = "backstride.db"
BUSY_TIMEOUT_SECONDS = 15.0

# Each entry moves the schema one version forward; never edit a released one.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE athletes (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        folder TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE revisions (
        athlete_id TEXT NOT NULL REFERENCES athletes(id),
        number INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        reason TEXT NOT NULL,
        profile_json TEXT NOT NULL,
        plan_json TEXT NOT NULL,
        PRIMARY KEY (athlete_id, number)
    );
    CREATE TABLE reports (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        athlete_id TEXT NOT NULL REFERENCES athletes(id),
        created_at TEXT NOT NULL,
        date TEXT NOT NULL,
        pain INTEGER NOT NULL CHECK (pain BETWEEN 0 AND 10),
        worse_with TEXT,
        red_flags TEXT NOT NULL,
        note TEXT NOT NULL,
        revision INTEGER NOT NULL
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
# A squad's runner is stored as `<squad>/<athlete id>`: two squads' runners (or a squad's
# runner and someone planned on their own) with one name keep their own histories.
SQUAD_SEPARATOR = "/"
PLANNED_NEW = "new"
PLANNED_CHANGED = "profile changed"
PLANNED_AGAIN = "replanned"


@dataclass(frozen=True)
class Revision:
    athlete_id: str
    number: int
    created_at: str
    reason: str
    profile_json: str
    plan_json: str


@dataclass(frozen=True)
class Report:
    id: int
    athlete_id: str
    created_at: str
    date: str
    pain: int
    worse_with: str | None
    red_flags: list[str]
    note: str
    revision: int


def database_path(option: Path | None) -> Path:
    """--db, else BACKSTRIDE_DB, else backstride.db in the working directory."""
    if option is not None:
        return option
    return Path(os.environ.get("BACKSTRIDE_DB") or DEFAULT_DB)


class Store:
    """The history database; open with `Store.open(path)` and use as a context manager."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path
        self._depth = 0

    @classmethod
    def open(cls, path: Path, create: bool = True) -> Store:
        """Open (with `create`, make) the history database at `path`."""
        if not path.parent.is_dir():
            raise InputError([
                f"{path}: the folder {path.parent} does not exist; create it or point --db / "
                "BACKSTRIDE_DB elsewhere"
            ])
        if not create and not path.is_file():
            raise InputError([
                f"{path}: no history database here; plan an athlete first with "
                "`backstride plan PROFILE` (or point --db / BACKSTRIDE_DB at yours)"
            ])
        try:
            connection = sqlite3.connect(
                path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None
            )
            connection.execute("PRAGMA foreign_keys = ON")
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                connection.close()
                raise InputError([
                    f"{path}: written by a newer backstride (schema {version}, this one knows "
                    f"{SCHEMA_VERSION}); upgrade backstride. The database was not changed."
                ])
            connection.execute("PRAGMA journal_mode = WAL")
        except sqlite3.DatabaseError as error:
            raise InputError([f"{path}: not a backstride history database ({error})"]) from None
        store = cls(connection, path)
        store._migrate()
        return store

    def close(self) -> None:
        self._db.close()

    def integrity_problems(self) -> list[str]:
        """What SQLite's integrity and foreign-key checks find; empty when the file is sound."""
        found = [row[0] for row in self._db.execute("PRAGMA integrity_check").fetchall()]
        problems = [text for text in found if text != "ok"]
        for table, rowid, parent, _ in self._db.execute("PRAGMA foreign_key_check").fetchall():
            problems.append(f"{table} row {rowid} points at a missing {parent}")
        return problems

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema -------------------------------------------------------------------------------
    def _migrate(self) -> None:
        with self.transaction():
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise InputError([
                    f"{self.path}: written by a newer backstride (schema {version}, this one "
                    f"knows {SCHEMA_VERSION}); upgrade backstride. The database was not changed."
                ])
            for number in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        self._db.execute(statement)
            if version != SCHEMA_VERSION:
                self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken up front so two writers queue instead of failing.

        Nested uses join the outer one: a command reads the latest revision, re-plans and
        appends the next one under a single lock, so no concurrent report is lost.
        """
        if self._depth:
            self._depth += 1
            try:
                yield self._db
            finally:
                self._depth -= 1
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise InputError([
                f"{self.path}: the history database stayed busy for "
                f"{BUSY_TIMEOUT_SECONDS:.0f} s ({error}); try again"
            ]) from None
        self._depth = 1
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        finally:
            self._depth = 0
        self._db.execute("COMMIT")

    # -- reading ------------------------------------------------------------------------------
    def athlete_folder(self, athlete_id: str) -> Path | None:
        row = self._db.execute("SELECT folder FROM athletes WHERE id = ?", (athlete_id,)).fetchone()
        return Path(row[0]) if row else None

    def athlete_ids_named(self, athlete_id: str) -> list[str]:
        """The stored ids `athlete_id` can mean, by id: itself, and every squad's runner of
        that id (`<squad>/<athlete_id>`); a full squad id means only itself."""
        if SQUAD_SEPARATOR in athlete_id:
            return [athlete_id] if self.athlete_folder(athlete_id) is not None else []
        suffix = SQUAD_SEPARATOR + athlete_id
        # substr, not LIKE: LIKE would take an id's '_' as a wildcard.
        rows = self._db.execute(
            "SELECT id FROM athletes WHERE id = ? OR substr(id, -length(?)) = ? ORDER BY id",
            (athlete_id, suffix, suffix),
        ).fetchall()
        return [row[0] for row in rows]

    def athletes(self) -> list[tuple[str, str, int]]:
        """(id, name, number of revisions) of every athlete, by id."""
        return self._db.execute(
            "SELECT a.id, a.name, COUNT(r.number) FROM athletes a "
            "LEFT JOIN revisions r ON r.athlete_id = a.id GROUP BY a.id ORDER BY a.id"
        ).fetchall()

    def latest_revision(self, athlete_id: str) -> Revision | None:
        found = self._revisions("athlete_id = ? ORDER BY number DESC LIMIT 1", athlete_id)
        return found[0] if found else None

    def latest_planned_revision(self, athlete_id: str) -> Revision | None:
        """The newest revision planned from a profile (not one adapted after a flare-up)."""
        found = self._revisions(
            "athlete_id = ? AND reason IN (?, ?, ?) ORDER BY number DESC LIMIT 1",
            athlete_id, PLANNED_NEW, PLANNED_CHANGED, PLANNED_AGAIN,
        )
        return found[0] if found else None

    def revision(self, athlete_id: str, number: int) -> Revision | None:
        found = self._revisions("athlete_id = ? AND number = ?", athlete_id, number)
        return found[0] if found else None

    def revisions(self, athlete_id: str) -> list[Revision]:
        return self._revisions("athlete_id = ? ORDER BY number", athlete_id)

    def _revisions(self, condition: str, *parameters: object) -> list[Revision]:
        rows = self._db.execute(
            "SELECT athlete_id, number, created_at, reason, profile_json, plan_json "
            f"FROM revisions WHERE {condition}",  # condition: a constant of this class
            parameters,
        ).fetchall()
        return [Revision(*row) for row in rows]

    def reports(self, athlete_id: str) -> list[Report]:
        rows = self._db.execute(
            "SELECT id, athlete_id, created_at, date, pain, worse_with, red_flags, note, revision "
            "FROM reports WHERE athlete_id = ? ORDER BY id",
            (athlete_id,),
        ).fetchall()
        return [
            Report(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]), r[7], r[8]) for r in rows
        ]

    # -- writing (append only) ----------------------------------------------------------------
    def add_revision(
        self,
        athlete_id: str,
        name: str,
        folder: Path,
        reason: str,
        profile_json: str,
        plan_for_number: Callable[[int], str],
        report: dict[str, Any] | None = None,
    ) -> int:
        """Append the next revision (and the report that caused it) in one transaction.

        `plan_for_number(n)` returns the plan.json text for revision number n, so the
        number inside the plan always matches the row, even when writers race.
        """
        now = _now()
        with self.transaction() as db:
            db.execute(
                "INSERT INTO athletes (id, name, folder, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET name = excluded.name, folder = excluded.folder",
                (athlete_id, name, str(folder), now),
            )
            row = db.execute(
                "SELECT COALESCE(MAX(number), 0) FROM revisions WHERE athlete_id = ?",
                (athlete_id,),
            ).fetchone()
            number = int(row[0]) + 1
            db.execute(
                "INSERT INTO revisions (athlete_id, number, created_at, reason, profile_json, "
                "plan_json) VALUES (?, ?, ?, ?, ?, ?)",
                (athlete_id, number, now, reason, profile_json, plan_for_number(number)),
            )
            if report is not None:
                db.execute(
                    "INSERT INTO reports (athlete_id, created_at, date, pain, worse_with, "
                    "red_flags, note, revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        athlete_id, now, report["date"], report["pain"], report.get("worse_with"),
                        json.dumps(report.get("red_flags", [])), report.get("note", ""), number,
                    ),
                )
        return number


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")

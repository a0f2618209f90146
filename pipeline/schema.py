"""The store's SQLite schema and its migrations (:mod:`pipeline.store` opens and uses the file).

The schema version lives in ``PRAGMA user_version``; each migration upgrades one version and is never edited once
released, so a file written by any earlier version opens, and one written by a newer version is refused.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable

from .errors import ConfigError

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000


def _schema_v1(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE documents (
            sha256 TEXT PRIMARY KEY,
            file TEXT NOT NULL,
            vendor TEXT,
            vendor_manual INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        )"""
    )
    conn.execute(
        """CREATE TABLE analyses (
            sha256 TEXT NOT NULL REFERENCES documents(sha256) ON DELETE CASCADE,
            library TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL CHECK (status IN ('ok', 'error')),
            met INTEGER NOT NULL DEFAULT 0,
            gaps INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            json TEXT NOT NULL,
            PRIMARY KEY (sha256, library)
        )"""
    )
    conn.execute(
        """CREATE TABLE reviews (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            sha256 TEXT NOT NULL REFERENCES documents(sha256) ON DELETE CASCADE,
            requirement TEXT NOT NULL,
            decision TEXT NOT NULL CHECK (decision IN ('accept', 'override')),
            status TEXT CHECK (status IS NULL OR status IN ('met', 'missing', 'conflict')),
            note TEXT NOT NULL DEFAULT '',
            reviewer TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            CHECK ((decision = 'override') = (status IS NOT NULL))
        )"""
    )
    conn.execute("CREATE INDEX reviews_doc ON reviews(sha256, requirement, id)")
    conn.execute(
        "CREATE TABLE policies (name TEXT PRIMARY KEY, json TEXT NOT NULL, updated_at TEXT NOT NULL)"
    )


# Index i upgrades schema version i to i + 1. Append new steps; never edit a released one.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_schema_v1]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the database schema up to :data:`SCHEMA_VERSION` (``PRAGMA user_version``); return it.

    Runs inside one immediate transaction, so two processes opening a new file at once do not both
    create the tables. A file written by a newer version of the tool is refused, not downgraded.
    """
    conn.execute("BEGIN IMMEDIATE")
    with conn:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise ConfigError(
                f"database schema version {version} is newer than this tool supports ({SCHEMA_VERSION})"
            )
        for step in range(version, SCHEMA_VERSION):
            log.info("migrating database schema %d -> %d", step, step + 1)
            MIGRATIONS[step](conn)
        # PRAGMA does not take parameters; SCHEMA_VERSION is our own integer.
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    return SCHEMA_VERSION


def set_wal(conn: sqlite3.Connection) -> None:
    """Put the database in WAL mode, waiting out another connection's write as busy_timeout would.

    Switching a rollback-journal database (a new file another process is creating, or an old one) to WAL takes a
    read lock and then the write lock in one statement, and SQLite does not call the busy handler for that
    upgrade (it could deadlock), so a writer elsewhere makes it fail at once with "database is locked": two
    processes opening a new store together failed so in CI (test_concurrent_processes).
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    delay = 0.01
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() + delay > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)

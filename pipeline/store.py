"""Local persistence: analysed reports, reviewer decisions and procurement policies in one SQLite file.

Reports are kept as their ``dpa-report/1`` JSON plus a few columns for listing. Reviews are never
updated in place: every decision is a new row and the latest one per requirement wins, so the history
of who changed what stays auditable (accountability, Art. 5(2) GDPR). Every write runs in a single
``BEGIN IMMEDIATE`` transaction, so a crash leaves either the whole record or none of it.

Each thread gets its own connection (Streamlit runs every session, and every rerun, in its own
thread); WAL mode lets readers proceed while one writer commits, and ``busy_timeout`` makes a second
writer wait instead of failing.
"""

from __future__ import annotations

import getpass
import json
import logging
import os
import sqlite3
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ConfigError
from .models import DocStatus, Report, Status
from .schema import BUSY_TIMEOUT_MS, SCHEMA_VERSION, migrate, set_wal

__all__ = ["SCHEMA_VERSION", "Decision", "ReportInfo", "Review", "Store", "default_db_path"]

if TYPE_CHECKING:
    from .policy import Policy

log = logging.getLogger(__name__)



def default_db_path() -> Path:
    """``$DPA_DB`` if set, else ``~/.local/share/dpa/dpa.sqlite3``."""
    env = os.environ.get("DPA_DB")
    if env:
        return Path(env).expanduser()
    return Path.home() / ".local" / "share" / "dpa" / "dpa.sqlite3"


class Decision(str, Enum):
    """What a reviewer did with an automatic finding."""

    ACCEPT = "accept"  # the finding stands as the checker decided it
    OVERRIDE = "override"  # the reviewer replaced the status


@dataclass(frozen=True)
class Review:
    """One reviewer decision on one requirement of one document."""

    requirement: str
    decision: Decision
    status: Status | None  # the replacement status; None for an accept
    note: str = ""
    reviewer: str = ""
    created_at: str = ""

    def effective(self, automatic: Status) -> Status:
        """The status after this review: the override if there is one, else the checker's."""
        if self.decision is Decision.OVERRIDE and self.status is not None:
            return self.status
        return automatic


@dataclass(frozen=True)
class ReportInfo:
    """A stored report's listing columns (no JSON parsing needed to show a table of documents)."""

    sha256: str
    file: str
    vendor: str | None
    status: DocStatus
    library: str
    met: int
    gaps: int
    created_at: str


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


class Store:
    """Reports, reviews and policies in one SQLite file (default :func:`default_db_path`)."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path).expanduser() if path else default_db_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._conns: list[tuple[weakref.ref[threading.Thread], sqlite3.Connection]] = []
        migrate(self._conn())

    # -- connections ---------------------------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        # check_same_thread is off only so close() may close every thread's connection at shutdown;
        # a connection is never shared, since each thread gets its own through self._local.
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
                               isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        set_wal(conn)
        conn.execute("PRAGMA synchronous = NORMAL")  # durable enough in WAL mode, never corrupt
        conn.execute("PRAGMA foreign_keys = ON")
        self._local.conn = conn
        with self._lock:
            # Streamlit starts a thread per rerun: close connections whose thread has ended.
            alive = []
            for ref, c in self._conns:
                thread = ref()
                if thread is None or not thread.is_alive():
                    c.close()
                else:
                    alive.append((ref, c))
            alive.append((weakref.ref(threading.current_thread()), conn))
            self._conns = alive
        return conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; IMMEDIATE takes the write lock up front so busy_timeout applies."""
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        with conn:  # commits on success, rolls back on any exception
            yield conn

    def close(self) -> None:
        """Close every connection this store opened (call at shutdown, not while threads use it)."""
        with self._lock:
            for _, c in self._conns:
                c.close()
            self._conns = []
        self._local = threading.local()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
    def integrity_check(self) -> str:
        """SQLite's own ``PRAGMA integrity_check`` verdict (``"ok"`` when the file is sound)."""
        return self._conn().execute("PRAGMA integrity_check").fetchone()[0]

    # -- reports -------------------------------------------------------------------------------

    def put_report(self, report: Report) -> None:
        """Store (or replace) a report, keyed by document sha256 and clause-library fingerprint.

        A vendor name set by hand (:meth:`set_vendor`) survives re-analysis; reviews are kept.
        """
        if not report.sha256:
            raise ValueError(f"{report.file}: a report needs its document sha256 to be stored")
        library = str(report.provenance.get("clause_library", ""))
        met = sum(1 for f in report.findings if f.status is Status.MET)
        now = _now()
        with self._write() as conn:
            # An upsert, not INSERT OR REPLACE: replacing would delete the row and cascade to reviews.
            conn.execute(
                """INSERT INTO documents (sha256, file, vendor, created_at) VALUES (?, ?, ?, ?)
                   ON CONFLICT(sha256) DO UPDATE SET file = excluded.file,
                     vendor = CASE WHEN documents.vendor_manual THEN documents.vendor
                                   ELSE excluded.vendor END""",
                (report.sha256, report.file, report.vendor, now),
            )
            conn.execute(
                """INSERT OR REPLACE INTO analyses (sha256, library, status, met, gaps, created_at, json)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                (report.sha256, library, report.status.value, met, len(report.findings) - met, now,
                 json.dumps(report.to_dict(), ensure_ascii=False)),
            )
        log.debug("stored report %s (%s)", report.sha256[:12], library or "no library")

    def get_report(self, sha256: str, library: str | None = None) -> Report | None:
        """The latest stored report of a document (or the one made with ``library``), else None."""
        row = self._conn().execute(
            """SELECT a.json, d.vendor FROM analyses a JOIN documents d USING (sha256)
               WHERE a.sha256 = ? AND (? IS NULL OR a.library = ?)
               ORDER BY a.created_at DESC, a.rowid DESC LIMIT 1""",
            (sha256, library, library),
        ).fetchone()
        if row is None:
            return None
        report = Report.from_dict(json.loads(row["json"]))
        report.vendor = row["vendor"]
        return report

    def has_report(self, sha256: str, library: str | None = None) -> bool:
        """Whether a report of this document (made with ``library``, if given) is stored."""
        sql = "SELECT 1 FROM analyses WHERE sha256 = ? AND (? IS NULL OR library = ?) LIMIT 1"
        return self._conn().execute(sql, (sha256, library, library)).fetchone() is not None

    def list_reports(self) -> list[ReportInfo]:
        """One entry per stored document (its latest analysis), newest first."""
        rows = self._conn().execute(
            """SELECT d.sha256, d.file, d.vendor, a.status, a.library, a.met, a.gaps, a.created_at
               FROM documents d JOIN analyses a ON a.rowid = (
                   SELECT rowid FROM analyses WHERE sha256 = d.sha256
                   ORDER BY created_at DESC, rowid DESC LIMIT 1)
               ORDER BY a.created_at DESC"""
        ).fetchall()
        return [
            ReportInfo(r["sha256"], r["file"], r["vendor"], DocStatus(r["status"]), r["library"],
                       r["met"], r["gaps"], r["created_at"])
            for r in rows
        ]

    def reports(self) -> list[Report]:
        """Every stored document's latest report, in :meth:`list_reports` order."""
        return [r for info in self.list_reports() if (r := self.get_report(info.sha256)) is not None]

    def delete_report(self, sha256: str) -> bool:
        """Forget a document: its analyses and reviews go with it. True if it was stored."""
        with self._write() as conn:
            return conn.execute("DELETE FROM documents WHERE sha256 = ?", (sha256,)).rowcount > 0

    def set_vendor(self, sha256: str, name: str | None) -> None:
        """Name the vendor of a document by hand (None reverts to the detected name on next analysis)."""
        with self._write() as conn:
            cur = conn.execute(
                "UPDATE documents SET vendor = ?, vendor_manual = ? WHERE sha256 = ?",
                (name, int(name is not None), sha256),
            )
            if cur.rowcount == 0:
                raise KeyError(f"no stored document {sha256!r}")

    # -- reviews -------------------------------------------------------------------------------

    def add_review(
        self,
        sha256: str,
        requirement: str,
        status: Status | str | None = None,
        note: str = "",
        decision: Decision | str | None = None,
        reviewer: str | None = None,
    ) -> Review:
        """Record a reviewer decision; the latest one per requirement wins, earlier ones stay as history.

        ``status`` given means an override to that status; ``status=None`` means the finding is accepted.
        """
        st = Status(status) if status is not None else None
        dec = Decision(decision) if decision is not None else (Decision.OVERRIDE if st else Decision.ACCEPT)
        if (dec is Decision.OVERRIDE) != (st is not None):
            raise ValueError("an override needs a status, and an accept must not carry one")
        who = reviewer if reviewer is not None else _user()
        review = Review(requirement, dec, st, note or "", who, _now())
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM documents WHERE sha256 = ?", (sha256,)).fetchone() is None:
                raise KeyError(f"no stored document {sha256!r}")
            conn.execute(
                """INSERT INTO reviews (sha256, requirement, decision, status, note, reviewer, created_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                (sha256, requirement, dec.value, st.value if st else None, review.note, review.reviewer,
                 review.created_at),
            )
        return review

    def reviews(self, sha256: str) -> dict[str, Review]:
        """The latest review of each requirement of one document."""
        latest: dict[str, Review] = {}
        for r in self.review_history(sha256):
            latest[r.requirement] = r  # history is oldest first, so later rows win
        return latest

    def all_reviews(self) -> dict[str, dict[str, Review]]:
        """Latest reviews of every stored document, keyed by sha256 (what the exporters take)."""
        out: dict[str, dict[str, Review]] = {}
        for row in self._conn().execute("SELECT * FROM reviews ORDER BY id"):
            out.setdefault(row["sha256"], {})[row["requirement"]] = _review(row)
        return out

    def review_history(self, sha256: str, requirement: str | None = None) -> list[Review]:
        """Every review of a document (optionally of one requirement), oldest first."""
        sql = "SELECT * FROM reviews WHERE sha256 = ? AND (? IS NULL OR requirement = ?) ORDER BY id"
        return [_review(r) for r in self._conn().execute(sql, (sha256, requirement, requirement))]

    # -- policies ------------------------------------------------------------------------------

    def save_policy(self, name: str, policy: Policy) -> None:
        """Store (or replace) a named policy."""
        if not name.strip():
            raise ValueError("a policy needs a name")
        with self._write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO policies (name, json, updated_at) VALUES (?, ?, ?)",
                (name, policy.model_dump_json(), _now()),
            )

    def load_policy(self, name: str) -> Policy:
        """A stored policy by name; :class:`ConfigError` if there is none or it no longer validates."""
        from .policy import policy_from_json  # policy imports nothing from here; keep the edge one-way

        row = self._conn().execute("SELECT json FROM policies WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise ConfigError(f"no stored policy named {name!r}")
        return policy_from_json(row["json"], where=f"stored policy {name!r}")

    def list_policies(self) -> list[str]:
        """Names of the stored policies, sorted."""
        return [r[0] for r in self._conn().execute("SELECT name FROM policies ORDER BY name")]

    def delete_policy(self, name: str) -> bool:
        """Remove a stored policy; True if it existed."""
        with self._write() as conn:
            return conn.execute("DELETE FROM policies WHERE name = ?", (name,)).rowcount > 0


def _review(row: sqlite3.Row) -> Review:
    return Review(
        requirement=row["requirement"],
        decision=Decision(row["decision"]),
        status=Status(row["status"]) if row["status"] else None,
        note=row["note"],
        reviewer=row["reviewer"],
        created_at=row["created_at"],
    )


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return ""

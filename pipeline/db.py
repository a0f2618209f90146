"""One SQLite connection per thread, in WAL mode (Streamlit and the batch workers use threads)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path


def thread_connection(local: threading.local, path: Path) -> sqlite3.Connection:
    """This thread's connection to ``path``, opened on first use with WAL and a 30 s busy timeout."""
    conn = getattr(local, "conn", None)
    if conn is None:
        conn = sqlite3.connect(path, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        local.conn = conn
    return conn

"""A parsed-document cache: re-analysing an unchanged PDF skips the parser (the slowest step after encoding).

Procurement teams re-run the analysis whenever the clause library or a policy changes; the PDF has not
changed, so its parse has not either. Entries are keyed by the file's sha256, the *parser version* and the
parse limits, and hold the :class:`~pipeline.models.ParsedDocument` as JSON in a ``parsed`` table of the same
SQLite file as the embedding cache (``$DPA_CACHE``). The chunker still runs on every analysis (it takes
milliseconds), so a change to chunking never serves stale chunks.

The parser version is a fingerprint of the parser's own source files and of pdfplumber/pdfminer versions:
any edit to the parser invalidates every entry, with no version number to forget to bump.

Unlike the embedding cache (vectors only), this table holds document text. It lives in the user's own
cache folder next to the local report store; ``DPA_PARSE_CACHE=0`` switches it off, and documents opened
with a password are never cached (their text stays as protected as the file).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import sqlite3
import threading
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import Any

from .db import thread_connection
from .models import Block, BlockKind, ParsedDocument

log = logging.getLogger(__name__)

# The modules whose behaviour decides the parser's output.
_PARSER_SOURCES = ("parse.py", "layout.py", "pdftext.py", "guard.py", "ocr.py", "models.py")
_PARSER_PACKAGES = ("pdfplumber", "pdfminer.six", "pypdfium2")


@functools.lru_cache(maxsize=1)
def parser_version() -> str:
    """A fingerprint of the parser: its source files and the PDF libraries' versions."""
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in _PARSER_SOURCES:
        p = here / name
        h.update(name.encode() + b"\x00")
        if p.exists():
            h.update(p.read_bytes())
    for pkg in _PARSER_PACKAGES:
        try:
            h.update(f"{pkg}={metadata.version(pkg)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{pkg}=none".encode())
    return h.hexdigest()[:16]


def doc_to_json(doc: ParsedDocument) -> str:
    """Serialise a parsed document (blocks, pages, warnings) to compact JSON."""
    return json.dumps(asdict(doc), ensure_ascii=False, separators=(",", ":"))


def doc_from_json(raw: str) -> ParsedDocument:
    """Rebuild a parsed document from :func:`doc_to_json`; tuples and enums restored exactly."""
    d: dict[str, Any] = json.loads(raw)
    blocks = [
        Block(text=b["text"], page=b["page"], section=b["section"], kind=BlockKind(b["kind"]),
              pages=tuple(b["pages"]), page_breaks=tuple(tuple(pb) for pb in b["page_breaks"]))
        for b in d["blocks"]
    ]
    return ParsedDocument(name=d["name"], sha256=d["sha256"], pages=d["pages"], blocks=blocks,
                          warnings=list(d["warnings"]))


class ParseCache:
    """Parsed documents in SQLite, keyed by (file sha256, parser version, limits); safe across processes."""

    def __init__(self, path: Path | None, *, version: str | None = None):
        self.path = Path(path) if path else None
        self.version = version or parser_version()
        self.hits = 0
        self.misses = 0
        self._local = threading.local()
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._conn() as c:
                c.execute("CREATE TABLE IF NOT EXISTS parsed (key TEXT PRIMARY KEY, doc TEXT NOT NULL)")

    @property
    def enabled(self) -> bool:
        """False for the disabled cache (no path): every lookup misses, nothing is stored."""
        return self.path is not None

    @classmethod
    def beside(cls, embedder: object | None) -> ParseCache:
        """The cache in the embedding cache's file: the default one when ``embedder`` is None (loaded lazily
        by the analyser), the wrapper's own file for a ``CachedEmbedder``, disabled for other embedders."""
        if os.environ.get("DPA_PARSE_CACHE", "1").lower() in ("0", "off", "false", "no"):
            return cls(None)
        if embedder is None:
            from .embed import default_cache_path

            return cls(default_cache_path())
        path = getattr(embedder, "path", None)
        return cls(Path(path) if path else None)

    def _conn(self) -> sqlite3.Connection:
        return thread_connection(self._local, self.path)

    def key(self, sha256: str, limits: object = None) -> str:
        """The entry key: a document parsed under looser limits must not be served under stricter ones."""
        return hashlib.sha256(f"{sha256}\x00{self.version}\x00{limits!r}".encode()).hexdigest()

    def get(self, sha256: str, name: str, limits: object = None) -> ParsedDocument | None:
        """The cached parse of the file with this sha256 (reported under ``name``), or None."""
        if self.path is None:
            return None
        row = self._conn().execute("SELECT doc FROM parsed WHERE key = ?", (self.key(sha256, limits),)).fetchone()
        if row is None:
            self.misses += 1
            return None
        try:
            doc = doc_from_json(row[0])
        except (ValueError, KeyError, TypeError):  # a damaged row is a miss, never an error
            log.warning("ignoring an unreadable parse-cache entry")
            self.misses += 1
            return None
        self.hits += 1
        doc.name = name  # the same bytes may arrive under another file name
        return doc

    def put(self, doc: ParsedDocument, limits: object = None) -> None:
        """Store a successful parse (failures are not cached: they are cheap to find again)."""
        if self.path is None:
            return
        conn = self._conn()
        with conn:
            conn.execute("INSERT OR REPLACE INTO parsed (key, doc) VALUES (?, ?)",
                         (self.key(doc.sha256, limits), doc_to_json(doc)))

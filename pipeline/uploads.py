"""Uploads for the dashboard: analyse each file once, keep its bytes, and show untrusted names safely.

An upload is analysed unless a report of the same bytes (SHA-256) made with the same clause library is
already stored; its PDF bytes are kept in a folder next to the database so evidence pages can be drawn.
A failing file is reported next to its name and never stops the others.

Documents are untrusted: a vendor name or section heading taken from a PDF goes into Streamlit labels
(which render a subset of Markdown, including images that would load a remote URL) only through
:func:`md_escape`, and file names only through :func:`display_name`.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from .models import DocStatus, Status
from .store import Store

log = logging.getLogger(__name__)

_SHA = re.compile(r"^[0-9a-f]{64}$")
_WJ = "\u2060"  # WORD JOINER
_AUTOLINK = re.compile(r"://|(?i:www)\.|@")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=^\"'])")


# -- untrusted text -------------------------------------------------------------------------------


def _one_line(text: str) -> str:
    # Control and format characters out (format ones include the bidi overrides that make
    # "evil\u202efdp.exe" read as "evilexe.pdf"), whitespace collapsed.
    return " ".join("".join(" " if unicodedata.category(c).startswith("C") else c for c in text).split())


def display_name(name: str, limit: int = 80) -> str:
    """A file name safe to show: last path component, no control/format characters, one line, clipped."""
    cleaned = _one_line(re.split(r"[\\/]", name or "")[-1]) or "(unnamed)"
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def md_escape(text: str, limit: int = 300) -> str:
    """Backslash-escape Markdown (and Streamlit's ``:colour[…]``/``$math$`` syntax) so it shows literally."""
    line = _one_line(text or "")
    if len(line) > limit:
        line = line[: limit - 1] + "…"
    # GitHub-flavoured Markdown turns bare URLs, "www." and e-mail addresses into links even when their
    # punctuation is escaped; an invisible word joiner breaks the pattern without changing what shows.
    line = _AUTOLINK.sub(lambda m: m.group(0)[0] + _WJ + m.group(0)[1:], line)
    return _MD_SPECIAL.sub(r"\\\1", line)


# -- uploads --------------------------------------------------------------------------------------


def pdf_dir(db_path: Path) -> Path:
    """Folder next to the database where uploaded PDFs are kept (for rendering evidence pages)."""
    return db_path.with_name(db_path.stem + "-pdfs")


def _pdf_path(folder: Path, sha256: str) -> Path:
    if not _SHA.match(sha256):  # the name comes from our own hash, but never let it become a path
        raise ValueError(f"not a sha256: {sha256!r}")
    return folder / f"{sha256}.pdf"


def save_pdf(folder: Path, sha256: str, data: bytes) -> Path:
    """Keep a document's bytes under its hash (written once; identical content needs no rewrite)."""
    path = _pdf_path(folder, sha256)
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)  # atomic: a crash never leaves half a PDF under the final name
    return path


def load_pdf(folder: Path, sha256: str) -> bytes | None:
    """The kept bytes of a document, or None if they are not there (e.g. analysed with the CLI)."""
    path = _pdf_path(folder, sha256)
    return path.read_bytes() if path.is_file() else None


class Outcome(str, Enum):
    """What happened to one uploaded file."""

    ANALYSED = "analysed"
    SKIPPED = "skipped"  # same bytes already analysed with this clause library
    FAILED = "failed"


@dataclass
class IngestResult:
    """The outcome for one uploaded file, shown next to it."""

    name: str
    sha256: str
    outcome: Outcome
    vendor: str | None = None
    message: str = ""
    seconds: float = 0.0
    code: str | None = None  # the error code of a failed document (e.g. "encrypted")


def ingest(data: bytes, name: str, analyzer, store: Store, folder: Path,
           password: str | None = None) -> IngestResult:
    """Analyse one upload unless the same bytes were already analysed; store the report and the PDF.

    A failed document is reported, not stored: the comparison holds only documents that were read.
    ``analyzer`` is a :class:`pipeline.analyze.Analyzer` (not imported here, so this module loads fast).
    """
    shown = display_name(name)
    sha = hashlib.sha256(data).hexdigest()
    library = analyzer.provenance()["clause_library"]
    if store.has_report(sha, library):
        stored = store.get_report(sha, library)
        save_pdf(folder, sha, data)  # the bytes may be missing if the report came from the CLI
        return IngestResult(shown, sha, Outcome.SKIPPED, stored.vendor if stored else None,
                            "already analysed (same content): stored analysis and reviews kept")
    try:
        report = analyzer.analyze_bytes(data, shown, password=password)
        seconds = report.timings.get("total", 0.0)
        if report.status is not DocStatus.OK:
            message = report.error or "analysis failed"
            message = message.removeprefix(f"{shown}: ")  # shown next to the file name already
            return IngestResult(shown, sha, Outcome.FAILED, None, message, seconds, report.error_code)
        store.put_report(report)
    except Exception as exc:  # a defect, not the file's fault: still only this file fails, the batch goes on
        log.exception("internal error while analysing an upload (sha256 %s)", sha[:12])
        return IngestResult(shown, sha, Outcome.FAILED, None,
                            f"internal error ({type(exc).__name__}); please report it with the log")
    save_pdf(folder, sha, data)
    n_met = sum(f.status is Status.MET for f in report.findings)
    msg = f"{n_met}/{len(report.findings)} met · {report.pages} pages"
    if report.warnings:
        msg += "; " + "; ".join(report.warnings)
    stored = store.get_report(sha)  # a vendor name set by hand earlier wins over the detected one
    return IngestResult(shown, sha, Outcome.ANALYSED, stored.vendor if stored else report.vendor, msg, seconds)


def forget(store: Store, folder: Path, sha256: str) -> bool:
    """Remove a document everywhere: its analyses and reviews from the store, its kept PDF bytes."""
    path = _pdf_path(folder, sha256)
    path.unlink(missing_ok=True)
    return store.delete_report(sha256)

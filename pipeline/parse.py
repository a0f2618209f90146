"""PDF → :class:`ParsedDocument`: reading-order paragraphs, headings and table rows with their pages.

The only module that imports pdfplumber (and pdfminer, to recognise its password error). Steps per page:
words (from PDFium's text layer, ``pipeline.pdftext``, or pdfplumber as the fallback) → rows → columns
(a vertical gutter found from word x positions) → lines; running headers/footers
and bare page numbers dropped; tables taken out through pdfplumber's table finder. Lines are then
joined into paragraphs across the whole document (breaks from vertical gaps, short lines, indents and
clause numbers; a paragraph continues over a page break when the page ended mid-sentence).

Sections: every block's ``section`` is the text of the nearest heading above it. A paragraph that opens
with a run-in numbered title ("1.1 Scope and Roles. OpenAI may ...") uses that title as its section,
since it is more precise than the enclosing heading; a bare numbered clause ("9.2 The Processor ...")
keeps the enclosing heading (its number stays in the text).
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import statistics
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect

from pipeline.errors import (
    CorruptPdfError,
    DocumentError,
    EmptyFileError,
    EncryptedPdfError,
    LimitExceededError,
    NoTextError,
    NotPdfError,
)
from pipeline.guard import check_inflation, looks_garbled
from pipeline.layout import Line, PageLines, TableRows, build_blocks, drop_running_lines
from pipeline.models import ParsedDocument
from pipeline.pdftext import PageText, TextLayer

log = logging.getLogger(__name__)
# pdfminer's warnings about malformed content quote raw content-stream bytes, i.e. document text (which
# must not reach the logs); a malformed file is reported through this project's own errors instead.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")  # markdown escapes left in rendered DPAs ("1\.")


@dataclass
class ParseLimits:
    """Refuse documents beyond these sizes (protects a batch from one pathological file)."""

    max_bytes: int = 50_000_000
    max_pages: int = 500
    max_seconds: float = 300.0  # checked between pages (cooperative; see pipeline.guard for a hard limit)
    max_inflated_bytes: int = 256_000_000  # decompressed non-image streams (decompression bombs)


def normalize_text(text: str) -> str:
    """NFKC (ligatures ﬁ→fi, no-break spaces), markdown escapes removed, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).replace("\u200b", "")
    text = ESCAPE_RE.sub(r"\1", text)
    text = re.sub(r"(?<![\w_])_+(?=\S)|(?<=\S)_+(?![\w_])", "", text)  # markdown italics: _like this_
    return re.sub(r"\s+", " ", text).strip()


def parse_pdf(
    path: Path, *, password: str | None = None, limits: ParseLimits | None = None
) -> ParsedDocument:
    """Parse the PDF at ``path``; raises a :class:`~pipeline.errors.DocumentError` subtype for bad input."""
    limits = limits or ParseLimits()
    path = Path(path)
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise LimitExceededError(f"{path.name}: {size} bytes exceeds the limit of {limits.max_bytes}")
    return parse_bytes(path.read_bytes(), path.name, password=password, limits=limits)


def parse_bytes(
    data: bytes, name: str, *, password: str | None = None, limits: ParseLimits | None = None
) -> ParsedDocument:
    """Parse PDF bytes (``name`` is reported as the file name); same errors as :func:`parse_pdf`."""
    limits = limits or ParseLimits()
    if not data:
        raise EmptyFileError(f"{name}: the file is empty")
    if len(data) > limits.max_bytes:
        raise LimitExceededError(f"{name}: {len(data)} bytes exceeds the limit of {limits.max_bytes}")
    if b"%PDF-" not in data[:1024]:
        raise NotPdfError(f"{name}: not a PDF (no %PDF header)")
    check_inflation(data, name, limits.max_inflated_bytes)
    try:
        pages, heights = _extract(data, name, password, limits)
    except DocumentError:
        raise
    except Exception as exc:  # pdfminer/pdfium raise many types for broken files; none may escape
        cause = exc.args[0] if exc.args else None
        if isinstance(exc, MemoryError) or isinstance(cause, MemoryError):  # e.g. under guard's RLIMIT_AS
            raise LimitExceededError(f"{name}: parsing ran out of memory") from exc
        if isinstance(exc, PDFPasswordIncorrect) or isinstance(cause, PDFPasswordIncorrect):
            hint = "wrong password" if password else "the PDF is encrypted: use --password"
            raise EncryptedPdfError(f"{name}: {hint}") from exc
        raise CorruptPdfError(f"{name}: broken or truncated PDF ({type(cause or exc).__name__})") from exc
    n_chars = sum(len(ln.text) for lines, _ in pages for ln in lines)
    if n_chars < 20:
        raise NoTextError(f"{name}: no text layer (scanned?)")
    if sum(ln.text.count("(cid:") for lines, _ in pages for ln in lines) * 8 > n_chars * 0.5 \
            or looks_garbled(" ".join(ln.text for lines, _ in pages for ln in lines)):
        raise NoTextError(f"{name}: text in a broken font encoding (unreadable glyph codes)")
    warnings = [f"page {no} has no text layer" for no, (lines, tables) in enumerate(pages, start=1)
                if not lines and not tables]
    drop_running_lines(pages, heights)
    blocks = build_blocks(pages)
    log.info("parsed %s: %d pages, %d blocks", name, len(pages), len(blocks))
    return ParsedDocument(name=name, sha256=hashlib.sha256(data).hexdigest(), pages=len(pages),
                          blocks=blocks, warnings=warnings)


def _extract(
    data: bytes, name: str, password: str | None, limits: ParseLimits
) -> tuple[list[PageLines], list[float]]:
    """Lines and tables of every page, with the page heights (all the pdfplumber work happens here)."""
    pages: list[PageLines] = []
    heights: list[float] = []
    deadline = time.monotonic() + limits.max_seconds
    with pdfplumber.open(io.BytesIO(data), password=password or "") as pdf:
        n = len(pdf.pages)
        if n == 0:
            raise CorruptPdfError(f"{name}: the PDF has no pages")
        if n > limits.max_pages:
            raise LimitExceededError(f"{name}: {n} pages exceeds the limit of {limits.max_pages}")
        layer = _text_layer(data, password, n)
        try:
            for no, page in enumerate(pdf.pages, start=1):
                if time.monotonic() > deadline:
                    raise LimitExceededError(f"{name}: parsing took longer than the limit of "
                                             f"{limits.max_seconds:g} s (stopped at page {no} of {n})")
                pages.append(_page_lines(page, no, layer.page(no - 1) if layer else None))
                heights.append(float(page.height))
                page.close()  # frees pdfplumber's per-page caches: memory stays flat on long documents
        finally:
            if layer:
                layer.close()
    return pages, heights


def _text_layer(data: bytes, password: str | None, n_pages: int) -> TextLayer | None:
    """PDFium's text layer for the words (fast), or None to take them from pdfplumber (the fallback).

    ``DPA_TEXT_LAYER=pdfplumber`` forces the fallback (e.g. to compare the two).
    """
    if os.environ.get("DPA_TEXT_LAYER", "").lower() == "pdfplumber":
        return None
    try:
        layer = TextLayer(data, password)
    except Exception as exc:  # PDFium refuses a file pdfminer opened: fall back, do not fail
        log.info("PDFium cannot open the file (%s); words come from pdfplumber", type(exc).__name__)
        return None
    if len(layer) != n_pages:  # the two libraries disagree on the page tree: trust pdfplumber throughout
        layer.close()
        return None
    return layer


def _dedupe_if_doubled(page):
    """Fake-bold PDFs print each glyph twice; pdfplumber's dedupe is slow, so only when that is the case.

    A copy is found by position, not by stream order: some PDFs draw the glyphs twice one by one, others draw
    the whole line a second time, a fraction of a point to the right.
    """
    chars = page.chars
    seen: set[tuple[str, int, int]] = set()
    doubled = 0
    for c in chars:
        x, y = round(c["x0"]), round(c["top"])
        if any((c["text"], x + dx, y + dy) in seen for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
            doubled += 1
        seen.add((c["text"], x, y))
    return page.dedupe_chars() if doubled > 0.1 * len(chars) else page


def _page_lines(page, no: int, text: PageText | None = None) -> PageLines:
    """Lines of one page in reading order, plus its ruled tables (whose words are left out of the lines).

    Words come from PDFium's text layer when there is one (``text``), else from pdfplumber. pdfplumber's
    table finder runs only on pages that draw lines or boxes: it is slow, and only they hold ruled tables.
    """
    if text is not None and not text.same_box(page.mediabox):
        text = None  # an offset or cropped page box: pdfplumber's own coordinates are the safe choice
    tables: list[TableRows] = []
    boxes = []
    ruled = (text is None or text.has_paths) and (page.rects or page.lines)  # pdfplumber parses the page only here
    if ruled or text is None:
        page = _dedupe_if_doubled(page)  # once, for both the table finder and pdfplumber's words
    if ruled:
        for tab in page.find_tables():
            rows = tab.extract()
            if not rows or max(len(r) for r in rows) < 2:
                continue  # a single box around text is a frame, not a table
            texts = [" | ".join(normalize_text(c or "") for c in r if c and c.strip()) for r in rows]
            tables.append(TableRows(no, tab.bbox[1], [t for t in texts if t]))
            boxes.append(tab.bbox)
    if text is not None:
        words = text.words
    else:
        words = page.extract_words(x_tolerance=2, y_tolerance=3, extra_attrs=["size", "fontname"])
    words = [w for w in words if "dingbat" not in w["fontname"].lower() and not _inside(w, boxes)]
    rows: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if rows and abs(w["top"] - rows[-1][0]["top"]) <= 0.4 * max(w["size"], 4):
            rows[-1].append(w)
        else:
            rows.append([w])
    gutters = _find_gutters(rows, float(page.width))
    lines: list[Line] = []
    pending: dict[int, list[Line]] = {1: [], 2: []}

    def flush() -> None:
        for col in (1, 2):
            lines.extend(pending[col])
            pending[col] = []

    for row, gutter in zip(rows, gutters, strict=True):
        row.sort(key=lambda w: w["x0"])
        if gutter:
            for col, part in ((1, [w for w in row if w["x1"] <= gutter[0]]),
                              (2, [w for w in row if w["x0"] >= gutter[1]])):
                if part:
                    pending[col].append(_make_line(part, no, col))
        else:
            flush()
            lines.append(_make_line(row, no, 0))
    flush()
    _set_geometry(lines, float(page.width))
    return [ln for ln in lines if ln.text], tables


def _inside(w: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    x, y = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
    return any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)


def _find_gutters(rows: list[list[dict]], width: float) -> list[tuple[float, float] | None]:
    """Per row, the column gutter it belongs to (``None`` for full-width rows).

    A gutter is an empty vertical strip (>= 8 pt) in the middle of the page that at least three
    consecutive rows share with words on both sides; rows just below that only have words on the right
    belong to it too (the left column ended first).
    """
    lo, hi = width * 0.25, width * 0.75
    free: list[list[tuple[float, float]]] = []
    for row in rows:
        spans, x = [], lo
        for w in sorted(row, key=lambda w: w["x0"]):
            if w["x0"] - x >= 8 and x >= lo and w["x0"] <= hi + 8:
                spans.append((x, min(w["x0"], hi)))
            x = max(x, w["x1"])
        left = min(w["x0"] for w in row)
        free.append([s for s in spans if s[1] - s[0] >= 8 and left < s[0]])
    out: list[tuple[float, float] | None] = [None] * len(rows)
    i = 0
    while i < len(rows):
        run, j = None, i
        for j in range(i, len(rows)):
            cands = [(max(a, run[0]), min(b, run[1])) if run else (a, b) for a, b in free[j]]
            cands = [c for c in cands if c[1] - c[0] >= 8]
            if not cands:
                break
            run = max(cands, key=lambda c: c[1] - c[0])
        else:
            j = len(rows)
        if run and j - i >= 3:
            while j < len(rows) and all(w["x0"] >= run[1] for w in rows[j]):
                j += 1
            out[i:j] = [run] * (j - i)
            i = j
        else:
            i += 1
    return out


def _make_line(words: list[dict], page: int, col: int) -> Line:
    chars = sum(len(w["text"]) for w in words)
    bold = sum(len(w["text"]) for w in words if re.search(r"bold|black|heavy", w["fontname"], re.I))
    sizes = Counter(round(w["size"], 1) for w in words)
    return Line(normalize_text(" ".join(w["text"] for w in words)), page, words[0]["top"],
                 words[0]["x0"], words[-1]["x1"], sizes.most_common(1)[0][0], bold >= 0.9 * chars, col)


def _set_geometry(lines: list[Line], width: float) -> None:
    """Column right edges and the page's usual line spacing (paragraph breaks are the larger gaps)."""
    rights = {col: max((ln.x1 for ln in lines if ln.col == col), default=width) for col in (0, 1, 2)}
    for ln in lines:
        ln.right = rights[ln.col]
    diffs = [b.top - a.top for a, b in pairwise(lines)
             if a.col == b.col and 0 < b.top - a.top < 2.2 * a.size]
    pitch = statistics.median(diffs) if diffs else 0.0
    for ln in lines:
        ln.pitch = pitch or 1.25 * ln.size

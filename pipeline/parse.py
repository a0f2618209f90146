"""PDF → :class:`ParsedDocument`: reading-order paragraphs, headings and table rows with their pages.

The only module that imports pdfplumber (and pdfminer, to recognise its password error). Steps per page:
words → rows → columns (a vertical gutter found from word x positions) → lines; running headers/footers
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
from pipeline.models import Block, BlockKind, ParsedDocument

log = logging.getLogger(__name__)
# pdfminer's warnings about malformed content quote raw content-stream bytes, i.e. document text (which
# must not reach the logs); a malformed file is reported through this project's own errors instead.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

PAGE_NO_RE = re.compile(r"^(?:page\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
CLAUSE_RE = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|\(?[a-z]\)|\([ivx]{1,5}\)|[ivx]{1,5}\)|[•·▪●\-–*])\s")
NUM_HEAD_RE = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|[A-Z]\.|[IVX]{1,5}\.)\s+[A-Z(“\"]")
_LABEL = r"^(?:annex|appendix|schedule|exhibit|attachment|clause|section|article|part|addendum)\s+" \
    r"(?:\d{1,3}[a-z]?|[IVXLC]{1,6}|[A-Z])\b"
LABEL_RE = re.compile(_LABEL + r"(?:\.|:|\s*[-–—]|$)", re.I)  # "Annex II", "Schedule 1: Details"
BARE_LABEL_RE = re.compile(_LABEL + r"[.:]?$|^\d{1,2}(?:\.\d{1,2})*\.?$", re.I)  # "Annex II", "9."
RUNIN_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2})+\.?)\s+([A-Z][\w’'&/,()\- ]{2,60}?)\.\s+\S")
MODAL_RE = re.compile(r"\b(?:shall|will|must|may|agrees?|undertakes?)\b", re.I)
SENT_END_RE = re.compile(r"[.!?:;][\"'”’)\]]*$")
ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")  # markdown escapes left in rendered DPAs ("1\.")
# Prefixes that stay hyphenated when a line breaks right after them ("sub-\nprocessor" → "sub-processor").
KEEP_HYPHEN = {"sub", "non", "co", "pre", "post", "re", "self", "cross", "third", "multi", "anti", "inter",
               "intra", "e", "de", "opt", "end", "on", "off", "in", "out", "data", "well", "long", "short"}


@dataclass
class ParseLimits:
    """Refuse documents beyond these sizes (protects a batch from one pathological file)."""

    max_bytes: int = 50_000_000
    max_pages: int = 500
    max_seconds: float = 300.0  # checked between pages (cooperative; see pipeline.guard for a hard limit)
    max_inflated_bytes: int = 256_000_000  # decompressed non-image streams (decompression bombs)


@dataclass
class _Line:
    text: str
    page: int
    top: float
    x0: float
    x1: float
    size: float
    bold: bool
    col: int = 0  # 0 full width / single column, 1 left, 2 right
    right: float = 0.0  # right edge of the line's column, to tell short (paragraph-final) lines
    pitch: float = 12.0  # usual line spacing on this page


@dataclass
class _TableRows:
    page: int
    top: float
    rows: list[str]


_Page = tuple[list[_Line], list[_TableRows]]


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
    _drop_running_lines(pages, heights)
    blocks = _build_blocks(pages)
    log.info("parsed %s: %d pages, %d blocks", name, len(pages), len(blocks))
    return ParsedDocument(name=name, sha256=hashlib.sha256(data).hexdigest(), pages=len(pages),
                          blocks=blocks, warnings=warnings)


def _extract(
    data: bytes, name: str, password: str | None, limits: ParseLimits
) -> tuple[list[_Page], list[float]]:
    """Lines and tables of every page, with the page heights (all the pdfplumber work happens here)."""
    pages: list[_Page] = []
    heights: list[float] = []
    deadline = time.monotonic() + limits.max_seconds
    with pdfplumber.open(io.BytesIO(data), password=password or "") as pdf:
        n = len(pdf.pages)
        if n == 0:
            raise CorruptPdfError(f"{name}: the PDF has no pages")
        if n > limits.max_pages:
            raise LimitExceededError(f"{name}: {n} pages exceeds the limit of {limits.max_pages}")
        for no, page in enumerate(pdf.pages, start=1):
            if time.monotonic() > deadline:
                raise LimitExceededError(f"{name}: parsing took longer than the limit of "
                                         f"{limits.max_seconds:g} s (stopped at page {no} of {n})")
            pages.append(_page_lines(page, no))
            heights.append(float(page.height))
            page.close()  # frees pdfplumber's per-page caches: memory stays flat on long documents
    return pages, heights


def _page_lines(page, no: int) -> _Page:
    """Lines of one page in reading order, plus its ruled tables (whose words are left out of the lines)."""
    chars = page.chars
    doubled = sum(1 for a, b in pairwise(chars)
                  if a["text"] == b["text"] and abs(a["x0"] - b["x0"]) < 1 and abs(a["top"] - b["top"]) < 1)
    if doubled > 0.1 * len(chars):
        page = page.dedupe_chars()  # fake-bold PDFs print each glyph twice; dedupe is slow, so only then
    tables: list[_TableRows] = []
    boxes = []
    if page.rects or page.lines:  # the table finder is slow; only ruled pages can hold a ruled table
        for tab in page.find_tables():
            rows = tab.extract()
            if not rows or max(len(r) for r in rows) < 2:
                continue  # a single box around text is a frame, not a table
            texts = [" | ".join(normalize_text(c or "") for c in r if c and c.strip()) for r in rows]
            tables.append(_TableRows(no, tab.bbox[1], [t for t in texts if t]))
            boxes.append(tab.bbox)
    words = page.extract_words(x_tolerance=2, y_tolerance=3, extra_attrs=["size", "fontname"])
    words = [w for w in words if "dingbat" not in w["fontname"].lower() and not _inside(w, boxes)]
    rows: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if rows and abs(w["top"] - rows[-1][0]["top"]) <= 0.4 * max(w["size"], 4):
            rows[-1].append(w)
        else:
            rows.append([w])
    gutters = _find_gutters(rows, float(page.width))
    lines: list[_Line] = []
    pending: dict[int, list[_Line]] = {1: [], 2: []}

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


def _make_line(words: list[dict], page: int, col: int) -> _Line:
    chars = sum(len(w["text"]) for w in words)
    bold = sum(len(w["text"]) for w in words if re.search(r"bold|black|heavy", w["fontname"], re.I))
    sizes = Counter(round(w["size"], 1) for w in words)
    return _Line(normalize_text(" ".join(w["text"] for w in words)), page, words[0]["top"],
                 words[0]["x0"], words[-1]["x1"], sizes.most_common(1)[0][0], bold >= 0.9 * chars, col)


def _set_geometry(lines: list[_Line], width: float) -> None:
    """Column right edges and the page's usual line spacing (paragraph breaks are the larger gaps)."""
    rights = {col: max((ln.x1 for ln in lines if ln.col == col), default=width) for col in (0, 1, 2)}
    for ln in lines:
        ln.right = rights[ln.col]
    diffs = [b.top - a.top for a, b in pairwise(lines)
             if a.col == b.col and 0 < b.top - a.top < 2.2 * a.size]
    pitch = statistics.median(diffs) if diffs else 0.0
    for ln in lines:
        ln.pitch = pitch or 1.25 * ln.size


def _drop_running_lines(pages: list[_Page], heights: list[float]) -> None:
    """Remove bare page numbers, and lines repeated at the same height near the top or bottom of many pages.

    Only the two first and two last lines of a page, within the outer 12% of its height, are candidates;
    a number equal to the page number (or page count) may vary ("Acme DPA - page 3").
    """
    total = len(pages)

    def keys(ln: _Line) -> tuple[str, str]:
        raw = ln.text.lower().replace(" ", "")
        return raw, re.sub(r"\d+", lambda m: "#" if int(m.group()) in (ln.page, total) else m.group(), raw)

    margins = [[ln for ln in lines[:2] + lines[-2:] if not 0.12 * h < ln.top < 0.88 * h]
               for (lines, _), h in zip(pages, heights, strict=True)]
    tops: dict[str, list[float]] = {}
    for edge in margins:
        for k, top in {(k, round(ln.top)) for ln in edge for k in keys(ln)}:
            tops.setdefault(k, []).append(top)
    need = max(2, (total + 1) // 2)
    running = {k: Counter(ys).most_common(1)[0][0] for k, ys in tops.items() if len(ys) >= need}

    def is_running(ln: _Line) -> bool:
        return any(k in running and abs(ln.top - running[k]) <= 4 for k in keys(ln))

    for (lines, _), edge in zip(pages, margins, strict=True):
        drop = {id(ln) for ln in edge if PAGE_NO_RE.match(ln.text) or is_running(ln)}
        lines[:] = [ln for ln in lines if id(ln) not in drop]


def _body_size(pages: list[_Page]) -> float:
    sizes: Counter[float] = Counter()
    for lines, _ in pages:
        for ln in lines:
            sizes[ln.size] += len(ln.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _is_heading(ln: _Line, body: float, starts_para: bool, next_goes_on: bool) -> bool:
    """Short lines set in bold or a larger font, or numbered / labelled / all-caps lines standing alone."""
    text, words = ln.text, ln.text.split()
    if len(text) > 120 or len(words) > 14 or not re.search(r"[A-Za-z]", text):
        return False
    if (ln.bold or ln.size >= body * 1.12) and not PAGE_NO_RE.match(text):
        return starts_para or ln.size >= body * 1.12
    if not starts_para or next_goes_on or text[-1] in ",;-–" or MODAL_RE.search(text):
        return False
    if LABEL_RE.match(text) and len(words) <= 12:
        return True
    if NUM_HEAD_RE.match(text) and len(words) <= (6 if text.endswith(".") else 10):
        return True
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters) and len(words) <= 10


def _continues(prev: _Line, ln: _Line) -> bool:
    """Whether ``ln`` carries on the paragraph whose last line is ``prev``."""
    if CLAUSE_RE.match(ln.text) and SENT_END_RE.search(prev.text):
        return False
    if prev.page != ln.page or prev.col != ln.col or ln.top <= prev.top:
        # Page or column break: the paragraph goes on only if it stopped mid-sentence.
        return not SENT_END_RE.search(prev.text)
    if ln.top - prev.top > 1.3 * max(prev.pitch, ln.size):
        return False
    ended = SENT_END_RE.search(prev.text) is not None
    width = max(prev.right - prev.x0, 1.0)
    if ended and prev.x1 < prev.right - 0.3 * width:
        return False  # a short line that ends a sentence closes its paragraph
    return not (ended and ln.x0 > prev.x0 + 8)  # first-line indent


def _join(prev_text: str, nxt: str, vocab: set[str]) -> str:
    """Join two lines of one paragraph, undoing end-of-line hyphenation but keeping real compounds."""
    if prev_text.endswith("\u00ad"):
        return prev_text[:-1] + nxt
    m = re.search(r"([A-Za-z]+)-$", prev_text)
    if not m or not nxt[:1].isalpha():
        return f"{prev_text} {nxt}"
    frag = m.group(1)
    head = re.match(r"[A-Za-z]+", nxt)
    tail = head.group(0) if head else ""
    if not nxt[0].islower():
        return prev_text + nxt  # "Sub-\nProcessor": a capitalised second part is a real compound
    joined, hyph = (frag + tail).lower(), f"{frag}-{tail}".lower()
    if joined in vocab:
        return prev_text[:-1] + nxt
    if hyph in vocab or frag.lower() in KEEP_HYPHEN:
        return prev_text + nxt
    return prev_text[:-1] + nxt


def _build_blocks(pages: list[_Page]) -> list[Block]:
    body = _body_size(pages)
    vocab = {w.strip(".,;:()[]“”\"'’").lower() for lines, _ in pages for ln in lines for w in ln.text.split()}
    items: list[_Line | _TableRows] = []
    for lines, tables in pages:
        merged: list[_Line | _TableRows] = list(lines)
        for tab in tables:  # a table sits before the first line below its top edge
            at = next((i for i, x in enumerate(merged) if x.top > tab.top), len(merged))
            merged.insert(at, tab)
        items.extend(merged)

    blocks: list[Block] = []
    section = ""
    cur: list[_Line] = []
    prev_heading: _Line | None = None

    def flush() -> None:
        nonlocal cur
        if not cur:
            return
        text, breaks = cur[0].text, []
        for a, b in pairwise(cur):
            text = _join(text, b.text, vocab)
            if b.page != a.page:
                breaks.append((len(text) - len(b.text), b.page))
        own = RUNIN_RE.match(text)
        sec = f"{own.group(1)} {own.group(2)}" if own else section
        pages_ = tuple(sorted({ln.page for ln in cur}))
        blocks.append(Block(text=text, page=cur[0].page, section=sec, kind=BlockKind.PARAGRAPH,
                            pages=pages_, page_breaks=tuple(breaks)))
        cur = []

    for i, item in enumerate(items):
        if isinstance(item, _TableRows):
            flush()
            prev_heading = None
            blocks.extend(Block(text=r, page=item.page, section=section, kind=BlockKind.TABLE_ROW,
                                pages=(item.page,)) for r in item.rows)
            continue
        starts_para = not cur or not _continues(cur[-1], item)
        last = blocks[-1] if blocks and prev_heading is not None else None
        goes_on = last is not None and _heading_goes_on(prev_heading, last.text, item, body)
        nxt = items[i + 1] if i + 1 < len(items) else None
        next_goes_on = isinstance(nxt, _Line) and nxt.page == item.page and _continues(item, nxt)
        if goes_on or _is_heading(item, body, starts_para or prev_heading is not None, next_goes_on):
            flush()
            if goes_on:
                last.text = f"{last.text} {item.text}"
                if item.page not in last.pages:
                    last.pages = (*last.pages, item.page)
            else:
                blocks.append(Block(item.text, item.page, kind=BlockKind.HEADING, pages=(item.page,)))
            section = blocks[-1].section = blocks[-1].text
            prev_heading = item
            continue
        prev_heading = None
        if starts_para:
            flush()
        cur.append(item)
    flush()
    return blocks


def _heading_goes_on(prev: _Line, text: str, ln: _Line, body: float) -> bool:
    """A bare label ("Annex II", "9.") takes the title from the next line; a wrapped styled title goes on."""
    if prev.page != ln.page or ln.top - prev.top > 2.6 * max(prev.size, ln.size):
        return False
    if BARE_LABEL_RE.match(text):
        return len(ln.text.split()) <= 12 and not MODAL_RE.search(ln.text)
    styled = prev.bold or prev.size >= body * 1.12
    return styled and abs(prev.size - ln.size) < 0.5 and prev.bold == ln.bold \
        and not SENT_END_RE.search(text) and ln.top - prev.top <= 1.5 * prev.size

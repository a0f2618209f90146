"""Draw one PDF page as a PNG with a passage highlighted, for the dashboard's evidence view.

This module is *rendering*, not parsing: it is the one exception to "pdfplumber only in
``pipeline/parse.py``", because the word boxes needed to highlight a passage live in the PDF and
pdfplumber can both find and draw them. Nothing here feeds the analysis.

Locating a passage: the chunker's text is whitespace-normalised and de-hyphenated, so the passage is
compared with the page on letters and digits only (case-folded, NFKC), which makes line breaks,
hyphenation and ligatures irrelevant. If the whole passage is not found (it may continue on the next
page, or the parser joined text differently), runs of a few words are located one by one instead.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from dataclasses import dataclass

import pdfplumber

from .errors import CorruptPdfError

log = logging.getLogger(__name__)

DEFAULT_RESOLUTION = 110  # an A4 page (595 pt) becomes ~900 px wide
WINDOW_WORDS = 5  # fallback: locate the passage in runs of this many words
_PAD = 1.5  # points around each highlighted line
_FILL = (255, 214, 0, 110)
_STROKE = (230, 120, 0, 220)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class Box:
    """A rectangle on the page in PDF points, origin top-left (pdfplumber's convention)."""

    x0: float
    top: float
    x1: float
    bottom: float


def _norm(text: str) -> str:
    return _NON_ALNUM.sub("", unicodedata.normalize("NFKC", text).casefold())


def _locate(words: list[dict], passage: str) -> set[int]:
    """Indices of the page words covered by ``passage`` (empty when it is not on the page)."""
    # One string of the page's letters and digits, with the word each character came from.
    chars: list[str] = []
    owner: list[int] = []
    for i, w in enumerate(words):
        n = _norm(w["text"])
        chars.append(n)
        owner.extend([i] * len(n))
    page = "".join(chars)
    target = _norm(passage)
    if not target or not page:
        return set()

    def cover(start: int, length: int) -> set[int]:
        return set(owner[start : start + length])

    pos = page.find(target)
    if pos >= 0:
        return cover(pos, len(target))
    hit: set[int] = set()
    tokens = [t for t in (_norm(t) for t in passage.split()) if t]
    cursor = 0
    for k in range(0, len(tokens), WINDOW_WORDS):
        piece = "".join(tokens[k : k + WINDOW_WORDS])
        if len(piece) < 12:  # too short to be told apart from common phrases elsewhere on the page
            continue
        pos = page.find(piece, cursor)
        if pos < 0:
            pos = page.find(piece)
        if pos >= 0:
            hit |= cover(pos, len(piece))
            cursor = pos + len(piece)
    return hit


def _line_boxes(words: list[dict], hit: set[int]) -> list[Box]:
    """Merge consecutive highlighted words on one text line into a single rectangle."""
    boxes: list[Box] = []
    for i in sorted(hit):
        w = words[i]
        last = boxes[-1] if boxes else None
        if last is not None and i - 1 in hit and abs(w["top"] - last.top) < 2 and w["x0"] >= last.x0:
            boxes[-1] = Box(last.x0, min(last.top, w["top"]), max(last.x1, w["x1"]), max(last.bottom, w["bottom"]))
        else:
            boxes.append(Box(w["x0"], w["top"], w["x1"], w["bottom"]))
    return boxes


def _open(pdf_bytes: bytes, password: str | None) -> pdfplumber.PDF:
    try:
        return pdfplumber.open(io.BytesIO(pdf_bytes), password=password or "")
    except Exception as exc:  # pdfminer raises many unrelated types for broken files
        raise CorruptPdfError(f"cannot open the PDF to render it: {type(exc).__name__}") from exc


def _page(pdf: pdfplumber.PDF, page: int):
    if not 1 <= page <= len(pdf.pages):
        raise ValueError(f"page {page} is outside the document (1-{len(pdf.pages)})")
    return pdf.pages[page - 1]


def passage_boxes(pdf_bytes: bytes, page: int, text: str, password: str | None = None) -> list[Box]:
    """Rectangles (one per text line) covering ``text`` on 1-based ``page``; empty if it is not there."""
    with _open(pdf_bytes, password) as pdf:
        words = _page(pdf, page).extract_words(keep_blank_chars=False, use_text_flow=False)
        return _line_boxes(words, _locate(words, text))


def render_page_png(
    pdf_bytes: bytes,
    page: int,
    highlight_text: str = "",
    resolution: int = DEFAULT_RESOLUTION,
    password: str | None = None,
) -> bytes:
    """PNG bytes of 1-based ``page``, with the words of ``highlight_text`` (if found) marked in yellow.

    Raises :class:`~pipeline.errors.CorruptPdfError` if the PDF cannot be opened and ``ValueError`` for
    a page outside the document.
    """
    with _open(pdf_bytes, password) as pdf:
        p = _page(pdf, page)
        im = p.to_image(resolution=resolution)
        if highlight_text:
            words = p.extract_words(keep_blank_chars=False, use_text_flow=False)
            boxes = _line_boxes(words, _locate(words, highlight_text))
            if boxes:
                rects = [(b.x0 - _PAD, b.top - _PAD, b.x1 + _PAD, b.bottom + _PAD) for b in boxes]
                im.draw_rects(rects, fill=_FILL, stroke=_STROKE, stroke_width=1)
            else:
                log.debug("passage not located on page %d", page)
        buf = io.BytesIO()
        im.save(buf, format="PNG", quantize=False)
        return buf.getvalue()

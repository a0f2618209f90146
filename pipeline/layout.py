"""From page lines to document blocks: running headers and footers dropped, paragraphs joined, headings found.

The document-level half of the parser (``pipeline.parse`` produces the lines of each page). Paragraph breaks
come from vertical gaps, short lines, indents and clause numbers; a paragraph continues over a page break
when the page ended mid-sentence. No PDF library is imported here.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from pipeline.models import Block, BlockKind
from pipeline.tables import SEP, unflatten

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
# Prefixes that stay hyphenated when a line breaks right after them ("sub-\nprocessor" → "sub-processor").
KEEP_HYPHEN = {"sub", "non", "co", "pre", "post", "re", "self", "cross", "third", "multi", "anti", "inter",
               "intra", "e", "de", "opt", "end", "on", "off", "in", "out", "data", "well", "long", "short"}


@dataclass
class Line:
    """One line of text on a page, with the geometry the paragraph and heading rules read."""

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
class TableRows:
    """The rows of one ruled table (cells joined with " | "), placed on its page by its top edge."""

    page: int
    top: float
    rows: list[str]


PageLines = tuple[list[Line], list[TableRows]]  # one page: its lines in reading order, and its tables


def drop_running_lines(pages: list[PageLines], heights: list[float]) -> None:
    """Remove bare page numbers, and lines repeated at the same height near the top or bottom of many pages.

    Only the two first and two last lines of a page, within the outer 12% of its height, are candidates;
    a number equal to the page number (or page count) may vary ("Acme DPA - page 3").
    """
    total = len(pages)

    def keys(ln: Line) -> tuple[str, str]:
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

    def is_running(ln: Line) -> bool:
        return any(k in running and abs(ln.top - running[k]) <= 4 for k in keys(ln))

    for (lines, _), edge in zip(pages, margins, strict=True):
        drop = {id(ln) for ln in edge if PAGE_NO_RE.match(ln.text) or is_running(ln)}
        lines[:] = [ln for ln in lines if id(ln) not in drop]


def _body_size(pages: list[PageLines]) -> float:
    sizes: Counter[float] = Counter()
    for lines, _ in pages:
        for ln in lines:
            sizes[ln.size] += len(ln.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _is_heading(ln: Line, body: float, starts_para: bool, next_goes_on: bool) -> bool:
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


def _continues(prev: Line, ln: Line) -> bool:
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


def build_blocks(pages: list[PageLines]) -> list[Block]:
    body = _body_size(pages)
    vocab = {w.strip(".,;:()[]“”\"'’").lower() for lines, _ in pages for ln in lines for w in ln.text.split()}
    items: list[Line | TableRows] = []
    for lines, tables in pages:
        merged: list[Line | TableRows] = list(lines)
        for tab in tables:  # a table sits before the first line below its top edge
            at = next((i for i, x in enumerate(merged) if x.top > tab.top), len(merged))
            merged.insert(at, tab)
        items.extend(merged)

    blocks: list[Block] = []
    section = ""
    cur: list[Line] = []
    prev_heading: Line | None = None

    def flush() -> None:
        nonlocal cur
        if not cur:
            return
        text, breaks = cur[0].text, []
        for a, b in pairwise(cur):
            text = _join(text, b.text, vocab)
            if b.page != a.page:
                breaks.append((len(text) - len(b.text), b.page))
        rows = unflatten(text)
        if rows:  # a text table flattened into this paragraph: its rows, as a ruled table's (pipeline/tables.py)
            at = 0
            for row in rows:
                at = max(at, text.find(row[1], at))
                page = next((pg for off, pg in reversed(breaks) if off <= at), cur[0].page)
                blocks.append(Block(text=SEP.join(row), page=page, section=section, kind=BlockKind.TABLE_ROW,
                                    pages=(page,)))
            cur = []
            return
        own = RUNIN_RE.match(text)
        sec = f"{own.group(1)} {own.group(2)}" if own else section
        pages_ = tuple(sorted({ln.page for ln in cur}))
        blocks.append(Block(text=text, page=cur[0].page, section=sec, kind=BlockKind.PARAGRAPH,
                            pages=pages_, page_breaks=tuple(breaks)))
        cur = []

    for i, item in enumerate(items):
        if isinstance(item, TableRows):
            flush()
            prev_heading = None
            blocks.extend(Block(text=r, page=item.page, section=section, kind=BlockKind.TABLE_ROW,
                                pages=(item.page,)) for r in item.rows)
            continue
        starts_para = not cur or not _continues(cur[-1], item)
        last = blocks[-1] if blocks and prev_heading is not None else None
        goes_on = last is not None and _heading_goes_on(prev_heading, last.text, item, body)
        nxt = items[i + 1] if i + 1 < len(items) else None
        next_goes_on = isinstance(nxt, Line) and nxt.page == item.page and _continues(item, nxt)
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


def _heading_goes_on(prev: Line, text: str, ln: Line, body: float) -> bool:
    """A bare label ("Annex II", "9.") takes the title from the next line; a wrapped styled title goes on."""
    if prev.page != ln.page or ln.top - prev.top > 2.6 * max(prev.size, ln.size):
        return False
    if BARE_LABEL_RE.match(text):
        return len(ln.text.split()) <= 12 and not MODAL_RE.search(ln.text)
    styled = prev.bold or prev.size >= body * 1.12
    return styled and abs(prev.size - ln.size) < 0.5 and prev.bold == ln.bold \
        and not SENT_END_RE.search(text) and ln.top - prev.top <= 1.5 * prev.size

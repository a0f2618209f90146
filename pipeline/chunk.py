"""Parsed blocks → clause-aware matching units (:class:`Chunk`).

A paragraph is split into sentences by a rule-based splitter that knows legal abbreviations
("Art.", "No.", "e.g.", "Inc."), decimal clause numbers ("9.2") and list markers ("(a)"). A sentence
shorter than :data:`MIN_SENTENCE` characters joins its neighbour in the same paragraph; nothing is ever
joined across blocks, so a chunk never spans two sections. Table rows are chunks of their own, headings
are not chunks (each chunk carries its heading in ``section``). A sentence longer than ``max_chars`` is
cut with LangChain's ``RecursiveCharacterTextSplitter`` (clause separators first).
"""

from __future__ import annotations

import logging
import re

from langchain_text_splitters import RecursiveCharacterTextSplitter

from pipeline.models import Block, BlockKind, Chunk, ParsedDocument

log = logging.getLogger(__name__)

MIN_SENTENCE = 40  # shorter sentences ("Art. 28 applies.") carry too little meaning to match alone
CONTEXT_CHARS = 1500

# Lower-case tokens that end with a period without ending a sentence.
ABBREVIATIONS = {
    "e.g", "i.e", "eg", "ie", "cf", "viz", "etc", "vs", "al", "incl", "approx", "resp", "seq", "ff", "inc",
    "ltd", "co", "corp", "llc", "plc", "gmbh", "s.a", "b.v", "n.v", "mr", "mrs", "ms", "dr", "prof", "jr",
    "sr", "u.s", "u.k", "e.u", "u.s.a", "dept", "subs",
}
# References that end a sentence only when no number follows ("Art. 28", "No. 5" but "said no. Then").
NUMBER_ABBREVIATIONS = {"art", "arts", "no", "nos", "nr", "sec", "secs", "para", "paras", "cl", "ch", "p",
                        "pp", "fig", "ref", "vol", "rev", "reg", "dir", "op", "st"}
# A sentence may open in lower case: anonymised DPAs start sentences with "processor shall ...".
_BOUNDARY = re.compile(r"([.!?])([\"'”’)\]]*)\s+(?=[\"“‘'(\[]?[A-Za-z0-9])")
_CLAUSE_NO = re.compile(r"^\(?(?:\d{1,3}(?:\.\d{1,3})*|[a-zA-Z]|[ivxIVX]{1,5})\)?$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the sentences of ``text`` (whitespace between them excluded)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if m.group(1) == "." and _not_an_end(text, start, m.start(1), text[m.end()]):
            continue
        spans.append((start, m.end(2)))
        start = m.end()
    end = len(text.rstrip())
    if start < end:
        spans.append((start, end))
    return spans


def _not_an_end(text: str, start: int, dot: int, after: str) -> bool:
    """A period after an abbreviation, an initial, or a clause number that opens the sentence."""
    token = re.search(r"(\S+)$", text[start:dot])
    if token is None:
        return False
    word = token.group(1).lstrip("(\"“‘'[").lower()
    if word in ABBREVIATIONS or re.fullmatch(r"[a-z]|(?:[a-z]\.)+[a-z]", word):
        return True
    if word in NUMBER_ABBREVIATIONS and (after.isdigit() or after in "(["):
        return True
    # "9. The Processor shall ..." — the number labels the clause; it is not a sentence of its own.
    return bool(_CLAUSE_NO.match(word)) and not text[start:dot - len(token.group(1))].strip()


def _merge_short(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join each sentence under MIN_SENTENCE characters to the next one (the previous one at the end)."""
    out: list[tuple[int, int]] = []
    carry: int | None = None
    for s, e in spans:
        if carry is not None:
            s, carry = carry, None
        if e - s < MIN_SENTENCE:
            carry = s
            continue
        out.append((s, e))
    if carry is not None:
        if out:
            out[-1] = (out[-1][0], spans[-1][1])
        else:
            out.append((carry, spans[-1][1]))
    return out


def _split_long(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """Cut one over-long sentence at clause separators (``;``, ``,``), then at spaces."""
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=max_chars, chunk_overlap=0, separators=["; ", ", ", " ", ""], keep_separator="end"
    )
    out: list[tuple[int, int]] = []
    cursor = start
    for piece in splitter.split_text(text[start:end]):
        at = text.find(piece, cursor, end)
        if at < 0:  # the splitter only strips whitespace, so this is a defensive fallback
            at = cursor
        out.append((at, at + len(piece)))
        cursor = at + len(piece)
    return out or [(start, end)]


def _page_at(block: Block, offset: int) -> int:
    page = block.page
    for at, pg in block.page_breaks:
        if offset >= at:
            page = pg
    return page


def _context(text: str, start: int, end: int) -> str:
    """The block text, or a window of about CONTEXT_CHARS characters around the sentence."""
    if len(text) <= CONTEXT_CHARS:
        return text
    room = max(0, CONTEXT_CHARS - (end - start)) // 2
    lo, hi = max(0, start - room), min(len(text), end + room)
    lo = text.rfind(" ", 0, lo) + 1 if lo > 0 else 0
    hi_space = text.find(" ", hi)
    hi = hi_space if hi < len(text) and hi_space > 0 else len(text)
    return ("… " if lo else "") + text[lo:hi] + (" …" if hi < len(text) else "")


def chunk_document(doc: ParsedDocument, *, max_chars: int = 600) -> list[Chunk]:
    """Split ``doc`` into sentence-level chunks; see the module docstring for the rules."""
    chunks: list[Chunk] = []
    table_head = ""
    for bi, block in enumerate(doc.blocks):
        if block.kind == BlockKind.HEADING and len(block.text.split()) < 8:
            # Short headings only name a section; a long bold "heading" is a sentence of its own and may
            # carry a commitment, so it is matched like a paragraph.
            continue
        if block.kind == BlockKind.TABLE_ROW:
            prev = doc.blocks[bi - 1] if bi else None
            if prev is None or prev.kind != BlockKind.TABLE_ROW:
                table_head = block.text  # the first row of a table names its columns
            context = block.text if block.text == table_head else f"{table_head}\n{block.text}"
            chunks.append(Chunk(len(chunks), block.text, block.page, block.section, BlockKind.TABLE_ROW,
                                bi, 0, len(block.text), context))
            continue
        text = block.text
        spans: list[tuple[int, int]] = []
        for s, e in _merge_short(split_sentences(text)):
            spans.extend(_split_long(text, s, e, max_chars) if e - s > max_chars else [(s, e)])
        for s, e in spans:
            chunks.append(Chunk(len(chunks), text[s:e], _page_at(block, s), block.section,
                                BlockKind.PARAGRAPH, bi, s, e, _context(text, s, e)))
    log.debug("chunked %s into %d chunks", doc.name, len(chunks))
    return chunks

"""The text layer through pypdfium2: words with their boxes, sizes and fonts, ~4x faster than pdfminer.

Parsing was a quarter of a first analysis once encoding got faster (``docs/performance.md``), and nearly all
of it was pdfminer interpreting content streams char by char in Python. PDFium (C++, already installed as a
pdfplumber dependency) does that part here; ``pipeline.parse`` keeps pdfplumber for what it does best, the
ruled-table finder, on the pages that have drawn lines at all. The words come out in the shape of
pdfplumber's ``extract_words(x_tolerance=2, y_tolerance=3, extra_attrs=["size", "fontname"])`` so the
layout code (rows, column gutters, headings) is the same for both sources.

This is the only module that imports pypdfium2.
"""

from __future__ import annotations

import ctypes
import logging
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as raw

log = logging.getLogger(__name__)

X_TOLERANCE = 2.0  # as pdfplumber's extract_words: a larger gap between glyphs starts a new word
Y_TOLERANCE = 3.0  # glyphs whose tops differ by less sit on the same line
_BREAKS = {0x20, 0x0A, 0x0D, 0x09, 0xA0, 0x3000, 0xFFFE, 0}  # whitespace and PDFium's "no character" markers
_SOFT_HYPHEN = 0x02  # PDFium reports a hyphen that ends a line as U+0002


@dataclass
class PageText:
    """One page: its words (pdfplumber-style dicts) and whether it draws any paths (lines, boxes)."""

    words: list[dict]
    has_paths: bool
    width: float
    height: float

    def same_box(self, mediabox: tuple[float, float, float, float]) -> bool:
        """True when pdfplumber's media box (PDF coordinates) is the box these coordinates refer to."""
        x0, y0, x1, y1 = (float(v) for v in mediabox)
        return abs(x0) < 0.5 and abs(y0) < 0.5 and abs(x1 - self.width) < 0.5 and abs(y1 - self.height) < 0.5


class TextLayer:
    """An open PDF whose pages yield :class:`PageText`; ``close()`` (or ``with``) frees PDFium memory."""

    def __init__(self, data: bytes, password: str | None = None):
        self._doc = pdfium.PdfDocument(data, password=password or None)
        self._fonts: dict[int, str] = {}

    def __enter__(self) -> TextLayer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __len__(self) -> int:
        return len(self._doc)

    def close(self) -> None:
        """Release the document."""
        self._doc.close()

    def page(self, index: int) -> PageText | None:
        """Words and path presence of page ``index`` (0-based); None for a rotated page (left to pdfplumber)."""
        page = self._doc[index]
        try:
            if page.get_rotation() % 360:
                return None  # glyph boxes are in unrotated space; pdfplumber already handles the turn
            # Tops are measured down from the page's top edge, as pdfplumber measures them; the parser checks
            # that both libraries see the same page box before it uses these words (``same_box``).
            height, width = float(page.get_height()), float(page.get_width())
            has_paths = any(True for _ in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=2))
            textpage = page.get_textpage()
            try:
                chars = self._chars(textpage.raw, height)
            finally:
                textpage.close()
            return PageText(_words(chars), has_paths, width, height)
        finally:
            page.close()

    def _font(self, tp, i: int) -> str:
        font = raw.FPDFTextObj_GetFont(raw.FPDFText_GetTextObject(tp, i))
        key = ctypes.cast(font, ctypes.c_void_p).value or 0
        name = self._fonts.get(key)
        if name is None:
            buf = ctypes.create_string_buffer(256)
            if font:
                raw.FPDFFont_GetBaseFontName(font, buf, 256)
            name = self._fonts[key] = buf.value.decode("utf-8", "replace")
        return name

    def _chars(self, tp, height: float) -> list[tuple | None]:
        """Glyphs in content order as (text, x0, x1, top, bottom, size, font); ``None`` marks a word break."""
        out: list[tuple | None] = []
        rect = raw.FS_RECTF()
        for i in range(raw.FPDFText_CountChars(tp)):
            code = raw.FPDFText_GetUnicode(tp, i)
            if code in _BREAKS or raw.FPDFText_IsGenerated(tp, i) == 1:
                out.append(None)
                continue
            if not raw.FPDFText_GetLooseCharBox(tp, i, rect):
                continue
            text = "-" if code == _SOFT_HYPHEN else chr(code)
            out.append((text, rect.left, rect.right, height - rect.top, height - rect.bottom,
                        round(raw.FPDFText_GetFontSize(tp, i), 2), self._font(tp, i)))
        return out


def _words(stream: list[tuple | None]) -> list[dict]:
    """Group glyphs into lines (by top, within Y_TOLERANCE), then words (break, gap or font change)."""
    chars: list[tuple] = []
    breaks_after: set[int] = set()
    for c in stream:
        if c is None:
            if chars:
                breaks_after.add(len(chars) - 1)
        else:
            chars.append(c)
    # No fake-bold dedupe here: PDFium's text page already drops a glyph overprinted on itself
    # (tests/test_pdftext.py::test_fake_bold_glyphs_printed_twice_are_read_once).
    order = sorted(range(len(chars)), key=lambda i: (chars[i][3], chars[i][1]))
    lines: list[list[int]] = []
    for i in order:
        if lines and abs(chars[i][3] - chars[lines[-1][0]][3]) <= Y_TOLERANCE:
            lines[-1].append(i)
        else:
            lines.append([i])
    words: list[dict] = []
    for line in lines:
        line.sort(key=lambda i: chars[i][1])
        current: list[int] = []
        for i in line:
            if current:
                p = current[-1]
                same_font = chars[p][5] == chars[i][5] and chars[p][6] == chars[i][6]
                if p in breaks_after or chars[i][1] - chars[p][2] > X_TOLERANCE or not same_font:
                    words.append(_word([chars[k] for k in current]))
                    current = []
            current.append(i)
        if current:
            words.append(_word([chars[k] for k in current]))
    return words


def _word(cs: list[tuple]) -> dict:
    return {"text": "".join(c[0] for c in cs), "x0": min(c[1] for c in cs), "x1": max(c[2] for c in cs),
            "top": min(c[3] for c in cs), "bottom": max(c[4] for c in cs), "size": cs[0][5], "fontname": cs[0][6]}

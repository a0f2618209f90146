"""Tables that reach the parser as one paragraph: rows rebuilt from a flattened text table.

A vendor DPA published as a web page often holds its description of processing (Art. 28(3), first subparagraph)
as a Markdown table. Rendered to PDF as text, with the outer pipes and the "--- | ---" rule dropped, the whole
table becomes one paragraph whose cells are separated by " | " and whose rows just run on::

    Data subjects | Purpose | Categories of data | Retention Users of … | Hosting … | Names, e-mails | 30 days Staff …

No line, box or break marks where a row ends, so the last cell of one row and the first of the next are one
piece. With ``n`` columns and ``R`` rows, the pieces number ``n + R·(n-1)``, and the header's labels come first.
Each joined piece is split before the first capitalised word that does not continue a name ("by the Client Any
person …" splits before "Any"). :func:`unflatten` takes the table apart only when exactly one column count
(at least 3) fits: the count of pieces, a header of short labels, every joined piece split. The middle cells are
exact; the first and last cell of a row rest on that split.
"""

from __future__ import annotations

import re

SEP = " | "
# A capitalised word after one of these continues a phrase ("by the Client", "of Personal Data"), not a new cell.
_FUNCTION = {"the", "a", "an", "by", "of", "to", "for", "and", "or", "with", "from", "in", "on", "at", "as", "per",
             "via", "under", "its", "their", "our", "your", "any", "all", "each", "such", "this", "that", "these",
             "those", "de", "du", "des", "la", "le", "&", "+", "/", "-", "–"}


def _label_like(piece: str) -> bool:
    """A header cell: a short label with no sentence in it ("Categories of data processed")."""
    words = piece.split()
    return (0 < len(words) <= 8 and len(piece) <= 70 and not piece.rstrip().endswith(".")
            and ". " not in piece and bool(re.search(r"[^\W\d_]", piece)))


def split_joined(piece: str) -> tuple[str, str]:
    """The last cell of a row and the first cell of the next, joined by the flattening: (end, start).

    Split before the first capitalised word (not a number) whose previous word is neither a function word nor
    the end of a clause that goes on; ``(piece, "")`` where no such word is found.
    """
    tokens = list(re.finditer(r"\S+", piece))
    for prev, tok in zip(tokens, tokens[1:], strict=False):
        word = tok.group()
        if not word[0].isupper() or prev.group().lower().strip(",;:") in _FUNCTION or prev.group().endswith(","):
            continue
        return piece[:tok.start()].rstrip(), piece[tok.start():]
    return piece, ""


def _rows(pieces: list[str], n: int) -> list[list[str]] | None:
    """The rows if the pieces form a table of ``n`` columns: a header of labels, every joined piece split."""
    k = len(pieces) - 1
    if n < 3 or k % (n - 1) or k // (n - 1) < 2 or not all(_label_like(p) for p in pieces[: n - 1]):
        return None
    rows_n = k // (n - 1) - 1
    last_label, first = split_joined(pieces[n - 1])
    rows = [[*pieces[: n - 1], last_label]]
    for r in range(rows_n):
        base = (n - 1) * (r + 1)
        end, nxt = split_joined(pieces[base + n - 1]) if r < rows_n - 1 else (pieces[base + n - 1], "")
        rows.append([first, *pieces[base + 1: base + n - 1], end])
        first = nxt
    return rows if all(c for row in rows for c in row) and _label_like(last_label) else None


def unflatten(text: str) -> list[list[str]] | None:
    """The rows of a flattened text table, header first, each a list of cells; None for other text, and where
    more than one column count would fit (short cells: "Name | Use | Site Acme Cloud | Hosting Services |
    Ireland Beta Mail | E-mail Delivery | Germany" reads as three columns or as four)."""
    if text.lstrip().startswith("|") or text.count(SEP) < 2:
        return None
    pieces = [p.strip() for p in text.split(SEP)]
    fits = [rows for n in range(3, len(pieces)) if (rows := _rows(pieces, n))]
    return fits[0] if len(fits) == 1 else None

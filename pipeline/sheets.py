"""Spreadsheet cells and sheets for the exports (:mod:`pipeline.export`): cells defused against formula injection,
Excel-legal sheet names, and DataFrames written as a workbook (the one module that imports openpyxl).

Passages come from vendor documents and exported files are opened in spreadsheet programs, so every text cell a
spreadsheet would read as a formula is defused (OWASP CSV injection).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def safe_cell(value: object) -> object:
    """Defuse a text cell a spreadsheet would run as a formula (OWASP CSV injection): prefix ``'``."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def sheet_name(name: str, taken: set[str]) -> str:
    """An Excel-legal sheet name (≤31 chars, none of ``[]:*?/\\``, no edge apostrophe), unique in
    ``taken`` (case-insensitively, as Excel compares them); the name is added to ``taken``."""
    base = _SHEET_BAD.sub("_", ILLEGAL_CHARACTERS_RE.sub("", name)).strip().strip("'").strip() or "Sheet"
    candidate, n = base[:31], 1
    while candidate.casefold() in {t.casefold() for t in taken}:
        n += 1
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)] + suffix
    taken.add(candidate)
    return candidate


def _cell(value: object) -> object:
    if value is None or (not isinstance(value, str | bool) and pd.isna(value)):
        return None
    if isinstance(value, str):
        # openpyxl refuses control characters (PDF text may carry form feeds); Excel caps cells at 32767.
        return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", value)[:32767])
    if hasattr(value, "item"):  # numpy scalar -> Python
        return value.item()
    return value


def _fill(ws, df: pd.DataFrame, wrap: Sequence[str] = ()) -> None:
    """Write ``df`` to worksheet ``ws``: a bold, frozen, filtered header row, defused cells, readable widths
    (the ``wrap`` columns wide and wrapped)."""
    if df.index.name is not None:
        df = df.reset_index()
    ws.append([str(c) for c in df.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in df.itertuples(index=False):
        ws.append([_cell(v) for v in row])
    ws.freeze_panes = "A2"
    if len(df.columns):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(df.columns))}{max(len(df) + 1, 1)}"
    for i, col in enumerate(df.columns, start=1):
        longest = max((len(str(v)) for v in df[col][:50]), default=0)
        width = 60 if col in wrap else min(40, max(10, len(str(col)) + 2, longest))
        ws.column_dimensions[get_column_letter(i)].width = width
        if col in wrap:
            for cell in ws[get_column_letter(i)][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def workbook(pages: Sequence[tuple[str, pd.DataFrame, Sequence[str]]]) -> bytes:
    """An .xlsx workbook with one sheet per ``(name, frame, wrapped columns)``, in order; its bytes."""
    wb = Workbook()
    for i, (name, df, wrap) in enumerate(pages):
        ws = wb.active if i == 0 else wb.create_sheet(name)
        ws.title = name
        _fill(ws, df, wrap)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

"""Render the example DPAs in ``vendors/examples/src/*.md`` to PDFs in ``vendors/examples/``.

The sources are markdown-ish: a ``---`` front-matter block (``vendor``, ``title``, ``version``), ``#`` and
``##`` headings, numbered clauses as paragraphs separated by blank lines, and pipe tables. Each PDF gets
a running header with the vendor name and a "Page N of M" footer, like real vendor PDFs, so the parser's
running-line removal and table handling are exercised. Output is deterministic (fixed creation date).

Usage: ``.venv/bin/python scripts/render_examples.py [--src DIR] [--out DIR]``. Only ASCII / Latin-1 text
is supported (fpdf2 core fonts), which keeps rendering independent of installed fonts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "vendors" / "examples"
FIXED_DATE = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)


@dataclass
class Source:
    """A parsed example source: metadata and an ordered list of (kind, payload) elements."""

    meta: dict[str, str]
    elements: list[tuple[str, object]] = field(default_factory=list)


def parse_source(text: str) -> Source:
    """Split a source into front matter, headings, paragraphs and tables."""
    meta: dict[str, str] = {}
    m = re.match(r"^---\n(.*?)\n---\n", text, flags=re.DOTALL)
    if m:
        for line in m.group(1).splitlines():
            key, _, value = line.partition(":")
            meta[key.strip()] = value.strip()
        text = text[m.end() :]
    src = Source(meta=meta)
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [ln.rstrip() for ln in block.splitlines() if ln.strip()]
        if not lines:
            continue
        if lines[0].startswith("|"):
            rows = [
                [c.strip() for c in ln.strip().strip("|").split("|")]
                for ln in lines
                if not re.fullmatch(r"\|?[\s:|-]+\|?", ln.strip())
            ]
            src.elements.append(("table", rows))
        elif lines[0].startswith("## "):
            src.elements.append(("h2", lines[0][3:].strip()))
        elif lines[0].startswith("# "):
            src.elements.append(("h1", lines[0][2:].strip()))
        else:
            src.elements.append(("p", " ".join(ln.strip() for ln in lines)))
    return src


class _DpaPdf(FPDF):
    def __init__(self, vendor: str, title: str) -> None:
        super().__init__(format="A4")
        self.vendor, self.doc_title = vendor, title
        self.set_margins(22, 20, 22)
        self.set_auto_page_break(auto=True, margin=22)

    def header(self) -> None:
        self.set_font("Helvetica", "B", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 6, self.vendor, new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.set_x(self.l_margin)
        self.cell(0, 6, f"{self.doc_title} - Confidential", align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(180, 180, 180)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(6)
        self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 8, f"Page {self.page_no()} of {{nb}}", align="C")


def render(src_path: Path, pdf_path: Path) -> int:
    """Render one source file to a PDF; returns the page count."""
    src = parse_source(src_path.read_text(encoding="utf-8"))
    vendor = src.meta.get("vendor", src_path.stem)
    title = src.meta.get("title", "Data Processing Agreement")
    pdf = _DpaPdf(vendor, title)
    pdf.set_title(f"{vendor} {title}")
    pdf.set_author(vendor)
    pdf.set_creation_date(FIXED_DATE)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for kind, payload in src.elements:
        if kind == "h1":
            pdf.set_font("Helvetica", "B", 16)
            pdf.multi_cell(width, 8, str(payload), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            if src.meta.get("version"):
                pdf.set_font("Helvetica", "I", 9)
                pdf.cell(width, 6, src.meta["version"], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(4)
        elif kind == "h2":
            pdf.ln(2)
            pdf.set_font("Helvetica", "B", 12)
            pdf.multi_cell(width, 7, str(payload), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1)
        elif kind == "p":
            pdf.set_font("Helvetica", "", 10.5)
            pdf.multi_cell(width, 5.4, str(payload), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(2.5)
        elif kind == "table":
            rows: list[list[str]] = payload  # type: ignore[assignment]
            pdf.set_font("Helvetica", "", 9.5)
            with pdf.table(text_align="LEFT", line_height=6, padding=1.5) as table:
                for row in rows:
                    r = table.row()
                    for cell in row:
                        r.cell(cell)
            pdf.ln(3)
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(pdf_path))
    return pdf.pages_count


def main(argv: list[str] | None = None) -> int:
    """Render every ``*.md`` source and print the page count of each PDF."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, default=EXAMPLES / "src")
    ap.add_argument("--out", type=Path, default=EXAMPLES)
    args = ap.parse_args(argv)
    for src in sorted(args.src.glob("*.md")):
        out = args.out / f"{src.stem}.pdf"
        pages = render(src, out)
        print(f"{out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}: {pages} pages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

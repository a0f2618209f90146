"""Build small PDFs with fpdf2 for the parser and chunker tests.

The texts are invented for the tests (never copied from a real DPA). :func:`make_pdf` renders a list of
items (headings, paragraphs, tables, two-column blocks, page breaks) with an optional running header and
footer; :func:`sample_dpa` is the standard document most tests parse.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@dataclass
class Heading:
    """A bold heading line (``size`` in points)."""

    text: str
    size: float = 12


@dataclass
class Para:
    """A body paragraph; ``\\n`` inside the text forces a line break at that point (e.g. after ``pro-``)."""

    text: str


@dataclass
class Table:
    """A ruled table; the first row is the header."""

    rows: Sequence[Sequence[str]]


@dataclass
class Columns:
    """Two text columns side by side on the current page."""

    left: str
    right: str


@dataclass
class PageBreak:
    """Start a new page."""


Item = Heading | Para | Table | Columns | PageBreak


class _Doc(FPDF):
    """FPDF with an optional running header and footer; ``{n}`` in them becomes the page number."""

    def __init__(self, header_text: str | None, footer: str | None, font: str) -> None:
        super().__init__(format="A4")
        self.header_text = header_text
        self.footer_text = footer
        self.body_font = font
        self.alias_nb_pages()

    def header(self) -> None:
        if self.header_text:
            self.set_font(self.body_font, size=8)
            self.set_y(8)
            self.cell(0, 5, self.header_text.replace("{n}", str(self.page_no())), align="L")
            self.set_y(22)

    def footer(self) -> None:
        if self.footer_text:
            self.set_y(-14)
            self.set_font(self.body_font, size=8)
            self.cell(0, 5, self.footer_text.replace("{n}", str(self.page_no())), align="C")


def make_pdf(
    items: Sequence[Item],
    *,
    header: str | None = "Acme Cloud - Data Processing Addendum - v2",
    footer: str | None = "Page {n} of {nb}",
    unicode_font: bool = False,
) -> bytes:
    """Render ``items`` to PDF bytes (A4, 10 pt body text, 5 mm between paragraphs).

    ``header`` / ``footer`` are printed on every page; ``{n}`` is the page number, ``{nb}`` the page count.
    """
    font = "Helvetica"
    pdf_font_setup: tuple[str, Path] | None = None
    if unicode_font:
        font, pdf_font_setup = "DejaVu", DEJAVU
    pdf = _Doc(header, footer, font)
    if pdf_font_setup:
        pdf.add_font("DejaVu", "", str(DEJAVU))
        pdf.add_font("DejaVu", "B", str(DEJAVU.with_name("DejaVuSans-Bold.ttf")))
    pdf.set_auto_page_break(True, margin=22)
    pdf.set_margins(20, 22, 20)
    pdf.add_page()
    for item in items:
        if isinstance(item, Heading):
            pdf.set_font(font, "B", item.size)
            pdf.multi_cell(0, item.size * 0.55, item.text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif isinstance(item, Para):
            pdf.set_font(font, "", 10)
            pdf.multi_cell(0, 5, item.text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
        elif isinstance(item, Table):
            pdf.set_font(font, "", 9)
            with pdf.table(line_height=6) as table:
                for row in item.rows:
                    r = table.row()
                    for cell in row:
                        r.cell(cell)
            pdf.ln(4)
        elif isinstance(item, Columns):
            pdf.set_font(font, "", 10)
            y = pdf.get_y()
            width = (pdf.w - pdf.l_margin - pdf.r_margin - 14) / 2
            pdf.set_xy(pdf.l_margin, y)
            pdf.multi_cell(width, 5, item.left)
            bottom = pdf.get_y()
            pdf.set_xy(pdf.l_margin + width + 14, y)
            pdf.multi_cell(width, 5, item.right)
            pdf.set_xy(pdf.l_margin, max(bottom, pdf.get_y()))
            pdf.ln(4)
        elif isinstance(item, PageBreak):
            pdf.add_page()
    return bytes(pdf.output())


# Invented sample clauses: each states a fact the tests look for.
INTRO = (
    "This addendum sets out how the supplier handles personal data for the customer. It forms part of "
    "the main services contract between the parties."
)
INSTRUCTIONS = (
    "9.1 The supplier will handle personal data only on the written instructions of the customer, "
    "e.g. as set out in the order form, and will tell the customer if an instruction seems unlawful."
)
HYPHENATED = (
    "The supplier keeps a record of every pro-\ncessing activity it carries out and shares the record on "
    "request. Each sub-\nprocessor on the list below is bound by written terms."
)
COLUMN_LEFT = (
    "Left column text starts here. Backups are encrypted at rest with keys held by the supplier, and "
    "access to them is logged and reviewed every quarter by the security team."
)
COLUMN_RIGHT = (
    "Right column text starts here. Staff with access to customer data sign a confidentiality "
    "undertaking before they receive any credentials for production systems."
)
LONG_SENTENCE = (
    "The supplier will notify the customer without undue delay, and in any case within forty-eight "
    "hours, after becoming aware of a personal data breach affecting customer data"
)
RESPONSE_STEPS = [
    f"Step {i} of the response plan requires the on-call engineer to record the time, the affected systems, "
    f"the likely number of data subjects and the containment actions taken so far, without waiting for "
    f"the full investigation to finish."
    for i in range(1, 16)
]
SUBPROCESSORS = [
    ["Name", "Purpose", "Location"],
    ["Nimbus Hosting", "Cloud hosting", "Ireland"],
    ["Quill Mail", "Email delivery", "Germany"],
]


def markdown_items(raw: str) -> list[Item]:
    """The blocks of a markdown-ish text (the corpus vendor DPAs) as they would stand in a PDF."""
    items: list[Item] = []
    for para in re.split(r"\n\s*\n", raw):
        para = para.strip()
        if para.startswith("#"):
            # A markdown heading is one line; the text right under it (no blank line between) is its first
            # paragraph, not part of the heading.
            head, _, para = para.partition("\n")
            items.append(Heading(head.lstrip("#").strip()[:200], 12))
            para = para.strip()
        if para and all(ln.lstrip().startswith("|") for ln in para.splitlines()):
            # A Markdown table as the eval corpora's PDFs print it: one paragraph, outer pipes and the
            # "--- | ---" rule dropped, rows running on (pipeline/tables.py rebuilds them).
            rows = [" | ".join(c.strip() for c in ln.strip().strip("|").split("|") if c.strip())
                    for ln in para.splitlines() if not re.fullmatch(r"[\s|:-]*", ln)]
            items.append(Para(re.sub(r"\*\*|__", "", " ".join(r for r in rows if r))))
            continue
        # Each markdown list item is a line of its own in a PDF; other line breaks are wrapping.
        for item in re.split(r"\n\s*(?=[-*•]\s|\d{1,2}[.)]\s)", para) if para else []:
            # Markdown emphasis marks are markup, not text a PDF would show.
            items.append(Para(re.sub(r"\*\*|__", "", re.sub(r"\s*\n\s*", " ", item.strip()))))
    return items


def sample_items() -> list[Item]:
    """The standard test document: headings, hyphenation, a table, columns, a paragraph over a page."""
    filler = " ".join(
        f"Filler sentence number {i} describes a routine duty of the supplier in plain words."
        for i in range(30)
    )
    return [
        Heading("Data Processing Addendum", 16),
        Para(INTRO),
        Heading("9. Instructions"),
        Para(INSTRUCTIONS),
        Para(HYPHENATED),
        Heading("Annex II"),
        Heading("List of sub-processors"),
        Table(SUBPROCESSORS),
        Para("The table above lists every current sub-processor."),
        PageBreak(),
        Heading("10. Security"),
        Columns(COLUMN_LEFT, COLUMN_RIGHT),
        Para(filler),
        Heading("11. Breach notification"),
        # Long enough to run over the foot of the page, so the paragraph crosses a page break.
        Para(" ".join(RESPONSE_STEPS)),
        Para(LONG_SENTENCE + "."),
        Para("CONFIDENTIAL SCHEDULE"),
        Para("Closing remarks end the document."),
    ]


def sample_dpa() -> bytes:
    """PDF bytes of :func:`sample_items` with the running header and "Page N of M" footer."""
    return make_pdf(sample_items())


def image_only_pdf() -> bytes:
    """A PDF whose only page is a picture of text (no text layer), like a scan."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (600, 200), "white")
    ImageDraw.Draw(img).text((20, 80), "Scanned page: the supplier shall keep data safe.", fill="black")
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(io.BytesIO(buf.getvalue()), x=10, y=10, w=180)
    return bytes(pdf.output())


def encrypted_pdf(password: str = "s3cret") -> bytes:
    """A one-page PDF that needs ``password`` to open."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, "The supplier shall keep the customer's personal data confidential at all times.")
    pdf.set_encryption(owner_password="owner-" + password, user_password=password)
    return bytes(pdf.output())


# -- broken and scanned inputs (test_robustness, test_ocr) ------------------------------------------------

CLAUSE = ("The supplier shall process personal data only on the documented instructions of the customer "
          "and shall notify the customer of any personal data breach without undue delay.")


def pua_garbage_pdf() -> bytes:
    """Readable glyphs whose ToUnicode map sends every letter to the Private Use Area (a broken encoding)."""
    pdf = FPDF()
    pdf.set_compression(False)
    pdf.add_font("DejaVu", "", str(DEJAVU))
    pdf.add_page()
    pdf.set_font("DejaVu", size=14)
    for _ in range(3):
        pdf.multi_cell(0, 8, CLAUSE, new_x="LMARGIN", new_y="NEXT")
    data = bytes(pdf.output())
    # Same-length edit inside the CMap ("<0001> <0054>" → "<0001> <E054>"), so the xref offsets stay valid.
    return re.sub(rb"(<[0-9A-F]{4}> )<00(?!20)([0-9A-F]{2})>", rb"\1<E0\2>", data)


def cid_garbage_pdf() -> bytes:
    """An embedded font without its ToUnicode map: pdfminer can only report glyph ids, "(cid:12)"."""
    return make_pdf([Para(CLAUSE)] * 4, unicode_font=True).replace(b"/ToUnicode", b"/XoUnicode")


def scan_page_png(lines: list[str], size: tuple[int, int] = (1240, 1754)) -> bytes:
    """A 150-dpi A4 "scan": black text on white, no text layer."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("L", size, 255)
    font = ImageFont.truetype(str(DEJAVU), 22)
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        draw.text((110, 160 + i * 36), line, font=font, fill=0)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


SCAN_LINES = ["Data Processing Addendum", "", "The supplier shall process personal data only on",
              "the documented instructions of the customer.", "",
              "Breach notice: the supplier informs the customer",
              "without undue delay after becoming aware of a breach."]


def scanned_pdf(pages: int = 1, text_first: bool = False) -> bytes:
    """Image-only pages (optionally after one normal text page: a DPA with a scanned annex)."""
    pdf = FPDF()
    if text_first:
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, CLAUSE + " " + CLAUSE)
    png = scan_page_png(SCAN_LINES)
    for _ in range(pages):
        pdf.add_page()
        pdf.image(io.BytesIO(png), x=0, y=0, w=210, h=297)
    return bytes(pdf.output())

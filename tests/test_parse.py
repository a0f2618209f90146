"""The PDF parser on PDFs generated with fpdf2 (tests/pdfgen.py): layout, headings, tables, errors."""

from __future__ import annotations

import hashlib

import pytest

from pipeline.errors import (
    CorruptPdfError,
    EmptyFileError,
    EncryptedPdfError,
    LimitExceededError,
    NoTextError,
    NotPdfError,
)
from pipeline.models import BlockKind, ParsedDocument
from pipeline.parse import ParseLimits, normalize_text, parse_bytes, parse_pdf
from tests import pdfgen
from tests.pdfgen import Heading, Para, make_pdf


@pytest.fixture(scope="module")
def sample_bytes() -> bytes:
    return pdfgen.sample_dpa()


@pytest.fixture(scope="module")
def doc(sample_bytes: bytes) -> ParsedDocument:
    return parse_bytes(sample_bytes, "sample.pdf")


def _para(doc: ParsedDocument, start: str):
    found = [b for b in doc.blocks if b.kind == BlockKind.PARAGRAPH and b.text.startswith(start)]
    assert len(found) == 1, f"expected one paragraph starting {start!r}, got {[b.text[:40] for b in found]}"
    return found[0]


def test_file_identity(tmp_path, sample_bytes):
    path = tmp_path / "vendor-dpa.pdf"
    path.write_bytes(sample_bytes)
    parsed = parse_pdf(path)
    assert parsed.name == "vendor-dpa.pdf"
    assert parsed.sha256 == hashlib.sha256(sample_bytes).hexdigest()
    assert parsed.pages == 3
    assert parsed.warnings == []


def test_running_header_and_page_numbers_removed(doc):
    text = doc.text
    assert "Acme Cloud" not in text
    assert "Page 1 of" not in text and "Page 3 of 3" not in text


def test_lines_rejoined_into_paragraphs(doc):
    assert _para(doc, "This addendum").text == pdfgen.INTRO
    assert _para(doc, "9.1 The supplier").text == pdfgen.INSTRUCTIONS


def test_end_of_line_hyphenation(doc):
    text = _para(doc, "The supplier keeps a record").text
    assert "every processing activity" in text
    assert "Each sub-processor on the list" in text  # a real compound keeps its hyphen


def test_headings_and_sections(doc):
    headings = [b.text for b in doc.blocks if b.kind == BlockKind.HEADING]
    assert headings == [
        "Data Processing Addendum",
        "9. Instructions",
        "Annex II List of sub-processors",  # a bare label takes the title on the next line
        "10. Security",
        "11. Breach notification",
        "CONFIDENTIAL SCHEDULE",  # an all-caps short line
    ]
    assert _para(doc, "9.1 The supplier").section == "9. Instructions"  # a numbered clause is no heading
    assert _para(doc, "Filler sentence number 0").section == "10. Security"
    assert _para(doc, "Closing remarks").section == "CONFIDENTIAL SCHEDULE"
    assert all(b.section == b.text for b in doc.blocks if b.kind == BlockKind.HEADING)


def test_table_rows(doc):
    rows = [b for b in doc.blocks if b.kind == BlockKind.TABLE_ROW]
    assert [r.text for r in rows] == [" | ".join(r) for r in pdfgen.SUBPROCESSORS]
    assert all(r.section == "Annex II List of sub-processors" and r.page == 1 for r in rows)
    others = " ".join(b.text for b in doc.blocks if b.kind != BlockKind.TABLE_ROW)
    assert "Nimbus" not in others and "Quill" not in others  # table text is not repeated as paragraphs
    kinds = [b.kind for b in doc.blocks]
    first = kinds.index(BlockKind.TABLE_ROW)
    assert doc.blocks[first - 1].text == "Annex II List of sub-processors"  # reading order kept
    assert doc.blocks[first + 3].text.startswith("The table above")


def test_two_column_page_read_column_by_column(doc):
    left = _para(doc, "Left column text starts here.")
    right = _para(doc, "Right column text starts here.")
    assert left.text == pdfgen.COLUMN_LEFT
    assert right.text == pdfgen.COLUMN_RIGHT
    assert doc.blocks.index(left) < doc.blocks.index(right)
    assert left.page == right.page == 2


def test_paragraph_crossing_a_page_break(doc):
    block = _para(doc, "Step 1 of the response plan")
    assert block.text == " ".join(pdfgen.RESPONSE_STEPS)
    assert block.page == 2 and block.pages == (2, 3)
    assert len(block.page_breaks) == 1
    offset, page = block.page_breaks[0]
    assert page == 3
    assert block.text.index("Step 2 ") < offset < block.text.index("Step 15 ")
    assert block.text[offset - 1] == " "  # the break falls between words


def test_a_flattened_text_table_comes_out_as_table_rows():
    """A Markdown table printed as text runs on as one paragraph; its rows are rebuilt (pipeline/tables.py)."""
    from tests.test_tables import DESCRIPTION

    parsed = parse_bytes(make_pdf([Heading("Annex 1. Description of the processing"), Para(DESCRIPTION),
                                   Para("The parties may update this annex in writing.")]), "annex.pdf")
    rows = [b for b in parsed.blocks if b.kind == BlockKind.TABLE_ROW]
    assert [b.text.split(" | ")[0] for b in rows] == [
        "Data subjects", "Visitors of the customer's websites", "Employees of the customer who log in"]
    assert all(len(b.text.split(" | ")) == 4 and b.section.startswith("Annex 1") for b in rows)
    assert parsed.blocks[-1].text == "The parties may update this annex in writing."


def test_paragraph_ending_a_page_is_not_joined():
    # Each page ends with a full sentence: the next page's first paragraph must stay separate.
    items = [Para("The first page ends with a complete sentence."), pdfgen.PageBreak(),
             Para("The second page opens a new paragraph.")]
    parsed = parse_bytes(make_pdf(items), "two.pdf")
    assert [b.text for b in parsed.blocks] == [
        "The first page ends with a complete sentence.", "The second page opens a new paragraph."]
    assert [b.page for b in parsed.blocks] == [1, 2]


@pytest.mark.parametrize(
    ("header", "footer"),
    [("Supplier DPA - revision {n}", "- {n} -"), (None, "{n}"), ("CONFIDENTIAL", "Page {n}")],
)
def test_header_footer_variants(header, footer):
    items = []
    for i in range(4):
        items += [Heading(f"{i + 5}. Topic number {i + 5}"),
                  Para(f"Body text of section {i + 5} says the supplier keeps records safe."),
                  pdfgen.PageBreak()]
    parsed = parse_bytes(make_pdf(items[:-1], header=header, footer=footer), "hf.pdf")
    texts = [b.text for b in parsed.blocks]
    assert len(texts) == 8, texts
    assert all("revision" not in t and "CONFIDENTIAL" not in t and not t.strip("- ").isdigit() for t in texts)


def test_ligatures_and_unicode_normalised():
    if not pdfgen.DEJAVU.exists():
        pytest.skip("DejaVu font not installed")
    text = "The supplier reviews every ﬁrewall conﬁguration and ﬂags changes."
    pdf = make_pdf([Para(text)], unicode_font=True, header=None)
    parsed = parse_bytes(pdf, "lig.pdf")
    assert parsed.blocks[0].text == "The supplier reviews every firewall configuration and flags changes."


def test_normalize_text():
    assert normalize_text("ﬁnal\u00a0 ofﬁce") == "final office"
    assert normalize_text("1\\. Details\\.") == "1. Details."
    assert normalize_text("_Italic note_ here") == "Italic note here"


# --- errors -------------------------------------------------------------------------------------------


def test_empty_file(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(EmptyFileError):
        parse_pdf(path)


def test_renamed_non_pdf(tmp_path):
    path = tmp_path / "contract.pdf"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200 + b"word/document.xml")  # a .docx is a zip
    with pytest.raises(NotPdfError):
        parse_pdf(path)


@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.9])
def test_truncated_pdf(sample_bytes, fraction):
    with pytest.raises(CorruptPdfError):
        parse_bytes(sample_bytes[: int(len(sample_bytes) * fraction)], "cut.pdf")


def test_garbage_after_header():
    with pytest.raises(CorruptPdfError):
        parse_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20, "garbage.pdf")


def test_encrypted_pdf():
    data = pdfgen.encrypted_pdf("s3cret")
    with pytest.raises(EncryptedPdfError, match="--password"):
        parse_bytes(data, "locked.pdf")
    with pytest.raises(EncryptedPdfError, match="wrong password"):
        parse_bytes(data, "locked.pdf", password="guess")
    parsed = parse_bytes(data, "locked.pdf", password="s3cret")
    assert "confidential at all times" in parsed.text


def test_image_only_pdf():
    with pytest.raises(NoTextError, match=r"no text layer \(scanned\?\)"):
        parse_bytes(pdfgen.image_only_pdf(), "scan.pdf")


def test_limits(tmp_path, sample_bytes):
    with pytest.raises(LimitExceededError):
        parse_bytes(sample_bytes, "big.pdf", limits=ParseLimits(max_pages=2))
    path = tmp_path / "big.pdf"
    path.write_bytes(sample_bytes)
    with pytest.raises(LimitExceededError):
        parse_pdf(path, limits=ParseLimits(max_bytes=1000))

"""PDFium's text layer (pipeline.pdftext) gives the parser the same words as pdfplumber, ~4x faster."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import parse
from pipeline.parse import parse_bytes
from pipeline.pdftext import PageText, TextLayer
from tests import pdfgen
from tests.pdfgen import Columns, Heading, Para, Table, make_pdf

EXAMPLES = Path(__file__).resolve().parent.parent / "vendors" / "examples"


def _blocks(data: bytes, monkeypatch, source: str) -> list[tuple]:
    monkeypatch.setenv("DPA_TEXT_LAYER", source)
    doc = parse_bytes(data, "x.pdf")
    return [(b.kind, b.page, b.section, b.text) for b in doc.blocks]


def _layout_pdf() -> bytes:
    return make_pdf([
        Heading("1. Processing on instructions"),
        Para("The processor processes personal data only on documented instructions from the controller."),
        Columns("Left column: the sub-processor list is kept on the vendor's website and updated.",
                "Right column: customers may object to a new sub-processor within fourteen days."),
        Table([["Sub-processor", "Purpose", "Location"], ["Hosting Co", "Hosting", "Ireland"],
               ["Mail Co", "E-mail delivery", "Germany"]]),
        Heading("2. Breaches"),
        Para("The processor notifies the controller of a personal data breach within 48 hours of becoming "
             "aware of it, with the information the controller needs for its own notification."),
    ], header="Acme DPA", footer="Page {n} of {nb}")


@pytest.mark.parametrize("name", ["chatterly.pdf", "ledgerline.pdf", "nimbus-notes-ai.pdf", "layout", "sample"])
def test_both_text_sources_give_the_same_document(name, monkeypatch):
    data = {"layout": _layout_pdf, "sample": pdfgen.sample_dpa}.get(name, lambda: (EXAMPLES / name).read_bytes())()
    fast = _blocks(data, monkeypatch, "")
    slow = _blocks(data, monkeypatch, "pdfplumber")
    assert fast == slow
    assert any(k.value == "table_row" for k, *_ in fast) or name not in ("layout", "ledgerline.pdf")


def test_words_carry_what_the_layout_code_reads():
    with TextLayer(_layout_pdf()) as layer:
        assert len(layer) == 1
        page = layer.page(0)
    assert page is not None and page.has_paths  # the ruled table draws lines
    heading = next(w for w in page.words if w["text"] == "Processing")
    body = next(w for w in page.words if w["text"] == "documented")
    assert "bold" in heading["fontname"].lower() and "bold" not in body["fontname"].lower()
    assert heading["top"] < body["top"] and body["x0"] < body["x1"] and body["top"] < body["bottom"]
    assert body["size"] > 0


def test_same_box_guards_offset_pages():
    page = PageText(words=[], has_paths=False, width=595.0, height=842.0)
    assert page.same_box((0, 0, 595, 842))
    assert not page.same_box((0, 50, 595, 892))  # an offset media box: pdfplumber's coordinates are used
    assert not page.same_box((0, 0, 612, 792))


def test_a_file_pdfium_refuses_falls_back_to_pdfplumber(monkeypatch):
    data = pdfgen.sample_dpa()
    expected = _blocks(data, monkeypatch, "pdfplumber")

    def refuse(*_a, **_k):
        raise RuntimeError("simulated PDFium failure")

    monkeypatch.setattr(parse, "TextLayer", refuse)
    assert _blocks(data, monkeypatch, "") == expected


def test_every_page_yields_its_words():
    data = make_pdf([Para("The processor shall assist the controller with data subject requests. " * 40)] * 30)
    with TextLayer(data) as layer:
        pages = [layer.page(i) for i in range(len(layer))]
    assert len(pages) > 5 and all(p is not None and len(p.words) > 50 for p in pages[:-1])
    assert sum(w["text"] == "assist" for p in pages for w in p.words) == 40 * 30


def _overprinted(lines: list[str], *, per_glyph: bool) -> bytes:
    """Fake bold: every glyph drawn twice, 0.2 pt apart, glyph by glyph or as a second pass over the line."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for k, line in enumerate(lines):
        y = 30 + 8 * k
        if per_glyph:
            x = 20.0
            for ch in line:
                for dx in (0, 0.2):
                    pdf.text(x + dx, y, ch)
                x += pdf.get_string_width(ch)
        else:
            for dx in (0, 0.2):
                pdf.text(20 + dx, y, line)
    return bytes(pdf.output())


LINES = ["The processor notifies the controller of a breach within 48 hours.",
         "Personal data is deleted within 30 days after the end of the services."]


@pytest.mark.parametrize("source", ["", "pdfplumber"])
def test_fake_bold_glyphs_printed_twice_are_read_once(source, monkeypatch):
    monkeypatch.setenv("DPA_TEXT_LAYER", source)
    text = parse_bytes(_overprinted(LINES, per_glyph=True), "bold.pdf").text
    assert "processor notifies the controller" in text and "48 hours" in text, (source, text)
    assert text.count("deleted") == 1, (source, text)


@pytest.mark.parametrize("source", ["", "pdfplumber"])
def test_a_whole_line_overprint_is_read_once(source, monkeypatch):
    # The second pass comes a whole line later in the content stream: found by position, not by neighbours.
    monkeypatch.setenv("DPA_TEXT_LAYER", source)
    text = parse_bytes(_overprinted(LINES, per_glyph=False), "bold.pdf").text
    assert "processor notifies the controller" in text and text.count("deleted") == 1, text

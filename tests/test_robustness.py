"""Hostile and broken input: each file gets a specific error and limits hold (OCR: test_ocr.py).

Complements test_parse (which covers the parser's own error types on small inputs): here the inputs are
realistic (a real .docx renamed, a 1,000-page PDF, a decompression bomb, a font with a broken ToUnicode
map, a scanned page), the limits are measured, and a whole batch goes through the analyzer.
"""

from __future__ import annotations

import base64
import io
import os
import re
import signal
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from fpdf import FPDF

from pipeline import guard
from pipeline.errors import (
    CorruptPdfError,
    EmptyFileError,
    EncryptedPdfError,
    LimitExceededError,
    NoTextError,
    NotPdfError,
)
from pipeline.guard import check_inflation, dpa_term_density, looks_like_dpa, run_isolated
from pipeline.models import ParsedDocument
from pipeline.parse import ParseLimits, parse_bytes
from tests import pdfgen
from tests.pdfgen import CLAUSE, Heading, Para, cid_garbage_pdf, make_pdf, pua_garbage_pdf, scanned_pdf

EXAMPLES = Path(__file__).resolve().parent.parent / "vendors" / "examples"


# --- inputs the tests build ------------------------------------------------------------------------------


def docx_bytes() -> bytes:
    """A real (minimal) .docx: a zip with the WordprocessingML parts."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("word/document.xml", f"<w:document><w:body><w:p><w:r><w:t>{CLAUSE}</w:t></w:r></w:p>"
                                        "</w:body></w:document>")
    return buf.getvalue()


def raw_pdf(content: bytes, *, compress: bool = True) -> bytes:
    """A one-page PDF written by hand around ``content`` (a page content stream), with a correct xref."""
    stream = zlib.compress(content) if compress else content
    return pdf_with_stream(stream, b"/Filter /FlateDecode" if compress else b"")


def pdf_with_stream(stream: bytes, filters: bytes) -> bytes:
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d %s >>\nstream\n" % (len(stream), filters) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for no, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % no + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def bomb_stream(inflated_mb: int) -> bytes:
    """A Flate content stream: a short sentence followed by ``inflated_mb`` MB of spaces (~1000:1)."""
    z = zlib.compressobj(9)
    parts = [z.compress(f"BT /F1 11 Tf 72 720 Td ({CLAUSE}) Tj ET\n".encode())]
    chunk = b" " * (1 << 20)
    parts += [z.compress(chunk) for _ in range(inflated_mb)]
    parts.append(z.flush())
    return b"".join(parts)


def bomb_pdf(inflated_mb: int, *, ascii85: bool = False) -> bytes:
    """A one-page PDF whose content stream is :func:`bomb_stream` (optionally ASCII85-wrapped, as ReportLab)."""
    if ascii85:
        return pdf_with_stream(base64.a85encode(bomb_stream(inflated_mb)) + b"~>",
                               b"/Filter [ /ASCII85Decode /FlateDecode ]")
    return pdf_with_stream(bomb_stream(inflated_mb), b"/Filter /FlateDecode")


def many_pages_pdf(n: int) -> bytes:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    for i in range(n):
        pdf.add_page()
        pdf.multi_cell(0, 5, f"Clause {i + 1}. {CLAUSE}")
    return bytes(pdf.output())


# --- per-input errors ------------------------------------------------------------------------------------


def test_renamed_docx_is_not_a_pdf():
    with pytest.raises(NotPdfError, match=r"contract\.pdf: not a PDF") as err:
        parse_bytes(docx_bytes(), "contract.pdf")
    assert err.value.code == "not-pdf"


def test_broken_tounicode_map_is_no_text():
    """Private-use code points instead of letters: refused as garbage rather than matched as text."""
    with pytest.raises(NoTextError, match="broken font encoding"):
        parse_bytes(pua_garbage_pdf(), "garbled.pdf")
    with pytest.raises(NoTextError, match="broken font encoding"):
        parse_bytes(cid_garbage_pdf(), "cid.pdf")


def test_thousand_pages_rejected_before_extraction():
    data = many_pages_pdf(1000)
    t0 = time.perf_counter()
    with pytest.raises(LimitExceededError, match="1000 pages exceeds the limit of 500"):
        parse_bytes(data, "huge.pdf")
    assert time.perf_counter() - t0 < 5  # measured ~0.35 s: only the page tree is read


def test_time_limit_stops_between_pages():
    data = many_pages_pdf(200)  # ~0.3 s to parse with PDFium's text layer (pdfplumber alone: ~1.5 s)
    t0 = time.perf_counter()
    with pytest.raises(LimitExceededError, match=r"longer than the limit of 0\.02 s \(stopped at page \d+ of 200"):
        parse_bytes(data, "slow.pdf", limits=ParseLimits(max_seconds=0.02))
    assert time.perf_counter() - t0 < 3
    assert parse_bytes(data, "slow.pdf").pages == 200  # the default limit leaves it alone


# --- decompression bombs -----------------------------------------------------------------------------------


def test_hand_written_pdf_parses():
    """The builder used for the bombs makes a valid PDF (so the bomb tests fail for the right reason)."""
    doc = parse_bytes(raw_pdf(f"BT /F1 11 Tf 72 720 Td ({CLAUSE}) Tj ET".encode()), "plain.pdf")
    assert "documented instructions" in doc.text


def test_bomb_rejected_by_default_limit_quickly_and_in_bounded_memory():
    data = bomb_pdf(300)  # 300 MB of content stream in ~300 KB of file
    assert len(data) < 2_000_000
    t0 = time.perf_counter()
    # In a child limited to 200 MB of extra address space: pdfminer's one-shot inflate would need 300 MB.
    with pytest.raises(LimitExceededError, match="decompression bomb"):
        run_isolated(parse_bytes, data, "bomb.pdf", label="bomb.pdf", timeout_s=60, memory_bytes=200 << 20)
    assert time.perf_counter() - t0 < 10


def test_without_the_prescan_the_memory_limit_still_holds():
    """The second layer alone: the same bomb with the pre-scan disabled is stopped in the child.

    Under RLIMIT_AS zlib reports "insufficient memory", pdfminer falls back to inflating byte by byte, and
    then crawls through 300 MB of content: the hard time limit ends it (memory stays capped meanwhile).
    """
    off = ParseLimits(max_inflated_bytes=1 << 40)
    t0 = time.perf_counter()
    with pytest.raises(LimitExceededError, match=r"bomb\.pdf: .*(?:memory|longer than the limit of 8 s)"):
        run_isolated(parse_bytes, bomb_pdf(300), "bomb.pdf", label="bomb.pdf", timeout_s=8,
                     memory_bytes=150 << 20, limits=off)
    assert time.perf_counter() - t0 < 20


def test_inflation_budget_is_configurable_and_counts_only_text_streams():
    small = bomb_pdf(5)
    assert check_inflation(small, "b.pdf", 10 << 20) > 5 << 20
    with pytest.raises(LimitExceededError, match=r"b\.pdf: compressed streams inflate to more than 1000000"):
        parse_bytes(small, "b.pdf", limits=ParseLimits(max_inflated_bytes=1_000_000))
    wrapped = bomb_pdf(5, ascii85=True)  # the filter chain ReportLab writes
    assert "documented instructions" in parse_bytes(wrapped, "w.pdf").text
    with pytest.raises(LimitExceededError, match="decompression bomb"):
        parse_bytes(wrapped, "w.pdf", limits=ParseLimits(max_inflated_bytes=1_000_000))
    # Image streams are not inflated by text extraction, so a big scan does not count against the budget.
    scan = scanned_pdf(2)
    assert check_inflation(scan, "scan.pdf", 1 << 30) < 100_000
    for path in EXAMPLES.glob("*.pdf"):  # real documents are far inside the default budget
        assert check_inflation(path.read_bytes(), path.name, ParseLimits().max_inflated_bytes) < 5_000_000


# --- hard isolation ----------------------------------------------------------------------------------------


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


def _hog(mb: int) -> int:
    return len(bytearray(mb << 20))


def _segfault() -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


def _defect() -> None:
    raise ValueError("a bug")


def test_run_isolated_returns_results_and_passes_document_errors():
    doc = run_isolated(parse_bytes, pdfgen.sample_dpa(), "s.pdf", label="s.pdf", timeout_s=60)
    assert isinstance(doc, ParsedDocument) and doc.pages == 3
    with pytest.raises(EmptyFileError):
        run_isolated(parse_bytes, b"", "e.pdf", label="e.pdf", timeout_s=60)
    with pytest.raises(EncryptedPdfError, match="--password"):
        run_isolated(parse_bytes, pdfgen.encrypted_pdf(), "l.pdf", label="l.pdf", timeout_s=60)


def test_run_isolated_kills_on_time_memory_and_crash():
    t0 = time.perf_counter()
    with pytest.raises(LimitExceededError, match=r"x\.pdf: analysis took longer than the limit of 1 s"):
        run_isolated(_sleep, 30, label="x.pdf", timeout_s=1)
    assert time.perf_counter() - t0 < 5
    with pytest.raises(LimitExceededError, match="memory limit"):
        run_isolated(_hog, 500, label="x.pdf", timeout_s=30, memory_bytes=100 << 20)
    assert run_isolated(_hog, 20, label="x.pdf", timeout_s=30, memory_bytes=100 << 20) == 20 << 20
    with pytest.raises(CorruptPdfError, match="crashed"):
        run_isolated(_segfault, label="x.pdf", timeout_s=30)
    with pytest.raises(RuntimeError, match="ValueError: a bug"):
        run_isolated(_defect, label="x.pdf", timeout_s=30)


def test_guard_module_has_no_heavy_imports():
    """guard is imported by the parser and the dashboard alike; it must stay cheap (stdlib only)."""
    src = Path(guard.__file__).read_text()
    assert not re.search(r"^\s*(?:import|from)\s+(?:pdfplumber|pdfminer|torch|sentence_transformers)", src, re.M)


# --- the whole pipeline ----------------------------------------------------------------------------------

RECIPE = [
    Heading("Lemon Drizzle Cake", 16),
    Para("Serves eight. Preparation takes twenty minutes and baking about forty-five minutes in a "
         "moderate oven, until a skewer pushed into the middle comes out clean."),
    Heading("Ingredients"),
    Para("Two hundred grams of soft butter, two hundred grams of caster sugar, four eggs, the grated zest "
         "of two lemons, two hundred grams of self-raising flour and a pinch of salt."),
    Heading("Method"),
    Para("Beat the butter and sugar until pale, add the eggs one at a time, then fold in the flour and the "
         "zest. Pour into a lined loaf tin and bake. Mix the juice of the lemons with icing sugar and spoon "
         "it over the warm cake so that it soaks in and sets as a crisp crust."),
]


def test_dpa_vocabulary_tells_a_dpa_from_a_recipe():
    assert not looks_like_dpa(parse_bytes(make_pdf(RECIPE, header=None, footer=None), "cake.pdf").text)
    assert dpa_term_density(parse_bytes(make_pdf(RECIPE, header=None, footer=None), "cake.pdf").text) == 0
    for path in sorted(EXAMPLES.glob("*.pdf")):
        assert dpa_term_density(parse_bytes(path.read_bytes(), path.name).text) > 15, path.name


@pytest.mark.slow
def test_every_development_dpa_looks_like_a_dpa():
    dev = sorted((Path(__file__).resolve().parents[2] / "shared" / "eval" / "vendors-dev").glob("*.pdf"))
    if not dev:
        pytest.skip("../shared/eval not present")
    for path in dev:  # measured 24-76 terms per 1,000 words; the threshold is 5
        assert dpa_term_density(parse_bytes(path.read_bytes(), path.name).text) > 15, path.name


@pytest.mark.model
def test_non_dpa_document_is_reported_with_a_warning(analyzer):
    report = analyzer.analyze_bytes(make_pdf(RECIPE, header=None, footer=None), "cake.pdf")
    assert report.status.value == "ok"
    assert any("not look like a data processing agreement" in w or "no requirement matched" in w
               for w in report.warnings)


@pytest.mark.model
def test_batch_of_bad_files_reports_each_and_carries_on(analyzer, tmp_path):
    sample = pdfgen.sample_dpa()
    files = {
        "good.pdf": (EXAMPLES / "ledgerline.pdf").read_bytes(),
        "empty.pdf": b"",
        "contract.pdf": docx_bytes(),
        "cut.pdf": sample[: len(sample) // 2],
        "locked.pdf": pdfgen.encrypted_pdf("s3cret"),
        "garbled.pdf": cid_garbage_pdf(),
        "huge.pdf": many_pages_pdf(1000),
        "bomb.pdf": bomb_pdf(300),
        "scan.pdf": scanned_pdf(1),
        "last.pdf": (EXAMPLES / "chatterly.pdf").read_bytes(),
    }
    paths = []
    for name, data in files.items():
        paths.append(tmp_path / name)
        paths[-1].write_bytes(data)
    reports = {r.file: r for r in analyzer.analyze_many(paths)}
    assert list(reports) == list(files)  # every file reported, in order
    expected = {"empty.pdf": "empty", "contract.pdf": "not-pdf", "cut.pdf": "corrupt",
                "locked.pdf": "encrypted", "huge.pdf": "limit", "bomb.pdf": "limit"}
    for name, code in expected.items():
        r = reports[name]
        assert (r.status.value, r.error_code) == ("error", code), (name, r.error)
        assert r.error.startswith(f"{name}: ") and not r.findings
    for name in ("good.pdf", "last.pdf"):  # the files after the failures were analysed normally
        assert reports[name].status.value == "ok" and reports[name].findings
    garbled = reports["garbled.pdf"]  # unreadable glyph codes: OCR reads the rendered page where installed
    if garbled.status.value == "ok":
        assert any("OCR" in w for w in garbled.warnings)
    else:
        assert garbled.error_code == "no-text", garbled.error
    scan = reports["scan.pdf"]  # OCR'd where ocrmypdf is installed; a clear error otherwise
    if scan.status.value == "ok":
        assert any("OCR" in w for w in scan.warnings)
    else:
        assert scan.error_code == "no-text" and "no text layer" in scan.error
    unlocked = analyzer.analyze_file(tmp_path / "locked.pdf", password="s3cret")
    assert unlocked.status.value == "ok" and unlocked.pages == 1

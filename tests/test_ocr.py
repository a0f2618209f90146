"""OCR: scans and pages with a broken text layer are recognised offline; its limits hold (pipeline/ocr.py)."""

from __future__ import annotations

import hashlib
import time

import pytest

from pipeline import ocr
from pipeline.errors import LimitExceededError, NoTextError
from pipeline.ocr import OcrOptions, ocr_available, parse_with_ocr
from tests.pdfgen import pua_garbage_pdf, scanned_pdf

needs_ocr = pytest.mark.skipif(not ocr_available(), reason="ocrmypdf / tesseract-ocr not installed")


def test_scan_without_ocr_says_so(monkeypatch):
    scan = scanned_pdf(1)
    with pytest.raises(NoTextError, match="no text layer, OCR not available"):
        parse_with_ocr(scan, "scan.pdf", options=OcrOptions(enabled=False))
    monkeypatch.setattr(ocr.shutil, "which", lambda _name: None)  # as on a machine without the packages
    assert not ocr_available()
    with pytest.raises(NoTextError, match="no text layer, OCR not available"):
        parse_with_ocr(scan, "scan.pdf")


@needs_ocr
def test_scan_is_ocred():
    data = scanned_pdf(2)
    doc = parse_with_ocr(data, "scan.pdf")
    assert doc.pages == 2
    assert "documented instructions of the customer" in doc.text
    assert "without undue delay" in doc.text
    assert any("recognised by OCR" in w for w in doc.warnings)
    assert doc.sha256 == hashlib.sha256(data).hexdigest()


@needs_ocr
def test_scanned_annex_page_is_ocred_and_text_pages_kept():
    doc = parse_with_ocr(scanned_pdf(1, text_first=True), "annex.pdf")
    assert doc.text.count("documented instructions of the customer") >= 3  # 2 typed on page 1, 1 scanned
    assert [b.page for b in doc.blocks if "becoming aware" in b.text] == [2]
    assert any(w.startswith("page(s) 2 had no text layer") for w in doc.warnings)


@needs_ocr
def test_broken_encoding_is_rescued_by_ocr():
    """--force-ocr rasterises the page, so readable glyphs with a garbage text layer become text again."""
    doc = parse_with_ocr(pua_garbage_pdf(), "garbled.pdf")
    assert "documented instructions" in doc.text


@needs_ocr
def test_ocr_time_limit_kills_the_run():
    t0 = time.perf_counter()
    with pytest.raises(LimitExceededError, match=r"OCR took longer than the limit of 0\.5 s"):
        ocr.ocr_pdf(scanned_pdf(3), "scan.pdf", options=OcrOptions(timeout_s=0.5), force=True)
    assert time.perf_counter() - t0 < 5


@needs_ocr
def test_ocr_memory_limit_gives_an_error_not_a_crash():
    with pytest.raises(NoTextError, match="OCR failed"):
        ocr.ocr_pdf(scanned_pdf(1), "scan.pdf", options=OcrOptions(memory_bytes=40 << 20), force=True)




def test_tesseract_runs_one_openmp_thread_unless_told_otherwise(monkeypatch):
    """Under load Tesseract's OpenMP threads spin against the embedder's: a page ran past its 60 s timeout and came
    back without text while two encoders ran beside it; with one thread it took 8 s (pipeline/ocr.py)."""
    seen = []

    class StoppedError(Exception):
        pass

    def popen(cmd, **kwargs):
        seen.append(kwargs["env"])
        raise StoppedError

    monkeypatch.setattr(ocr.subprocess, "Popen", popen)
    monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    with pytest.raises(StoppedError):
        ocr.ocr_pdf(b"%PDF-1.4", "x.pdf")
    monkeypatch.setenv("OMP_THREAD_LIMIT", "4")
    with pytest.raises(StoppedError):
        ocr.ocr_pdf(b"%PDF-1.4", "x.pdf")
    assert [env["OMP_THREAD_LIMIT"] for env in seen] == ["1", "4"]

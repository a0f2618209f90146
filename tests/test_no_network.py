"""Nothing leaves the machine: the whole pipeline runs with every socket blocked, and logs hold no text.

DPAs are confidential contracts. The embedding model is loaded from an installed package with the hub
switched off; this test proves it by failing any connection attempt (and name lookup) while the model is
loaded and the bundled example DPAs are analysed end to end.
"""

from __future__ import annotations

import logging
import socket
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from pipeline.analyze import Analyzer
from pipeline.embed import CachedEmbedder, load_model
from pipeline.models import DocStatus
from pipeline.parse import parse_pdf

EXAMPLES = Path(__file__).resolve().parent.parent / "vendors" / "examples"


@pytest.fixture
def no_network(monkeypatch) -> list[tuple]:
    """Every outgoing connection and DNS lookup raises; returns the list of attempts made."""
    attempts: list[tuple] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access blocked by test_no_network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_the_block_works(no_network):
    with pytest.raises((OSError, urllib.error.URLError)):
        urllib.request.urlopen("http://127.0.0.1:9/", timeout=2)
    assert no_network, "the connection attempt was seen and refused"


@pytest.mark.model
def test_pipeline_runs_offline_and_logs_no_document_text(no_network, tmp_path, caplog, monkeypatch):
    # Unset, so the model loader itself must switch the hub off (it sets these before loading).
    for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        monkeypatch.delenv(var, raising=False)
    caplog.set_level(logging.INFO)
    # A fresh model load on the default backend (not the process-wide one) and an empty cache, so the model
    # really encodes; the ONNX export, if this machine has not made it yet, runs under the block too.
    monkeypatch.setenv("DPA_MODEL_CACHE", str(tmp_path / "models"))  # so the export itself runs offline here
    embedder = CachedEmbedder(load_model(), tmp_path / "emb.sqlite3")
    assert embedder.inner.backend == "onnx"
    assert list((tmp_path / "models").glob("*/model.onnx")), "exported under the network block"
    analyzer = Analyzer(embedder=embedder)
    pdfs = sorted(EXAMPLES.glob("*.pdf"))
    assert len(pdfs) >= 3
    reports = analyzer.analyze_many(pdfs)

    for report in reports:
        assert report.status == DocStatus.OK, report.error
        assert any(f.status.value == "met" for f in report.findings), report.file
    assert embedder.misses > 0, "the model encoded the documents (not a cache hit)"
    assert not no_network, f"connection attempts: {no_network}"

    # INFO and above (what a user's log holds) never contains a passage of any document.
    logged = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)
    assert "parsed" in logged  # the log was captured at all
    for pdf in pdfs:
        for block in parse_pdf(pdf).blocks:
            if len(block.text) >= 40:
                assert block.text[:40] not in logged, f"document text from {pdf.name} in the log"


def test_malformed_content_warnings_do_not_leak_text(caplog):
    """pdfminer's warnings about broken content quote raw content bytes; the parser silences them."""
    from pipeline.errors import DocumentError
    from pipeline.parse import parse_bytes
    from tests.test_robustness import raw_pdf

    secret = "Confidential liability cap of four million euros"
    content = f"BT /F1 11 Tf 72 720 Td ({secret}) Tj ET\n0 0 0 ({secret}) re f\n".encode()  # bad operands
    caplog.set_level(logging.INFO)
    try:
        parse_bytes(raw_pdf(content), "broken.pdf")
    except DocumentError:
        pass
    assert "broken.pdf" in caplog.text  # the parser's own INFO line is captured
    assert secret not in caplog.text  # measured: without the silencing, pdfminer's WARNING quotes it


@pytest.mark.model
def test_dashboard_upload_path_runs_offline(no_network, tmp_path, analyzer):
    """The dashboard's analysis path (uploads.ingest → store → export) with every socket blocked."""
    from pipeline.export import export_bytes
    from pipeline.store import Store
    from pipeline.uploads import ingest, pdf_dir

    db = tmp_path / "dpa.sqlite3"
    with Store(db) as store:
        pdfs = sorted(EXAMPLES.glob("*.pdf"))
        results = [ingest(p.read_bytes(), p.name, analyzer, store, pdf_dir(db)) for p in pdfs]
        assert [r.outcome.value for r in results] == ["analysed"] * len(pdfs), [r.message for r in results]
        data = export_bytes("csv", store.reports(), analyzer.library, reviews=store.all_reviews())
    assert b"Ledgerline" in data
    assert not no_network, f"connection attempts: {no_network}"

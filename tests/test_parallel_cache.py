"""Batch workers (order, per-file errors, same results as serial) and the parsed-document cache.

The fake embedder keeps these fast; the parser and matcher are the real ones, on PDFs generated here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import pipeline.analyze as analyze_mod
from pipeline.analyze import Analyzer
from pipeline.cache import ParseCache, doc_from_json, doc_to_json, parser_version
from pipeline.chunk import chunk_document
from pipeline.models import DocStatus
from pipeline.parallel import resolve_workers
from pipeline.parse import ParseLimits, parse_bytes
from tests import pdfgen
from tests.conftest import FakeEmbedder


class Fake384(FakeEmbedder):
    """The fake embedder at the bundled matcher's input width (MiniLM's 384 dimensions)."""

    dim = 384


def _findings(report) -> list[tuple]:
    return [(f.requirement, f.status.value, round(f.score, 6), [e.text for e in f.evidence])
            for f in report.findings]


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> list[Path]:
    """Three PDFs and a renamed text file, in an order that is not alphabetical."""
    d = tmp_path_factory.mktemp("batch")
    items = pdfgen.sample_items()
    files = {
        "c-full.pdf": pdfgen.make_pdf(items),
        "a-broken.pdf": b"this is a text file with a .pdf name, not a PDF",
        "b-short.pdf": pdfgen.make_pdf(items[:5], header=None, footer=None),
        "d-no-columns.pdf": pdfgen.make_pdf([i for i in items if not isinstance(i, pdfgen.Columns)]),
    }
    paths = []
    for name, data in files.items():
        (d / name).write_bytes(data)
        paths.append(d / name)
    return paths


def test_resolve_workers() -> None:
    assert resolve_workers(1, 10) == 1
    assert resolve_workers(4, 2) == 2  # never more processes than files
    assert resolve_workers(0, 100) >= 1  # one per core
    assert resolve_workers(3, 0) == 1


def test_workers_keep_input_order_and_per_file_errors(batch) -> None:
    serial = Analyzer(embedder=Fake384()).analyze_many(batch)
    seen: list[tuple[int, int]] = []
    parallel = Analyzer(embedder=Fake384()).analyze_many(
        batch, workers=2, progress=lambda i, n, name: seen.append((i, n)))

    assert [r.file for r in parallel] == [p.name for p in batch]
    by_name = {r.file: r for r in parallel}
    assert by_name["a-broken.pdf"].status == DocStatus.ERROR
    assert by_name["a-broken.pdf"].error_code == "not-pdf"
    for name in ("c-full.pdf", "b-short.pdf", "d-no-columns.pdf"):
        assert by_name[name].status == DocStatus.OK, by_name[name].error
    # The same decisions as one process (the workers use the same library, matcher and embedder).
    for s, p in zip(serial, parallel):
        assert (s.file, s.status, s.pages, s.sha256) == (p.file, p.status, p.pages, p.sha256)
        assert _findings(s) == _findings(p)
        assert s.terms == p.terms
    assert seen[-1] == (len(batch), len(batch))
    assert sorted(i for i, _ in seen) == [i for i, _ in seen]  # progress only goes forward


def test_parsed_document_round_trips_through_json() -> None:
    doc = parse_bytes(pdfgen.sample_dpa(), "sample.pdf")
    assert any(b.page_breaks for b in doc.blocks), "the sample has a paragraph over a page break"
    back = doc_from_json(doc_to_json(doc))
    assert back == doc
    assert chunk_document(back) == chunk_document(doc)


def test_parse_cache_returns_identical_chunks_and_skips_the_parser(tmp_path, monkeypatch) -> None:
    data = pdfgen.sample_dpa()
    an = Analyzer(embedder=Fake384())
    an.parse_cache = ParseCache(tmp_path / "emb.sqlite3")
    calls = []
    real = analyze_mod.parse_with_ocr
    monkeypatch.setattr(analyze_mod, "parse_with_ocr", lambda *a, **k: calls.append(1) or real(*a, **k))

    first = an.analyze_bytes(data, "first.pdf")
    again = an.analyze_bytes(data, "renamed.pdf")
    assert len(calls) == 1, "the second analysis of the same bytes did not parse"
    assert an.parse_cache.hits == 1
    assert again.file == "renamed.pdf"
    assert _findings(first) == _findings(again)
    assert (first.pages, first.terms, first.warnings) == (again.pages, again.terms, again.warnings)

    fresh = parse_bytes(data, "renamed.pdf")
    key = (an.options.limits, an.options.ocr.enabled, an.options.ocr.language)
    cached = an.parse_cache.get(fresh.sha256, "renamed.pdf", key)
    assert cached == fresh
    assert chunk_document(cached) == chunk_document(fresh)


def test_parse_cache_is_keyed_by_parser_version_and_limits(tmp_path) -> None:
    doc = parse_bytes(pdfgen.sample_dpa(), "sample.pdf")
    path = tmp_path / "emb.sqlite3"
    ParseCache(path).put(doc, ParseLimits())
    assert ParseCache(path).get(doc.sha256, "sample.pdf", ParseLimits()) == doc
    assert ParseCache(path, version="another-parser").get(doc.sha256, "sample.pdf", ParseLimits()) is None
    assert ParseCache(path).get(doc.sha256, "sample.pdf", ParseLimits(max_pages=1)) is None
    assert ParseCache(None).get(doc.sha256, "sample.pdf", ParseLimits()) is None  # the disabled cache
    assert len(parser_version()) == 16


def test_password_protected_files_are_never_cached(tmp_path) -> None:
    an = Analyzer(embedder=Fake384())
    an.parse_cache = ParseCache(tmp_path / "emb.sqlite3")
    report = an.analyze_bytes(pdfgen.encrypted_pdf("s3cret"), "locked.pdf", password="s3cret")
    assert report.status == DocStatus.OK, report.error
    assert an.parse_cache.hits == an.parse_cache.misses == 0  # never even looked up
    assert an.parse_cache.get(report.sha256, "locked.pdf", an.options.limits) is None


def test_cache_sits_beside_the_embedding_cache(tmp_path, monkeypatch) -> None:
    class WithPath(FakeEmbedder):
        path = tmp_path / "emb.sqlite3"

    assert ParseCache.beside(WithPath()).path == tmp_path / "emb.sqlite3"
    assert not ParseCache.beside(FakeEmbedder()).enabled  # a bare embedder has no cache file
    monkeypatch.setenv("DPA_CACHE", str(tmp_path / "env.sqlite3"))
    assert ParseCache.beside(None).path == tmp_path / "env.sqlite3"
    monkeypatch.setenv("DPA_PARSE_CACHE", "0")
    assert not ParseCache.beside(WithPath()).enabled


def test_cli_default_workers_follow_the_batch_size(monkeypatch):
    from pipeline import parallel

    monkeypatch.setattr(parallel, "usable_cores", lambda: 2)
    assert parallel.auto_workers(3) == 1  # a second model process would cost more than it saves
    assert parallel.auto_workers(parallel.AUTO_MIN_FILES) == 2
    monkeypatch.setattr(parallel, "usable_cores", lambda: 1)
    assert parallel.auto_workers(100) == 1
    monkeypatch.setattr(parallel, "usable_cores", lambda: 8)
    assert parallel.auto_workers(100) == 2  # capped: ~500 MB per process (issue 6: <= 1.5 GB)

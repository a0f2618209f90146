"""Fuzzing the parser: real PDFs mutated in their bytes and in their structure must parse or fail cleanly.

The only exceptions allowed out of :func:`pipeline.parse.parse_bytes` are the project's
:class:`~pipeline.errors.DocumentError` subtypes (a clear per-file error); anything else is a defect.

The normal test run tries ``FUZZ_EXAMPLES`` cases (default 400) with a fixed seed, so CI is repeatable;
``make fuzz`` runs thousands with fresh randomness (and Hypothesis's example database, which replays any
failure found).
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import DocumentError
from pipeline.models import ParsedDocument
from pipeline.parse import ParseLimits, parse_bytes
from tests import pdfgen
from tests.pdfgen import Heading, Para, Table, make_pdf
from tests.test_robustness import bomb_pdf

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "400"))
RANDOM = "FUZZ_EXAMPLES" in os.environ  # make fuzz: fresh randomness each run
EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "vendors" / "examples"
HEAD = 9  # len(b"%PDF-1.7\n")
LIMITS = ParseLimits(max_seconds=20)  # a mutant that makes pdfminer crawl is stopped, not waited for


@cache
def labelled_seeds() -> list[tuple[str, bytes]]:
    """Real vendor-style PDFs plus generated ones (tables, encryption, an image-only page)."""
    out = [(p.name, p.read_bytes()) for p in sorted(EXAMPLES_DIR.glob("*.pdf"))]
    out.append(("sample", pdfgen.sample_dpa()))
    out.append(("table", make_pdf([Heading("Annex III"), Para("The supplier uses these sub-processors."),
                                   Table(pdfgen.SUBPROCESSORS)], unicode_font=True)))
    out.append(("locked", pdfgen.encrypted_pdf("s3cret")))
    out.append(("scan", pdfgen.image_only_pdf()))
    out.append(("bomb", bomb_pdf(3)))  # a content stream that inflates to 3 MB (multi-chunk pre-scan)
    return out


def seeds() -> list[bytes]:
    return [data for _, data in labelled_seeds()]


def _spans(data: bytes, pattern: bytes) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(pattern, data, re.S)]


@st.composite
def mutants(draw) -> bytes:
    """A seed PDF with 1-4 byte-level or structural edits.

    Positions start after the ``%PDF-1.x`` header line: a broken header is a plain "not a PDF" (tested in
    test_parse), and Hypothesis favours small integers, so most mutants would otherwise stop there.
    """
    data = bytearray(draw(st.sampled_from(seeds())))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "truncate", "insert", "delete", "number", "xref", "dup",
                                     "drop_token", "nest", "name"]))
        n = len(data)
        if n <= HEAD + 1:
            break
        if kind == "flip":
            i = draw(st.integers(HEAD, n - 1))
            data[i] ^= draw(st.integers(1, 255))
        elif kind == "truncate":
            del data[draw(st.integers(HEAD, n - 1)):]
        elif kind == "insert":
            i = draw(st.integers(HEAD, n))
            data[i:i] = draw(st.binary(min_size=1, max_size=64))
        elif kind == "delete":
            i = draw(st.integers(HEAD, n - 1))
            del data[i:i + draw(st.integers(1, 256))]
        elif kind == "number":
            # /Length, /Count, /Size, object numbers in references, startxref: all offsets and counts.
            spans = _spans(bytes(data), rb"(?<=/Length )\d+|(?<=/Count )\d+|(?<=/Size )\d+|\d+(?= 0 R)"
                                        rb"|(?<=startxref\n)\d+|(?<=/W \[)\d")
            if spans:
                a, b = draw(st.sampled_from(spans))
                value = draw(st.sampled_from([b"0", b"-1", b"1", b"7", b"99999999999", b"1e9", b"4294967296"]))
                data[a:b] = value
        elif kind == "xref":
            spans = _spans(bytes(data), rb"\d{10} \d{5} [nf]")
            if spans:
                a, _ = draw(st.sampled_from(spans))
                data[a:a + 10] = str(draw(st.integers(0, 10 ** 10 - 1))).zfill(10).encode()
        elif kind == "dup":
            spans = _spans(bytes(data), rb"\d+ 0 obj.*?endobj")
            if spans:
                a, b = draw(st.sampled_from(spans))
                at = draw(st.integers(HEAD, n))
                data[at:at] = data[a:b] + b"\n"
        elif kind == "drop_token":
            spans = _spans(bytes(data), rb"endobj|endstream|stream|xref|trailer|>>|\]")
            if spans:
                a, b = draw(st.sampled_from(spans))
                del data[a:b]
        elif kind == "nest":
            i = draw(st.integers(HEAD, n))
            depth = draw(st.integers(10, 5000))
            data[i:i] = draw(st.sampled_from([b"[", b"<<"])) * depth
        elif kind == "name":
            spans = _spans(bytes(data), rb"/(?:Type|Pages|Page|Kids|Parent|Root|Font|Contents|Resources|"
                                        rb"MediaBox|Filter|FlateDecode|ToUnicode|Encrypt)\b")
            if spans:
                a, b = draw(st.sampled_from(spans))
                data[a:b] = draw(st.sampled_from([b"/X", b"/Page", b"/Pages", b"null", b"(s)", b"<< >>",
                                                  b"[ ]", b"/FlateDecode", b"/LZWDecode", b"/Crypt"]))
    return bytes(data)


FIXED = {} if RANDOM else {"derandomize": True, "database": None}


@settings(max_examples=EXAMPLES, deadline=None, **FIXED,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=mutants(), password=st.sampled_from([None, "s3cret", "wrong"]))
def test_mutated_pdfs_fail_only_with_document_errors(data, password):
    try:
        doc = parse_bytes(data, "mutant.pdf", password=password, limits=LIMITS)
    except DocumentError as exc:
        assert str(exc).startswith("mutant.pdf: "), "every error names its file"
        return
    assert isinstance(doc, ParsedDocument)
    assert doc.pages >= 1 and doc.blocks


@pytest.mark.parametrize("seed", range(len(labelled_seeds())))
def test_seeds_are_real_documents(seed):
    """The unmutated seeds parse (the locked one with its password), so mutants start from real structure."""
    label, data = labelled_seeds()[seed]
    if label == "scan":
        with pytest.raises(DocumentError, match="no text layer"):
            parse_bytes(data, "seed.pdf")
    else:
        assert parse_bytes(data, "seed.pdf", password="s3cret" if label == "locked" else None).blocks

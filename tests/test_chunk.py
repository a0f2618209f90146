"""The sentence splitter and the chunker, on hand-built blocks, a generated PDF and (slow) the SnT corpus."""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from pathlib import Path

import pytest

from pipeline.chunk import CONTEXT_CHARS, MIN_SENTENCE, chunk_document, split_sentences
from pipeline.models import Block, BlockKind, ParsedDocument
from pipeline.parse import parse_bytes, parse_pdf
from tests import pdfgen

SNT = Path("/work/shared/eval/snt-train")


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def _doc(*blocks: Block) -> ParsedDocument:
    return ParsedDocument(name="t.pdf", sha256="0", pages=3, blocks=list(blocks))


@pytest.mark.parametrize(
    "first",
    [
        "The supplier assists the customer, e.g. by answering requests from data subjects.",
        "The supplier keeps logs, i.e. records of each access to customer data.",
        "The duties follow from Art. 28 of the regulation and bind the supplier.",
        "The fee schedule in No. 5 of the order form applies to audits.",
        "The terms in Sec. 4 of the agreement govern the audit process.",
        "The supplier shall (a) keep data safe and (b) delete it on request.",
        "The parent company, Nimbus U.S. Holdings, signs this addendum.",
        "The audit procedure in clause 9.2 applies to every sub-processor.",
        "Data may be hosted by Quill Inc. and by Nimbus Ltd. under written terms.",
        "9.2 The supplier shall notify the customer of every new sub-processor.",
    ],
)
def test_splitter_keeps_abbreviations_and_numbers(first):
    second = "processor shall keep this list up to date at all times."  # may open in lower case
    assert _sentences(f"{first} {second}") == [first, second]


def test_splitter_basic_punctuation():
    text = "Is the supplier bound? Yes, it is bound! It said “no.” The end follows here."
    assert _sentences(text) == ["Is the supplier bound?", "Yes, it is bound!", "It said “no.”",
                                "The end follows here."]


def test_chunk_offsets_pages_and_sections():
    text = ("Short one. The supplier shall encrypt personal data in transit and at rest at all times. "
            "The supplier shall keep access logs for twelve months and review them monthly.")
    brk = text.index("The supplier shall keep")
    block = Block(text=text, page=2, section="10. Security", pages=(2, 3), page_breaks=((brk, 3),))
    chunks = chunk_document(_doc(Block("10. Security", 2, "10. Security", BlockKind.HEADING, (2,)), block))
    assert [c.text for c in chunks] == [
        "Short one. The supplier shall encrypt personal data in transit and at rest at all times.",
        "The supplier shall keep access logs for twelve months and review them monthly.",
    ]
    assert [c.page for c in chunks] == [2, 3]  # the page where each sentence starts
    assert all(c.section == "10. Security" and c.block == 1 and c.kind == BlockKind.PARAGRAPH for c in chunks)
    assert all(text[c.start:c.end] == c.text and c.context == text for c in chunks)
    assert [c.index for c in chunks] == [0, 1]


def test_short_sentences_never_cross_blocks():
    a = Block("The supplier shall keep personal data confidential at all times. It agrees.", 1, "5. Duties")
    b = Block("Fine.", 1, "6. Other")
    chunks = chunk_document(_doc(a, b))
    assert [c.text for c in chunks] == [a.text, "Fine."]
    assert [c.section for c in chunks] == ["5. Duties", "6. Other"]
    assert len("It agrees.") < MIN_SENTENCE


def test_table_rows_are_chunks_with_header_context():
    rows = [Block(t, 4, "Annex III", BlockKind.TABLE_ROW, (4,)) for t in
            ["Name | Purpose | Location", "Nimbus Hosting | Cloud hosting | Ireland"]]
    chunks = chunk_document(_doc(Block("Annex III", 4, "Annex III", BlockKind.HEADING), *rows))
    assert [(c.text, c.kind, c.page) for c in chunks] == [(r.text, BlockKind.TABLE_ROW, 4) for r in rows]
    assert chunks[1].context == "Name | Purpose | Location\nNimbus Hosting | Cloud hosting | Ireland"


def test_over_long_sentence_is_split():
    parts = [f"item {i} covers the storage of records about customer accounts" for i in range(40)]
    text = "The supplier shall protect " + ", ".join(parts) + "."
    chunks = chunk_document(_doc(Block(text, 1, "7. Security")), max_chars=300)
    assert len(chunks) >= len(text) // 300
    assert all(len(c.text) <= 300 for c in chunks)
    assert all(text[c.start:c.end] == c.text for c in chunks)
    assert all(a.end <= b.start for a, b in itertools.pairwise(chunks))
    assert "".join(text[c.start:c.end] for c in chunks).replace(" ", "") == text.replace(" ", "")


def test_context_truncated_around_sentence():
    sentences = [f"Sentence {i} says that the supplier keeps the records of clause {i} safe."
                 for i in range(80)]
    text = " ".join(sentences)
    chunks = chunk_document(_doc(Block(text, 1, "S")))
    mid = chunks[40]
    assert len(text) > CONTEXT_CHARS
    assert mid.text in mid.context and len(mid.context) <= CONTEXT_CHARS + 100
    assert mid.context.startswith("… ") and mid.context.endswith(" …")


def test_chunks_of_generated_pdf():
    doc = parse_bytes(pdfgen.sample_dpa(), "sample.pdf")
    chunks = chunk_document(doc)
    assert all(doc.blocks[c.block].kind != BlockKind.HEADING for c in chunks)
    step = {int(m.group(1)): c.page for c in chunks if (m := re.match(r"Step (\d+) ", c.text))}
    assert step[1] == 2 and step[15] == 3
    assert sorted(step) == list(range(1, 16))
    rows = [c for c in chunks if c.kind == BlockKind.TABLE_ROW]
    assert [c.section for c in rows] == ["Annex II List of sub-processors"] * 3
    assert any(c.text == pdfgen.INSTRUCTIONS for c in chunks)  # "e.g." did not split the clause


def _norm(s: str) -> str:
    return re.sub(r"[\s\-\u00ad]+", "", unicodedata.normalize("NFKC", s)).lower()


@pytest.mark.slow
@pytest.mark.skipif(not SNT.exists(), reason="SnT evaluation corpus not present")
def test_labelled_sentences_survive_parsing_and_chunking():
    """Each labelled SnT sentence should lie inside one chunk (or a chunk inside it, for over-long ones)."""
    by_file: dict[str, list[str]] = {}
    for line in (SNT / "sentences.jsonl").read_text().splitlines():
        d = json.loads(line)
        if d["requirements"]:
            by_file.setdefault(d["file"], []).append(d["text"])
    files = ["online-1.pdf", "online-3.pdf", "online-17.pdf", "online-55.pdf", "online-97.pdf"]
    found = total = 0
    for name in files:
        chunks = [_norm(c.text) for c in chunk_document(parse_pdf(SNT / name))]
        for sentence in by_file[name]:
            s = _norm(sentence)
            found += any(s in c or c in s for c in chunks)
            total += 1
    assert total > 50
    assert found / total >= 0.9, f"{found}/{total}"

"""Measure key-term extraction against the vendor dev labels.

Builds sentence chunks straight from the corpus texts (``shared/corpus/vendor-dpas/<name>.txt``) with a
plain splitter, runs :func:`pipeline.terms.extract_terms` and prints per-term exact accuracy (lists are
compared as sets). ``--chunker`` also runs the project's parser and chunker over the dev PDFs when
those modules exist. ``--show NAME`` prints the terms of unlabelled corpus texts.

    .venv/bin/python scripts/eval_terms.py [--chunker] [--show airfold aptabase]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.models import BlockKind, Chunk, Terms  # noqa: E402
from pipeline.terms import extract_terms  # noqa: E402

SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "vendor-dpas"
DEV = SHARED / "eval" / "vendors-dev"
FIELDS = list(Terms().to_dict())

_ABBREV = r"(?<!\be\.g)(?<!\bi\.e)(?<!\bNo)(?<!\bArt)(?<!\bU\.S)(?<!\bInc)(?<!\bLtd)(?<!\bvs)(?<!\bSec)"
_SENT_END = re.compile(_ABBREV + r"(?<=[.!?])\s+(?=[\"“(]?[A-Z0-9])")


def _clean(line: str) -> str:
    line = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", line)  # images
    line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)  # links keep their text
    line = re.sub(r"<br\s*/?>", " ", line)
    return re.sub(r"\*\*|__|\\(?=[.\-*_#()])", "", line).strip()


def text_chunks(text: str) -> list[Chunk]:
    """Split a markdown-ish corpus text into sentence chunks with paragraph context and headings."""
    body = text.split("\n---\n", 1)[1] if text.startswith("vendor:") else text
    lines = body.splitlines()
    blocks: list[tuple[str, str, BlockKind]] = []  # (text, section, kind)
    section, para = "", []

    def flush() -> None:
        if para:
            blocks.append((_clean(" ".join(para)), section, BlockKind.PARAGRAPH))
            para.clear()

    for i, raw in enumerate(lines):
        line = raw.strip()
        nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if not line or re.fullmatch(r"[-=]{3,}|\|[\s|:-]*\|", line):
            flush()
        elif line.startswith("#") or re.fullmatch(r"[-=]{3,}", nxt):
            flush()
            section = _clean(line.lstrip("#"))
        elif line.startswith("|"):
            flush()
            blocks.append((_clean(line.strip("|").replace("|", " | ")), section, BlockKind.TABLE_ROW))
        elif re.match(r"([*+-]|\d+\.|\(?[a-z0-9]{1,4}\))\s", line):
            flush()
            para.append(re.sub(r"^[*+-]\s+", "", line))
        else:
            para.append(line)
    flush()

    chunks: list[Chunk] = []
    for b, (block, sec, kind) in enumerate(blocks):
        sentences = [block] if kind == BlockKind.TABLE_ROW else _SENT_END.split(block)
        pos = 0
        for s in sentences:
            start = block.find(s, pos)
            pos = start + len(s)
            chunks.append(Chunk(index=len(chunks), text=s, page=1, section=sec, kind=kind, block=b,
                                start=start, end=pos, context=block))
    return chunks


def _same(field: str, got, want) -> bool:
    return set(got) == set(want) if isinstance(want, list) else got == want


def evaluate(chunker: bool = False, verbose: bool = True) -> dict[str, float]:
    """Per-term accuracy over the dev labels; the key ``overall`` holds the mean over all values."""
    labels = json.loads((DEV / "labels.json").read_text())["documents"]
    hits = {f: 0 for f in FIELDS}
    for pdf, doc in labels.items():
        text = (CORPUS / f"{Path(pdf).stem}.txt").read_text()
        chunks = _pdf_chunks(DEV / pdf) if chunker else text_chunks(text)
        got = extract_terms(chunks).to_dict()
        for f in FIELDS:
            ok = _same(f, got[f], doc["terms"][f])
            hits[f] += ok
            if verbose and not ok:
                print(f"  MISS {pdf:22} {f:26} got={got[f]!r} want={doc['terms'][f]!r}")
    n = len(labels)
    result = {f: hits[f] / n for f in FIELDS}
    result["overall"] = sum(hits.values()) / (n * len(FIELDS))
    return result


def _pdf_chunks(path: Path) -> list[Chunk]:
    from pipeline.chunk import chunk_document  # type: ignore[attr-defined]
    from pipeline.parse import parse_pdf  # type: ignore[attr-defined]

    return chunk_document(parse_pdf(path))


def main() -> None:
    """Print per-term accuracy (and optionally the terms of named unlabelled texts)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chunker", action="store_true", help="use pipeline.parse + pipeline.chunk on the PDFs")
    ap.add_argument("--show", nargs="*", default=[], help="corpus text names to print terms for")
    args = ap.parse_args()
    for name in args.show:
        terms = extract_terms(text_chunks((CORPUS / f"{name}.txt").read_text()))
        print(f"{name}: {json.dumps(terms.to_dict())}")
    if args.show:
        return
    result = evaluate(chunker=args.chunker)
    for f, acc in result.items():
        print(f"{f:26} {acc:6.1%}")


if __name__ == "__main__":
    main()

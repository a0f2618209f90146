"""Train on our own chunks of the SnT PDFs instead of the corpus sentences (labels from the sentences they contain).

    .venv/bin/python scripts/experiments/snt_chunks.py [--both]   # dpa eval-style 5-fold CV (inner 5), both corpora

``--both`` trains on the corpus sentences and the chunks together.

Same folds and scoring as ``dpa eval``; only ``Corpus.from_snt`` is swapped. Never reads the held-out corpora.
"""

import json
import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, ".")

from pipeline import train
from pipeline.analyze import Analyzer
from pipeline.evaluate import (
    EvalResult,
    _cross_validated,
    _norm,
    format_result,
    read_labels,
    score_reports,
    unrotate_snt,
)


def from_snt_chunks(cls, d: Path, *, fix_rotation: bool = True):
    """Parse and chunk each SnT PDF; a chunk carries the labels of the corpus sentences it contains (or is in)."""
    from pipeline.chunk import chunk_document
    from pipeline.parse import parse_pdf

    rows = [json.loads(x) for x in (d / "sentences.jsonl").read_text(encoding="utf-8").splitlines()]
    lab = json.loads((d / "labels.json").read_text(encoding="utf-8"))
    scored = frozenset(lab["scored_requirements"])
    fix = train.SNT_ROTATION if fix_rotation else {}
    by_file: dict[str, list[tuple[str, set[str]]]] = {}
    for r in rows:
        by_file.setdefault(r["file"], []).append((_norm(r["text"]), {fix.get(x, x) for x in r["requirements"]}))
    c = cls()
    lost = total = 0
    for f in lab["documents"]:
        sents = by_file.get(f, [])
        covered = [False] * len(sents)
        for ch in chunk_document(parse_pdf(d / f)):
            nc = _norm(ch.text)
            labels: set[str] = set()
            for k, (ns, ls) in enumerate(sents):
                if ns and nc and (ns in nc or nc in ns):
                    labels |= ls
                    covered[k] = True
            c.texts.append(ch.text)
            c.contexts.append(ch.context)
            c.labels.append(labels)
            c.scored.append(scored)
            c.docs.append(f"{d.name}/{f}")
        lost += sum(1 for k, (_, ls) in enumerate(sents) if ls and not covered[k])
        total += sum(1 for _, ls in sents if ls)
        has = set().union(*[ls for _, ls in sents])
        c.gold[f"{d.name}/{f}"] = {rid: ("met" if rid in has else "missing") for rid in scored}
    print(f"labelled SnT sentences not matched to a chunk: {lost}/{total}", flush=True)
    return c


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    sentences = train.Corpus.from_snt
    if "--both" in sys.argv:
        train.Corpus.from_snt = classmethod(lambda cls, d, **kw: sentences(d, **kw) + from_snt_chunks(cls, d, **kw))
    else:
        train.Corpus.from_snt = classmethod(from_snt_chunks)
    for corpus in [Path("../shared/eval/snt-train"), Path("../shared/eval/vendors-dev")]:
        t0 = time.time()
        labels = read_labels(corpus)
        names = list(labels["documents"])
        reports = _cross_validated(corpus, names, Analyzer(), 5, 5, None)
        print(format_result(score_reports(reports, labels, EvalResult(str(corpus), len(names), "SnT chunks"))))
        if (corpus / "sentences.jsonl").exists():
            sem = score_reports(reports, unrotate_snt(labels), EvalResult(str(corpus), len(names), "semantic"))
            print("\n".join(format_result(sem).splitlines()[:2]))
        print(f"{time.time() - t0:.0f} s", flush=True)


if __name__ == "__main__":
    main()

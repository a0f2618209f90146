"""Train the sentence scorer and choose per-requirement thresholds; writes clauses/model/matcher.npz.

    .venv/bin/python scripts/train_matcher.py [--snt ../shared/eval/snt-train] [--dev ../shared/eval/vendors-dev]

Thresholds of the 25 requirements the SnT corpus labels come from 5-fold cross-validation by document on
it (out-of-fold sentence scores, document-level accuracy). The six it does not label are tuned on the
vendors-dev set when --dev is given (so vendors-dev numbers for those six are in-sample: see
docs/accuracy.md). Only derived numbers are written, never corpus text.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from pathlib import Path

import numpy as np
from sklearn.model_selection import GroupKFold

from pipeline.embed import get_embedder
from pipeline.library import load_library
from pipeline.match import DEFAULT_MODEL_PATH
from pipeline.train import Corpus, choose_thresholds, doc_max, fit

ROOT = Path(__file__).resolve().parent.parent


def dev_doc_scores(model, library, dev: Path, embedder):
    """Best cue-passing probability per requirement for each vendors-dev PDF, through the real parser."""
    from pipeline.chunk import chunk_document
    from pipeline.parse import parse_pdf

    out = {}
    for pdf in sorted(dev.glob("*.pdf")):
        chunks = chunk_document(parse_pdf(pdf))
        texts = [c.text for c in chunks]
        probs = model.scores(texts, embedder.embed(texts))
        out.update(doc_max(model, library, texts, [c.context for c in chunks], probs, [pdf.name] * len(texts)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--snt", type=Path, default=ROOT.parent / "shared/eval/snt-train")
    ap.add_argument("--dev", type=Path, default=ROOT.parent / "shared/eval/vendors-dev")
    ap.add_argument("--out", type=Path, default=DEFAULT_MODEL_PATH)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("-C", type=float, default=4.0)
    ap.add_argument("--save-oof", type=Path, help="Also save the out-of-fold sentence scores (for analysis).")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    library = load_library()
    embedder = get_embedder()
    corpus = Corpus.from_dir(args.snt)
    gold = json.loads((args.snt / "labels.json").read_text())["documents"]
    docs = np.array(corpus.docs)
    t0 = time.time()
    oof = np.zeros((len(corpus.texts), len(library.ids)), dtype=np.float32)
    model = None
    for k, (tr, te) in enumerate(GroupKFold(n_splits=args.folds).split(docs, groups=docs)):
        sub = corpus.subset(set(docs[tr]))
        model = fit(sub, library, embedder.embed, c=args.C)
        texts = [corpus.texts[i] for i in te]
        oof[te] = model.scores(texts, embedder.embed(texts))
        logging.info("fold %d done (%.0f s)", k + 1, time.time() - t0)
    scores = doc_max(model, library, corpus.texts, corpus.texts, oof, corpus.docs)
    if args.save_oof:
        np.savez(args.save_oof, oof=oof, docs=docs)
    final = fit(corpus, library, embedder.embed, c=args.C)
    th = choose_thresholds(scores, gold, library.ids, final.thresholds)
    final.thresholds = th
    if args.dev and args.dev.exists():
        dev_gold = json.loads((args.dev / "labels.json").read_text())["documents"]
        extra = [rid for rid in library.ids if rid not in corpus.scored]
        dev_scores = dev_doc_scores(final, library, args.dev, embedder)
        th_dev = choose_thresholds(dev_scores, dev_gold, library.ids, th)
        for rid in extra:
            j = library.ids.index(rid)
            final.thresholds[j] = th_dev[j]
    final.meta = {
        "version": time.strftime("%Y%m%d") + "-" + library.fingerprint()[:6],
        "embedding_model": embedder.name,
        "library": library.fingerprint(),
        "trained_on": {"snt": sorted(set(corpus.docs)), "dev_thresholds_only": bool(args.dev)},
        "C": args.C,
    }
    final.save(args.out)
    for rid, t in zip(library.ids, final.thresholds):
        logging.info("  %-28s threshold %.3f", rid, t)
    logging.info("wrote %s (%.0f s)", args.out, time.time() - t0)


if __name__ == "__main__":
    main()

"""Train the sentence scorer and choose per-requirement thresholds; writes clauses/model/matcher.npz.

    .venv/bin/python scripts/train_matcher.py [--source ../shared/eval/snt-train --source ../shared/eval/vendors-dev]

Thresholds come from k-fold cross-validation by document over all sources (out-of-fold scores,
document-level accuracy). ``dpa eval`` on a source corpus therefore retrains per fold (see pipeline/evaluate.py).
Only derived numbers are written, never corpus text.
"""

from __future__ import annotations

import argparse
import logging
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from pipeline.embed import get_embedder
from pipeline.library import load_library
from pipeline.match import DEFAULT_MODEL_PATH, FEATURES
from pipeline.train import fit_with_thresholds, load_training_corpus

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCES = [ROOT.parent / "shared/eval/snt-train", ROOT.parent / "shared/eval/vendors-dev"]
# The same recipe gives another model under other versions of these (retrained from the same commit with
# scikit-learn 1.9.1 and numpy 2.4.6, one threshold moved by 0.08; docs/accuracy.md, thirty-sixth session).
PACKAGES = ("scikit-learn", "numpy", "scipy", "sentence-transformers", "torch")


def package_versions() -> dict[str, str]:
    """The installed versions of the packages a trained model depends on."""
    out = {}
    for name in PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--source", type=Path, action="append", help="Labelled corpus folder (repeatable).")
    ap.add_argument("--out", type=Path, default=DEFAULT_MODEL_PATH)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("-C", type=float, default=4.0)
    ap.add_argument("--exclude", nargs="*", default=[],
                    help="Documents to leave out entirely, as <corpus folder>/<file> (for a held-out test model).")
    ap.add_argument("--features", default=",".join(FEATURES),
                    help="Feature blocks, comma-separated (tfidf,embedding[,obligation]).")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    sources = args.source or DEFAULT_SOURCES
    t0 = time.time()
    library = load_library()
    embedder = get_embedder()
    corpus = load_training_corpus(sources).without(set(args.exclude))
    logging.info("training corpus: %d sentences, %d documents", len(corpus.texts), len(corpus.documents))
    model, _ = fit_with_thresholds(corpus, library, embedder.embed, folds=args.folds, c=args.C,
                                    features=tuple(args.features.split(",")))
    model.meta = {
        "version": time.strftime("%Y%m%d") + "-" + library.fingerprint()[:6],
        "embedding_model": embedder.name,
        "library": library.fingerprint(),
        "trained_on": {"sources": [s.name for s in sources], "documents": len(corpus.documents),
                       "excluded": sorted(args.exclude)},
        "C": args.C,
        "packages": package_versions(),
    }
    model.save(args.out)
    for rid, t in zip(library.ids, model.thresholds):
        logging.info("  %-28s threshold %.3f", rid, t)
    logging.info("wrote %s (%.0f s)", args.out, time.time() - t0)


if __name__ == "__main__":
    main()

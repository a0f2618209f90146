"""Training the sentence scorer and choosing decision thresholds (used by scripts/train_matcher.py and by
``dpa eval``'s cross-validation, which retrains on the other folds so no document is scored by a model that
saw it).

Training data: the labelled sentences of an SnT-style corpus (``sentences.jsonl``: text + requirement ids)
plus the library's own phrasings (positives) and near misses (negatives). For requirements the corpus does
not label (its ``scored_requirements`` lack them), corpus sentences on the same topic are left out of that
requirement's negatives rather than wrongly counted as negatives.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from .library import Library
from .match import N_HASH, MatcherModel, _compiled, _hasher, featurize

log = logging.getLogger(__name__)

# Topic filters for requirements the SnT corpus does not label: such corpus sentences are not negatives.
UNLABELLED_TOPIC = {
    "transfer-safeguards": r"(?i)transfer|third countr|standard contractual|adequa|binding corporate|privacy shield",
    "subprocessor-list": r"(?i)sub-?\s?processor|subcontract",
    "no-training": r"(?i)train|machine learning|model|improv",
    "data-location": r"(?i)locat|stor|host|data cent|region|countr|EEA|European",
    "government-access": r"(?i)authorit|law enforcement|government|subpoena|court|disclos",
    "encryption": r"(?i)encrypt|cryptograph|TLS|SSL|AES",
}


@dataclass
class Corpus:
    """Labelled sentences, grouped by document."""

    texts: list[str]
    labels: list[set[str]]
    docs: list[str]
    scored: list[str]  # requirement ids this corpus labels

    @classmethod
    def from_dir(cls, d: Path) -> Corpus:
        """Read ``sentences.jsonl`` and ``labels.json`` of an SnT-style corpus folder."""
        rows = [json.loads(line) for line in (d / "sentences.jsonl").read_text(encoding="utf-8").splitlines()]
        scored = json.loads((d / "labels.json").read_text(encoding="utf-8"))["scored_requirements"]
        return cls([r["text"] for r in rows], [set(r["requirements"]) for r in rows],
                   [r["file"] for r in rows], scored)

    def subset(self, keep_docs: set[str]) -> Corpus:
        """Only the sentences of the given documents."""
        idx = [i for i, d in enumerate(self.docs) if d in keep_docs]
        return Corpus([self.texts[i] for i in idx], [self.labels[i] for i in idx],
                      [self.docs[i] for i in idx], self.scored)


def _idf(texts: Sequence[str]) -> np.ndarray:
    df = np.asarray((_hasher().transform(texts) > 0).sum(axis=0)).ravel()
    return (np.log((1 + len(texts)) / (1 + df)) + 1.0).astype(np.float32)


def fit(corpus: Corpus, library: Library, embed: Callable[[list[str]], np.ndarray], *, c: float = 4.0,
        meta: dict | None = None) -> MatcherModel:
    """Fit one logistic-regression head per requirement; thresholds start at 0.5 (see choose_thresholds)."""
    lib_texts: list[str] = []
    lib_pos: list[str | None] = []
    for req in library.requirements:
        for t in req.phrasings:
            lib_texts.append(t)
            lib_pos.append(req.id)
        for t in req.negatives:
            lib_texts.append(t)
            lib_pos.append(None)
    texts = corpus.texts + lib_texts
    n_c = len(corpus.texts)
    emb = embed(texts)
    idf = _idf(texts)
    x = featurize(texts, emb, idf)
    ids = library.ids
    coef = np.zeros((len(ids), N_HASH + emb.shape[1]), dtype=np.float32)
    intercept = np.zeros(len(ids), dtype=np.float32)
    for j, rid in enumerate(ids):
        y = np.zeros(len(texts), dtype=int)
        use = np.ones(len(texts), dtype=bool)
        if rid in corpus.scored:
            y[:n_c] = [rid in lab for lab in corpus.labels]
        else:
            topic = re.compile(UNLABELLED_TOPIC.get(rid, r"(?!x)x"))
            use[:n_c] = [not topic.search(t) for t in corpus.texts]
        # Library phrasings are positives for their own requirement and clean negatives for the others;
        # near misses are negatives for all.
        y[n_c:] = [pos == rid for pos in lib_pos]
        clf = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
        clf.fit(x[use], y[use])
        coef[j] = clf.coef_[0]
        intercept[j] = clf.intercept_[0]
        log.debug("trained %s on %d sentences (%d positive)", rid, use.sum(), y[use].sum())
    return MatcherModel(ids, coef, intercept, idf, np.full(len(ids), 0.5, dtype=np.float32), meta or {})


def doc_max(model: MatcherModel, library: Library, texts: list[str], contexts: list[str],
            probs: np.ndarray, docs: list[str]) -> dict[str, np.ndarray]:
    """Per document: for each requirement, the best probability among chunks that pass its cues."""
    out: dict[str, np.ndarray] = {}
    cue_ok = np.ones(probs.shape, dtype=bool)
    for j, rid in enumerate(model.ids):
        pats = _compiled(tuple(library.get(rid).cues))
        if pats:
            cue_ok[:, j] = [any(p.search(t) or p.search(cx) for p in pats) for t, cx in zip(texts, contexts)]
    masked = np.where(cue_ok, probs, 0.0)
    for i, d in enumerate(docs):
        out[d] = np.maximum(out.get(d, np.zeros(probs.shape[1])), masked[i])
    return out


def choose_thresholds(doc_scores: dict[str, np.ndarray], gold: dict[str, dict[str, str]], ids: list[str],
                      default: np.ndarray) -> np.ndarray:
    """Per requirement, the threshold that maximises document-level accuracy (ties → the middle).

    ``gold`` maps document → its ``labels.json`` entry (with ``requirements``) or directly → statuses.
    """
    gold = {d: g.get("requirements", g) for d, g in gold.items()}
    grid = np.linspace(0.05, 0.995, 96)
    th = default.copy()
    docs = [d for d in doc_scores if d in gold]
    for j, rid in enumerate(ids):
        lab = [(doc_scores[d][j], gold[d][rid] != "missing") for d in docs if rid in gold[d]]
        if len(lab) < 5:
            continue
        s = np.array([a for a, _ in lab])
        y = np.array([b for _, b in lab])
        acc = np.array([((s >= t) == y).mean() for t in grid])
        best = np.flatnonzero(acc >= acc.max() - 1e-9)
        th[j] = float(grid[best[len(best) // 2]])
    return th

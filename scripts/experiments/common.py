# ruff: noqa: N803, N806  (matrix names X, P, D follow the maths)
"""Shared harness for matcher accuracy experiments (issue 3): SnT-train sentences, 5-fold GroupKFold by
document, out-of-fold sentence probabilities -> document decisions, honest per-requirement thresholds
(chosen on other documents only, nested), and gap precision / recall / F1 and document accuracy.

Embeddings: /tmp/snt_X.npy (MiniLM, L2-normalised, file order) unless another matrix is given.
Never reads snt-test or vendors-holdout.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.model_selection import GroupKFold, KFold

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
SNT = ROOT.parent / "shared/eval/snt-train"

rows = [json.loads(line) for line in open(SNT / "sentences.jsonl", encoding="utf-8")]
lab = json.load(open(SNT / "labels.json", encoding="utf-8"))
R: list[str] = lab["scored_requirements"]
texts = [r["text"] for r in rows]
files = np.array([r["file"] for r in rows])
ufiles = sorted(set(files))
g = np.array([ufiles.index(f) for f in files])
Y = np.array([[rid in r["requirements"] for rid in R] for r in rows], dtype=int)
GOLD = np.array([[lab["documents"][f]["requirements"][rid] == "met" for rid in R] for f in ufiles])
FOLDS = list(GroupKFold(n_splits=5).split(texts, groups=g))


def load_emb(path: str = "/tmp/snt_X.npy") -> np.ndarray:
    return np.load(path).astype(np.float32)


_HV = HashingVectorizer(ngram_range=(1, 2), n_features=2**16, alternate_sign=False, norm=None,
                        token_pattern=r"(?u)\b\w\w+\b")
H = _HV.transform(texts).astype(np.float32)


def tfidf(tr: np.ndarray, idx: np.ndarray, M=H) -> csr_matrix:
    """Sublinear TF-IDF (idf from the training rows), L2-normalised, as pipeline.match.featurize."""
    df = np.asarray((M[tr] > 0).sum(axis=0)).ravel()
    idf = (np.log((1 + len(tr)) / (1 + df)) + 1.0).astype(np.float32)
    c = M[idx].copy()
    c.data = 1.0 + np.log(c.data)
    c = csr_matrix(c.multiply(idf.reshape(1, -1)))
    n = np.sqrt(np.asarray(c.multiply(c).sum(axis=1))).ravel()
    n[n == 0] = 1
    return csr_matrix(c.multiply(1.0 / n.reshape(-1, 1)))


def both(tr, idx, X, w=1.0, extra=None):
    parts = [tfidf(tr, idx), csr_matrix(X[idx] * w)]
    if extra is not None:
        parts.append(csr_matrix(extra[idx]))
    return hstack(parts).tocsr()


def cue_mask() -> np.ndarray:
    """(n_sentences, n_req) True where the sentence matches one of the requirement's library cues."""
    from pipeline.library import load_library
    lib = load_library()
    m = np.ones((len(texts), len(R)), dtype=bool)
    for j, rid in enumerate(R):
        pats = [re.compile(p) for p in lib.get(rid).cues]
        if pats:
            m[:, j] = [any(p.search(t) for p in pats) for t in texts]
    return m


def doc_max(P: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    if mask is not None:
        P = np.where(mask, P, 0.0)
    D = np.zeros((len(ufiles), P.shape[1]))
    np.maximum.at(D, g, P)
    return D


def prf(pred: np.ndarray, gold: np.ndarray = GOLD) -> tuple[float, float, float, float]:
    gp, gg = ~pred, ~gold
    tp = (gp & gg).sum()
    fp = (gp & ~gg).sum()
    fn = (~gp & gg).sum()
    p = tp / max(tp + fp, 1)
    r = tp / max(tp + fn, 1)
    return (round(float(p), 3), round(float(r), 3), round(float(2 * p * r / max(p + r, 1e-9)), 3),
            round(float((pred == gold).mean()), 3))


GRID = np.linspace(0.02, 0.995, 98)


def perreq_pred(D: np.ndarray, objective: str = "acc", seed: int = 1, gold=GOLD) -> np.ndarray:
    """Per-requirement threshold chosen on the other 4/5 of documents (nested CV), ties -> middle."""
    pred = np.zeros_like(gold)
    for tr, te in KFold(5, shuffle=True, random_state=seed).split(D):
        for j in range(D.shape[1]):
            s, y = D[tr, j], gold[tr, j]
            if objective == "acc":
                sc = np.array([((s >= t) == y).mean() for t in GRID])
            else:  # gap F1 (gap = below threshold)
                sc = []
                for t in GRID:
                    gp = s < t
                    tp = (gp & ~y).sum()
                    sc.append(2 * tp / max(gp.sum() + (~y).sum(), 1))
                sc = np.array(sc)
            best = np.flatnonzero(sc >= sc.max() - 1e-9)
            pred[te, j] = D[te, j] >= GRID[best[len(best) // 2]]
    return pred


def report(name: str, P: np.ndarray, mask=None, extra: str = "") -> dict:
    """Print one table line: global 0.5, best global (optimistic), per-req nested CV (acc), avg over 3 seeds."""
    D = doc_max(P, mask)
    g05 = prf(D >= 0.5)
    glob = max((prf(D >= t) for t in GRID), key=lambda x: x[3])
    pr = [prf(perreq_pred(D, seed=s)) for s in (1, 2, 3)]
    prm = tuple(round(float(np.mean([x[i] for x in pr])), 3) for i in range(4))
    prf1 = [prf(perreq_pred(D, "f1", seed=s)) for s in (1, 2, 3)]
    prf1m = tuple(round(float(np.mean([x[i] for x in prf1])), 3) for i in range(4))
    line = f"{name:40s} th0.5 {g05}  bestglob {glob}  perreq-acc {prm}  perreq-f1 {prf1m} {extra}"
    print(line, flush=True)
    with open("/tmp/exp_results.txt", "a") as fh:
        fh.write(line + "\n")
    return {"th05": g05, "glob": glob, "perreq": prm, "perreq_f1": prf1m}


def sent_ap(P: np.ndarray) -> float:
    from sklearn.metrics import average_precision_score
    return round(float(np.mean([average_precision_score(Y[:, j], P[:, j]) for j in range(len(R))])), 3)

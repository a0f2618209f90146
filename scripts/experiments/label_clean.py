# ruff: noqa: N806  (matrix names X, P, D follow the maths)
"""Near-copy label cleaning (issue 3): train each fold on labels replaced by the majority of their near-copies.

SnT labels a boilerplate sentence differently across documents (docs/accuracy.md, error class 1), and with
``class_weight="balanced"`` a few positive copies outweigh many negative copies of the same sentence, so the
scorer learns the minority label. Here every training sentence takes the majority label vector of the training
sentences within cosine >= t of it (itself included; training fold only, so nothing of the held-out documents
is used), then the current design (TF-IDF ⊕ MiniLM, LR C=4 balanced) is trained as in ``sent_variants.py base``.

    python label_clean.py base 0.97 0.93 0.90
"""
import sys
import time

import numpy as np
from common import FOLDS, R, Y, load_emb, report, sent_ap, tfidf
from scipy.sparse import csr_matrix, hstack
from sklearn.linear_model import LogisticRegression

X = load_emb()


def cleaned(tr: np.ndarray, t: float) -> np.ndarray:
    """Majority label of each training row's near-copies (cos >= t) among the training rows."""
    Xt, Yt = X[tr], Y[tr]  # indexed once: Y[tr] inside the loop copied the whole fold per sentence
    out = Yt.copy()
    for s in range(0, len(tr), 2000):
        S = Xt[s:s + 2000] @ Xt.T
        for i, row in enumerate(S):
            dup = np.flatnonzero(row >= t)
            if len(dup) > 1:
                m = Yt[dup].mean(0)
                out[s + i] = np.where(m > 0.5, 1, np.where(m < 0.5, 0, Yt[s + i]))
    return out


def run(arg: str) -> None:
    t = None if arg == "base" else float(arg)
    P = np.zeros(Y.shape)
    t0 = time.time()
    changed = 0
    for tr, te in FOLDS:
        Yt = Y[tr] if t is None else cleaned(tr, t)
        changed += int((Yt != Y[tr]).sum())
        A = hstack([tfidf(tr, tr), csr_matrix(X[tr])]).tocsr()
        B = hstack([tfidf(tr, te), csr_matrix(X[te])]).tocsr()
        for j in range(len(R)):
            if Yt[:, j].sum() == 0:
                continue
            clf = LogisticRegression(C=4.0, max_iter=3000, class_weight="balanced")
            clf.fit(A, Yt[:, j])
            P[te, j] = clf.predict_proba(B)[:, 1]
    np.save(f"/tmp/P_clean_{arg}.npy", P)
    report(f"clean {arg}", P, extra=f"sentAP {sent_ap(P)} labels changed {changed} ({time.time() - t0:.0f}s)")


for a in sys.argv[1:]:
    run(a)

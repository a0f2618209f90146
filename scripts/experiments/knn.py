
"""kNN voting over labelled sentences (MiniLM cosine), out-of-fold by document; and blend with LR scores."""
import sys

import numpy as np
from common import FOLDS, Y, load_emb, report, sent_ap

X = load_emb()
base = np.load(sys.argv[1]) if len(sys.argv) > 1 else None
for k in (10, 30):
    P = np.zeros(Y.shape)
    for tr, te in FOLDS:
        S = X[te] @ X[tr].T
        idx = np.argpartition(-S, k, axis=1)[:, :k]
        w = np.exp(np.take_along_axis(S, idx, 1) / 0.05)
        w /= w.sum(1, keepdims=True)
        P[te] = np.einsum("nk,nkr->nr", w, Y[tr][idx])
    np.save(f"/tmp/P_knn{k}.npy", P)
    report(f"knn k={k}", P, extra=f"sentAP {sent_ap(P)}")
    if base is not None:
        for a in (0.3, 0.5):
            B = (1 - a) * base + a * P
            report(f"LR*{1-a}+knn{k}*{a}", B, extra=f"sentAP {sent_ap(B)}")

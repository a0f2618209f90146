"""Score the fine-tuned encoders of `finetune.py` with the harness: the fine-tuned head alone, the current design
(TF-IDF ⊕ embedding, LR per requirement) over each fold's fine-tuned embedding, and blends with the base design."""
import sys

import numpy as np
from common import FOLDS, R, Y, report, sent_ap, tfidf
from scipy.sparse import csr_matrix, hstack
from sklearn.linear_model import LogisticRegression

d = sys.argv[1] if len(sys.argv) > 1 else "/tmp/ft"
Ph = np.load(f"{d}/P_head.npy")
report(f"ft head ({d})", Ph, extra=f"sentAP {sent_ap(Ph)}")
P = np.zeros(Y.shape)
Pe = np.zeros(Y.shape)
for k, (tr, te) in enumerate(FOLDS):
    X = np.load(f"{d}/X_fold{k}.npy")
    A = hstack([tfidf(tr, tr), csr_matrix(X[tr])]).tocsr()
    B = hstack([tfidf(tr, te), csr_matrix(X[te])]).tocsr()
    for j in range(len(R)):
        P[te, j] = LogisticRegression(C=4.0, max_iter=3000, class_weight="balanced").fit(A, Y[tr, j]) \
            .predict_proba(B)[:, 1]
        Pe[te, j] = LogisticRegression(C=4.0, max_iter=3000, class_weight="balanced").fit(X[tr], Y[tr, j]) \
            .predict_proba(X[te])[:, 1]
np.save(f"{d}/P_lr.npy", P)
report("ft emb, LR", Pe, extra=f"sentAP {sent_ap(Pe)}")
report("ft tfidf+emb, LR", P, extra=f"sentAP {sent_ap(P)}")
base = np.load("/tmp/P_v_base.npy")
report("base (current design)", base, extra=f"sentAP {sent_ap(base)}")
for w in (0.3, 0.5):
    report(f"{1 - w}*base + {w}*ft head", (1 - w) * base + w * Ph)
    report(f"{1 - w}*base + {w}*ft LR", (1 - w) * base + w * P)

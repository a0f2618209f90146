
"""Upper bound: fit on ALL documents and score the same ones (memorises what is learnable); if even this
cannot reach the target, label inconsistency, not the model, is the limit."""
import numpy as np
from common import GOLD, GRID, R, Y, doc_max, load_emb, prf, tfidf
from scipy.sparse import csr_matrix, hstack
from sklearn.linear_model import LogisticRegression

X = load_emb()
allidx = np.arange(len(Y))
A = hstack([tfidf(allidx, allidx), csr_matrix(X)]).tocsr()
for C in (4.0, 100.0):
    P = np.zeros(Y.shape)
    for j in range(len(R)):
        clf = LogisticRegression(C=C, max_iter=5000, class_weight="balanced").fit(A, Y[:, j])
        P[:, j] = clf.predict_proba(A)[:, 1]
    D = doc_max(P)
    # in-sample best per-requirement threshold (optimistic)
    pred = np.zeros_like(GOLD)
    for j in range(len(R)):
        accs = [((D[:, j] >= t) == GOLD[:, j]).mean() for t in GRID]
        pred[:, j] = D[:, j] >= GRID[int(np.argmax(accs))]
    line = f"IN-SAMPLE C={C}: per-req-best-threshold P/R/F1/acc {prf(pred)}"
    print(line, flush=True)
    open("/tmp/exp_results.txt", "a").write(line + "\n")

# ruff: noqa: N803, N806  (matrix names X, P, D follow the maths)
"""Sentence-scorer variants, out-of-fold (5-fold by document); saves /tmp/P_v_<name>.npy and prints doc metrics.

    python sent_variants.py base C1 C16 nobal char ctx svm knn ...
"""
import re
import sys
import time

import numpy as np
from common import FOLDS, R, Y, files, load_emb, report, sent_ap, texts, tfidf
from scipy.sparse import csr_matrix, hstack
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

X = load_emb(sys.argv[-1]) if sys.argv[-1].endswith(".npy") else load_emb()
args = [a for a in sys.argv[1:] if not a.endswith(".npy")]
tag = "" if not sys.argv[-1].endswith(".npy") else "_" + sys.argv[-1].split("/")[-1][:-4]


def neighbours(M: np.ndarray, off: int) -> np.ndarray:
    out = np.zeros_like(M)
    n = len(M)
    for i in range(n):
        k = i + off
        if 0 <= k < n and files[k] == files[i]:
            out[i] = M[k]
    return out


CH = None
OB = None


ART_RX = re.compile(r"(?i)\bart(?:icle)?s?\.?\s*(\d+)(?:\s*(?:\(\d+\))?\s*(to|through|-|–|and|,)\s*(\d+))?")


def art_feats():
    """Multi-hot of GDPR Articles 28-36 named in each sentence, "Articles 32 to 36" expanded to 32..36."""
    out = np.zeros((len(texts), 9), dtype=np.float32)
    for i, t in enumerate(texts):
        for m in ART_RX.finditer(t):
            a = int(m.group(1))
            b = int(m.group(3)) if m.group(3) else a
            arts = range(a, b + 1) if m.group(2) and m.group(2) not in ("and", ",") and b - a <= 10 else (a, b)
            for k in arts:
                if 28 <= k <= 36:
                    out[i, k - 28] = 1.0
    return out


def obl_feats():
    global OB
    if OB is None:
        from pipeline.obligation import obligation_features
        OB = obligation_features(texts)
    return OB


def char_feats():
    global CH
    if CH is None:
        CH = HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), n_features=2**17, alternate_sign=False,
                               norm=None).transform(texts).astype(np.float32)
    return CH


def run(name: str) -> np.ndarray:
    C, cw, model = 4.0, "balanced", "lr"
    if name.startswith("C"):
        C = float(name[1:])
    if name == "nobal":
        cw = None
    if name == "svm":
        model = "svm"
    prev = nxt = None
    if name == "ctx":
        prev, nxt = neighbours(X, -1), neighbours(X, 1)
    P = np.zeros(Y.shape)
    t0 = time.time()
    for tr, te in FOLDS:
        if name == "emb":
            A, B = X[tr], X[te]
        elif name == "tfidf":
            A, B = tfidf(tr, tr), tfidf(tr, te)
        else:
            A = [tfidf(tr, tr), csr_matrix(X[tr])]
            B = [tfidf(tr, te), csr_matrix(X[te])]
            if name == "char":
                ch = char_feats()
                A.append(tfidf(tr, tr, ch))
                B.append(tfidf(tr, te, ch))
            if name.startswith("art"):  # GDPR articles 28-36 referenced, ranges expanded, on top of obl1
                A += [csr_matrix(obl_feats()[tr]), csr_matrix(float(name[3:] or 1.0) * art_feats()[tr])]
                B += [csr_matrix(obl_feats()[te]), csr_matrix(float(name[3:] or 1.0) * art_feats()[te])]
            if name.startswith("obl"):  # obligation features (pipeline/obligation.py), weight after "obl"
                w = float(name[3:] or 1.0)
                A.append(csr_matrix(w * obl_feats()[tr]))
                B.append(csr_matrix(w * obl_feats()[te]))
            if prev is not None:
                A += [csr_matrix(0.5 * prev[tr]), csr_matrix(0.5 * nxt[tr])]
                B += [csr_matrix(0.5 * prev[te]), csr_matrix(0.5 * nxt[te])]
            A, B = hstack(A).tocsr(), hstack(B).tocsr()
        for j in range(len(R)):
            if model == "svm":
                clf = CalibratedClassifierCV(LinearSVC(C=0.5, class_weight="balanced"), cv=3, method="sigmoid")
            elif name == "l1":
                clf = LogisticRegression(C=C, penalty="l1", solver="liblinear", class_weight=cw)
            else:
                clf = LogisticRegression(C=C, max_iter=3000, class_weight=cw)
            clf.fit(A, Y[tr, j])
            P[te, j] = clf.predict_proba(B)[:, 1]
    np.save(f"/tmp/P_v_{name}{tag}.npy", P)
    report(f"{name}{tag}", P, extra=f"sentAP {sent_ap(P)} ({time.time() - t0:.0f}s)")
    return P


for a in args:
    run(a)

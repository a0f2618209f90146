# ruff: noqa: N803, N806  (matrix names X, P, D follow the maths)
"""Document-level stage 2 over out-of-fold sentence probabilities (stacking; no leakage: each document's
sentence probabilities come from a model that never saw it, and stage 2 is cross-validated by document).

    python stage2.py /tmp/P_v_base.npy [...]
"""
import sys

import numpy as np
from common import GOLD, R, cue_mask, g, prf, ufiles
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold

nd, nr = len(ufiles), len(R)


def doc_feats(P, k=3):
    top = np.zeros((nd, nr, k))
    cnt = np.zeros((nd, nr, 3))
    for d in range(nd):
        Pd = -np.sort(-P[g == d], axis=0)
        m = min(k, len(Pd))
        top[d, :, :m] = Pd[:m].T
        cnt[d] = np.stack([(Pd > t).sum(0) for t in (0.3, 0.5, 0.8)], 1)
    return top, np.log1p(cnt)


def pooled(P, model="gbm", cooc=True, seeds=(0, 1, 2)):
    """One model for all requirements: own top-k + counts + (all requirements' top-1) + requirement one-hot."""
    top, cnt = doc_feats(P)
    F, y, dd, jj = [], [], [], []
    for d in range(nd):
        for j in range(nr):
            oh = np.eye(nr)[j]
            parts = [top[d, j], cnt[d, j], oh]
            if cooc:
                parts.append(top[d, :, 0])
            F.append(np.concatenate(parts))
            y.append(GOLD[d, j])
            dd.append(d)
            jj.append(j)
    F, y, dd, jj = map(np.array, (F, y, dd, jj))
    out = []
    for s in seeds:
        pr = np.zeros(len(y))
        for tr, te in KFold(5, shuffle=True, random_state=s).split(np.arange(nd)):
            mtr, mte = np.isin(dd, tr), np.isin(dd, te)
            if model == "gbm":
                clf = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, max_depth=3,
                                                     random_state=0)
            else:
                clf = LogisticRegression(C=1.0, max_iter=3000)
            clf.fit(F[mtr], y[mtr])
            pr[mte] = clf.predict_proba(F[mte])[:, 1]
        Pm = np.zeros((nd, nr), dtype=bool)
        Pm[dd, jj] = pr >= 0.5
        out.append(prf(Pm))
    return tuple(round(float(np.mean([o[i] for o in out])), 3) for i in range(4))


def per_req(P, C=0.3, seeds=(0, 1, 2)):
    """Per requirement, LR over [logit top-3 of own] + [top-1 of every requirement] (co-occurrence)."""
    top, cnt = doc_feats(P)
    lt = np.log(np.clip(top, 1e-4, 1 - 1e-4) / (1 - np.clip(top, 1e-4, 1 - 1e-4)))
    out = []
    for s in seeds:
        Pm = np.zeros((nd, nr), dtype=bool)
        for tr, te in KFold(5, shuffle=True, random_state=s).split(np.arange(nd)):
            for j in range(nr):
                F = np.hstack([lt[:, j, :], cnt[:, j], lt[:, :, 0]])
                y = GOLD[:, j]
                if y[tr].all() or (~y[tr]).all():
                    Pm[te, j] = y[tr][0]
                    continue
                clf = LogisticRegression(C=C, max_iter=3000)
                clf.fit(F[tr], y[tr])
                Pm[te, j] = clf.predict_proba(F[te])[:, 1] >= 0.5
        out.append(prf(Pm))
    return tuple(round(float(np.mean([o[i] for o in out])), 3) for i in range(4))


if __name__ == "__main__":
    M = cue_mask()
    for p in sys.argv[1:]:
        P = np.load(p)
        name = p.split("/")[-1]
        for lbl, PP in (("", P), ("+cue", np.where(M, P, 0))):
            res = {
                "gbm+cooc": pooled(PP, "gbm", True),
                "gbm-own": pooled(PP, "gbm", False),
                "lr+cooc": pooled(PP, "lr", True),
                "perreqLR C.3": per_req(PP, 0.3),
                "perreqLR C1": per_req(PP, 1.0),
            }
            for k, v in res.items():
                line = f"stage2 {name}{lbl:5s} {k:14s} P/R/F1/acc {v}"
                print(line, flush=True)
                open("/tmp/exp_results.txt", "a").write(line + "\n")

# ruff: noqa: N803, N806  (matrix names X, R follow the maths)
"""Choose the score calibration (issue 3: among findings with score >= 0.9, >= 95 % correct).

1. Out-of-fold sentence probabilities over the bundled training corpora (snt-train + vendors-dev, 5-fold by
   document, the recipe of ``train.fit``), gated as ``decide`` gates them.
2. Per document and requirement: the best gated score (the one the threshold decides on), the second best,
   the best ungated score.
3. Calibrators over the logit margin to the threshold, scored by an outer 5-fold split by document: the
   accuracy of the findings they put at >= 0.9, on SnT (the labels by meaning and the raw, rotated ones) and on
   the vendor DPAs.

    .venv/bin/python scripts/experiments/calibration.py            # ~3 min with a warm embedding cache

Never reads snt-test or vendors-holdout.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pipeline.embed import get_embedder  # noqa: E402
from pipeline.gate import gate_mask  # noqa: E402
from pipeline.library import load_library  # noqa: E402
from pipeline.match import margin_logit  # noqa: E402
from pipeline.train import choose_thresholds, fit, load_training_corpus  # noqa: E402

EVAL = ROOT.parent / "shared/eval"


def oof_features():
    lib, emb = load_library(), get_embedder()
    corpus = load_training_corpus([EVAL / "snt-train", EVAL / "vendors-dev"])
    docs, doc_arr = np.array(corpus.documents), np.array(corpus.docs)
    oof = np.zeros((len(corpus.texts), len(lib.ids)), dtype=np.float32)
    for _, te in KFold(5, shuffle=True, random_state=0).split(docs):
        held = set(docs[te])
        model = fit(corpus.without(held), lib, emb.embed)
        idx = np.flatnonzero(np.isin(doc_arr, list(held)))
        oof[idx] = model.scores([corpus.texts[i] for i in idx], emb.embed([corpus.texts[i] for i in idx]))
    gm = gate_mask(lib, lib.ids, corpus.texts, corpus.contexts)
    feat = {}
    for d in corpus.documents:
        idx = np.flatnonzero(doc_arr == d)
        srt = -np.sort(-np.where(gm[idx], oof[idx], 0.0), axis=0)
        feat[d] = {"b1": srt[0], "b2": srt[1] if len(idx) > 1 else 0 * srt[0], "bu": oof[idx].max(0)}
    return lib.ids, corpus.gold, feat


def main() -> None:
    ids, gold, feat = oof_features()
    n = len(ids)
    raw = json.loads((EVAL / "snt-train/labels.json").read_text())["documents"]
    docs = list(feat)
    th = choose_thresholds({d: feat[d]["b1"] for d in docs}, gold, ids, np.full(n, 0.5))

    def rows(xs, extra):
        out = []
        for d in xs:
            for j, rid in enumerate(ids):
                if rid in gold[d]:
                    v = [margin_logit(feat[d][k][j], th[j]) for k in ("b1", *extra)]
                    out.append((d, j, v, gold[d][rid] == "met"))
        return out

    def design(V, J):
        k = V.shape[1]
        X = np.zeros((len(V), k + 1 + 2 * n))
        X[:, :k], X[:, k] = V, 1.0
        X[np.arange(len(V)), k + 1 + J] = 1.0
        X[np.arange(len(V)), k + 1 + n + J] = V[:, 0]
        return X

    perm = np.random.default_rng(0).permutation(len(docs))
    for extra, C, q, boots in [((), None, None, 0), ((), 0.1, 0.5, 1), ((), 1.0, 0.5, 1), (("b2", "bu"), 0.1, 0.5, 1),
                               ((), 0.1, 0.2, 20), ((), 0.1, 0.1, 20), ((), 1.0, 0.2, 20)]:
        res = {"snt": [], "snt-raw": [], "vendors": []}
        for k in range(5):
            te = [docs[i] for i in perm[k::5]]
            tr = [d for d in docs if d not in te]
            test = rows(te, extra)
            V = np.array([r[2] for r in test])
            J = np.array([r[1] for r in test])
            met = V[:, 0] >= 0
            if C is None:  # the margin rule used before calibration
                t = th[J]
                s = np.array([feat[d]["b1"][j] for d, j, _, _ in test])
                conf = np.where(met, 0.5 + 0.5 * np.sqrt(np.clip((s - t) / (1 - t), 0, 1)),
                                0.5 + 0.5 * np.sqrt(np.clip((t - s) / t, 0, 1)))
            else:
                rng = np.random.default_rng(k)
                P = []
                for _ in range(boots):
                    pick = [tr[i] for i in rng.integers(0, len(tr), len(tr))] if boots > 1 else tr
                    train = rows(pick, extra)
                    Vt, Jt = np.array([r[2] for r in train]), np.array([r[1] for r in train])
                    yt = np.array([r[3] for r in train], dtype=int)
                    clf = LogisticRegression(C=C, max_iter=5000, fit_intercept=False).fit(design(Vt, Jt), yt)
                    P.append(clf.predict_proba(design(V, J))[:, 1])
                P = np.array(P)
                conf = np.maximum(0.5, np.quantile(np.where(met, P, 1 - P), q, axis=0))
            for (d, j, _, y), c, m in zip(test, conf, met):
                if d.startswith("snt-train/"):
                    res["snt"].append((c, m == y))
                    res["snt-raw"].append((c, m == (raw[d.split("/", 1)[1]]["requirements"][ids[j]] == "met")))
                else:
                    res["vendors"].append((c, m == y))
        cells = []
        for name, v in res.items():
            a = np.array(v, dtype=float)
            hi = a[:, 0] >= 0.9
            cells.append(f"{name}: >=0.9 {int(hi.sum())} findings, {a[hi, 1].mean():.3f} correct")
        label = "margin rule" if C is None else f"margin{'+' + '+'.join(extra) if extra else ''} C={C} q={q} B={boots}"
        print(f"{label:32s} " + " | ".join(cells))


if __name__ == "__main__":
    main()

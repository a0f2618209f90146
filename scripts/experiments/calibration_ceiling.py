"""Per-requirement ceilings on the calibrated score, measured on the exact folds of `dpa eval` (eleventh round).

Every wrong finding scored >= 0.9 on snt-train is a `met` that SnT labels `missing` (label noise: e.g. a plain
"notify the customer without undue delay" breach clause labelled only `security`). A Platt curve over the margin
saturates, so high-margin `met` findings reach 0.99 whatever the requirement's label noise. This caps each
requirement's confidence at a conservative estimate of its out-of-fold accuracy among the confident half of its
inner-CV decisions (Beta posterior, pooled prior), and reports the reliability of the ">= 0.9" bin.

1. ``record`` runs the cross-validation of `dpa eval` (5 outer folds, inner 5-fold thresholds and calibration)
   and stores, per fold, the inner out-of-fold document scores, thresholds and gold, and for each held-out
   finding the inputs of ``MatcherModel.confidence`` (~9 min per corpus).
2. ``compare`` refits the calibration per fold with and without ceilings and scores the held-out findings;
   rule-met findings (fixed score) are left as they are. The baseline reproduces `dpa eval`'s table exactly.

    .venv/bin/python scripts/experiments/calibration_ceiling.py record snt-train vendors-dev
    .venv/bin/python scripts/experiments/calibration_ceiling.py compare

Never reads snt-test or vendors-holdout.
"""

from __future__ import annotations

import json
import pickle
import sys
import tempfile
from pathlib import Path

import numpy as np
from scipy.stats import beta

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import pipeline.match as match  # noqa: E402
import pipeline.train as train  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
CACHE = Path(tempfile.gettempdir()) / "dpa-calibration-ceiling"


def record(corpus: str) -> None:
    from pipeline.analyze import Analyzer
    from pipeline.evaluate import _cross_validated, read_labels

    folds, calls, perdoc = [], [], {}
    fit_wt, confidence = train.fit_with_thresholds, match.MatcherModel.confidence

    def fit_and_keep(corpus_, *a, **k):
        model, scores = fit_wt(corpus_, *a, **k)
        folds.append({"thresholds": model.thresholds.copy(), "scores": scores, "gold": corpus_.gold,
                      "ids": list(model.ids), "docs": []})
        return model, scores

    def confidence_and_keep(self, j, met, best):
        s = confidence(self, j, met, best)
        calls.append((j, met, best, s))
        return s

    def after(name, report):
        folds[-1]["docs"].append(name)
        perdoc[name] = {"calls": list(calls), "findings": [(f.requirement, f.status.value, f.score)
                                                           for f in report.findings]}
        calls.clear()

    train.fit_with_thresholds, match.MatcherModel.confidence = fit_and_keep, confidence_and_keep
    labels = read_labels(EVAL / corpus)["documents"]
    _cross_validated(EVAL / corpus, list(labels), Analyzer(), 5, 5, None, after)
    CACHE.mkdir(exist_ok=True)
    (CACHE / f"{corpus}.pkl").write_bytes(pickle.dumps({"folds": folds, "perdoc": perdoc}))


def calibrated(fold, q_ceiling=None, alpha=10.0, hi_frac=0.5):
    cal = train.fit_calibration(fold["scores"], fold["gold"], fold["ids"], fold["thresholds"])
    model = match.MatcherModel(ids=fold["ids"], coef=None, intercept=None, idf=None, thresholds=fold["thresholds"],
                           calibration=cal)
    if q_ceiling is None:
        return model.confidence
    ids, th, gold, scores = fold["ids"], fold["thresholds"], fold["gold"], fold["scores"]
    rows = [(j, float(match.margin_logit(scores[d][j], th[j])), gold[d][r] == "met")
            for d in scores if d in gold for j, r in enumerate(ids) if r in gold[d]]
    met_rows = [(j, m, y) for j, m, y in rows if m >= 0]  # only `met` decisions: that is where the noise is
    margins = np.array([m for _, m, _ in met_rows])
    right = np.array([y for _, _, y in met_rows], dtype=float)
    p0 = right[margins >= np.quantile(margins, hi_frac)].mean()
    ceiling = np.ones(len(ids))
    for j in range(len(ids)):
        mj = np.array([m for jj, m, _ in met_rows if jj == j])
        yj = np.array([y for jj, _, y in met_rows if jj == j], dtype=float)
        top = mj >= np.quantile(mj, hi_frac) if len(mj) else np.zeros(0, dtype=bool)
        k, n = yj[top].sum(), top.sum()
        ceiling[j] = beta.ppf(q_ceiling, k + alpha * p0, n - k + alpha * (1 - p0))

    def confidence(j, met, best):
        s = model.confidence(j, met, best)
        return min(s, max(0.5, float(ceiling[j]))) if met else s
    return confidence


def compare() -> None:
    variants = [("calibration as bundled", {}), ("+ ceiling, 20th percentile", {"q_ceiling": 0.2}),
                ("+ ceiling, alpha 20", {"q_ceiling": 0.2, "alpha": 20.0}),
                ("+ ceiling, median", {"q_ceiling": 0.5}),
                ("+ ceiling from all met decisions", {"q_ceiling": 0.2, "hi_frac": 0.0})]
    for label, kw in variants:
        cells = []
        for corpus in ("snt-train", "vendors-dev"):
            path = CACHE / f"{corpus}.pkl"
            if not path.exists():
                continue
            data = pickle.loads(path.read_bytes())
            gold = json.loads((EVAL / corpus / "labels.json").read_text())["documents"]
            res = []
            for fold in data["folds"]:
                conf, col = calibrated(fold, **kw), {r: j for j, r in enumerate(fold["ids"])}
                for doc in fold["docs"]:
                    calls = {j: (met, best, s) for j, met, best, s in data["perdoc"][doc]["calls"]}
                    for rid, status, score in data["perdoc"][doc]["findings"]:
                        if rid not in gold[doc]["requirements"]:
                            continue
                        met, best, s = calls[col[rid]]
                        if abs(score - s) < 1e-9 and (status == "met") == met:  # not a rule's fixed score
                            score = conf(col[rid], met, best)
                        res.append((score, (status == "met") == (gold[doc]["requirements"][rid] == "met")))
            a = np.array(res, dtype=float)
            hi = a[:, 0] >= 0.9
            cells.append(f"{corpus} >= 0.9: {int(hi.sum())} · {a[hi, 1].mean():.3f}")
        print(f"{label:34s} " + " | ".join(cells))


if __name__ == "__main__":
    if sys.argv[1:2] == ["record"]:
        for name in sys.argv[2:]:
            record(name)
    else:
        compare()

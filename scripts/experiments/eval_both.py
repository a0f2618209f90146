"""One cross-validated ``dpa eval`` run of a corpus, scored twice: raw labels and (SnT) un-rotated labels.

    .venv/bin/python scripts/experiments/eval_both.py ../shared/eval/snt-train [--folds 5] [--sample N]

Saves the per-document reports' [status, score] pairs to /tmp/eval_<corpus>_<tag>.json for later comparison.
"""
import argparse
import json
import logging
import time
from pathlib import Path

from pipeline.analyze import Analyzer
from pipeline.evaluate import EvalResult, _cross_validated, format_result, read_labels, score_reports, unrotate_snt

ap = argparse.ArgumentParser()
ap.add_argument("corpus", type=Path)
ap.add_argument("--folds", type=int, default=5)
ap.add_argument("--sample", type=int)
ap.add_argument("--tag", default="run")
ap.add_argument("--inner", type=int, default=5, help="Inner folds for thresholds and calibration.")
ap.add_argument("--features", help="Comma-separated feature blocks to retrain with (default: the bundled model's).")
ap.add_argument("--obl-weight", type=float, help="Override pipeline.match.OBLIGATION_WEIGHT.")
a = ap.parse_args()
if a.obl_weight is not None:
    import pipeline.match

    pipeline.match.OBLIGATION_WEIGHT = a.obl_weight
logging.basicConfig(level=logging.WARNING)
labels = read_labels(a.corpus)
names = sorted(labels["documents"])[: a.sample] if a.sample else list(labels["documents"])
labels = {**labels, "documents": {n: labels["documents"][n] for n in names}}
t0 = time.time()
analyzer = Analyzer()
if a.features:
    analyzer.matcher.features = tuple(a.features.split(","))
print("features:", analyzer.matcher.features)
reports = _cross_validated(a.corpus, names, analyzer, a.folds, a.inner, None)
mode = f"{a.folds}-fold CV by document, inner {a.inner}-fold thresholds"
raw = score_reports(reports, labels, EvalResult(str(a.corpus), len(names), mode))
print(format_result(raw))
if (a.corpus / "sentences.jsonl").exists():
    sem = score_reports(reports, unrotate_snt(labels), EvalResult(str(a.corpus), len(names), mode + ", semantic"))
    print(format_result(sem))
out = {n: {f.requirement: [f.status.value, round(f.score, 4)] for f in r.findings} for n, r in reports.items()}
Path(f"/tmp/eval_{a.corpus.name}_{a.tag}.json").write_text(json.dumps(out))
print(f"total {time.time() - t0:.0f} s")

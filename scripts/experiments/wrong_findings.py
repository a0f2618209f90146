"""Read the reports `dpa eval --save-reports DIR` wrote and list the wrong findings, most confident first.

    dpa eval ../shared/eval/snt-train --save-reports /tmp/rep-snt
    python scripts/experiments/wrong_findings.py ../shared/eval/snt-train /tmp/rep-snt [--semantic-snt] [--min 0.9]

Prints the reliability table again (the same numbers `dpa eval` printed, from the saved reports), then each wrong
finding at or above ``--min``: document, requirement, label, status, score and the first evidence passage
(shortened; document text, so this is a developer's tool, never run on a user's contracts at INFO).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from pipeline.evaluate import EvalResult, read_labels, score_reports, unrotate_snt
from pipeline.models import Report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("reports", type=Path)
    ap.add_argument("--semantic-snt", action="store_true")
    ap.add_argument("--min", type=float, default=0.9, help="List wrong findings with a score at or above this.")
    args = ap.parse_args()
    labels = read_labels(args.corpus)
    if args.semantic_snt:
        labels = unrotate_snt(labels)
    reports = {p.name.removesuffix(".json"): Report.from_dict(json.loads(p.read_text(encoding="utf-8")))
               for p in sorted(args.reports.glob("*.json"))}
    labels = {**labels, "documents": {n: g for n, g in labels["documents"].items() if n in reports}}
    res = score_reports(reports, labels, EvalResult(corpus=str(args.corpus), documents=len(reports), mode="saved"))
    print(f"gap P/R/F1 {res.precision:.3f} / {res.recall:.3f} / {res.f1:.3f}, accuracy {res.accuracy:.3f}, "
          f"evidence {res.evidence_hits}/{res.evidence_total}")
    for b, n, c in res.reliability_table():
        print(f"  {b:10s} {n:5d}  {c:.3f}")
    wrong = []
    for name, gold in labels["documents"].items():
        for rid in labels["scored_requirements"]:
            f, g = reports[name].finding(rid), gold["requirements"].get(rid)
            if f is None or g is None or f.status.value == g or f.score < args.min:
                continue
            wrong.append((f.score, name, rid, g, f))
    wrong.sort(key=lambda w: -w[0])
    print(f"\n{len(wrong)} wrong findings with score >= {args.min}:",
          dict(Counter(w[2] for w in wrong).most_common()))
    for score, name, rid, g, f in wrong:
        ev = f.evidence[0].text if f.evidence else ""
        print(f"{score:.2f} {name:28s} {rid:28s} label {g:8s} found {f.status.value:8s} | {ev[:160]}")


if __name__ == "__main__":
    main()

"""Print the numbers tests/test_accuracy.py checks (matcher-heldout.npz on its held-out documents), to set floors.

    .venv/bin/python scripts/experiments/heldout_numbers.py
"""
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pipeline.analyze import Analyzer  # noqa: E402
from pipeline.evaluate import EvalResult, format_result, removal_check, removal_labels, score_reports, unrotate_snt  # noqa: E402
from pipeline.match import DEFAULT_MODEL_PATH, MatcherModel  # noqa: E402
from tests.test_accuracy import DEV, HELD_DEV, HELD_SNT, SNT  # noqa: E402

an = Analyzer()
an.matcher = MatcherModel.load(DEFAULT_MODEL_PATH.with_name("matcher-heldout.npz"))
for corpus, names in ((DEV, HELD_DEV), (SNT, HELD_SNT)):
    labels = json.loads((corpus / "labels.json").read_text())
    labels["documents"] = {n: labels["documents"][n] for n in names}
    reports = {n: an.analyze_file(corpus / n) for n in names}
    res = score_reports(reports, labels, EvalResult(corpus=str(corpus), documents=len(names), mode="held out"))
    gold = removal_labels(corpus, labels)
    for n in names:
        res.count_removals(removal_check(an, corpus / n, gold["documents"][n], reports[n]))
    print(format_result(res))
    if corpus == SNT:  # the matcher decides the four rotated assist-* ids by meaning (docs/accuracy.md, class 2)
        by_meaning = score_reports(reports, unrotate_snt(labels), EvalResult(
            corpus=str(corpus), documents=len(names), mode="held out, rotated assist-* labels put right"))
        print(format_result(by_meaning).splitlines()[1])

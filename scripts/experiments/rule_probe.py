"""Does a rule reader fire where the labels say `met`, and stay silent where they say `missing`? Document level,
on the PDFs of vendors-dev and snt-train, parsed and chunked as `dpa analyze` does.

    .venv/bin/python scripts/experiments/rule_probe.py security confidentiality      # readers of these ids
    .venv/bin/python scripts/experiments/rule_probe.py security -v                   # also each disagreement

Prints, per requirement and corpus, how many documents labelled met / missing the requirement's readers (all
entries of ``duties.RULES`` for it) fire on. A reader that fires on documents labelled missing turns a right
gap into a wrong `met` wherever the scorer also said missing: `rule_ablation.py` measures that effect exactly.
Never reads snt-test or vendors-holdout.
"""
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pipeline.analyze import Analyzer  # noqa: E402
from pipeline.duties import RULES  # noqa: E402

ids = [a for a in sys.argv[1:] if not a.startswith("-")]
verbose = "-v" in sys.argv
readers = {rid: [f for r, f, _ in RULES if r == rid] for rid in ids}
an = Analyzer()
for corpus in (ROOT.parent / "shared/eval/vendors-dev", ROOT.parent / "shared/eval/snt-train"):
    labels = json.loads((corpus / "labels.json").read_text())
    count: Counter = Counter()
    for name, gold in labels["documents"].items():
        chunks = an.chunks(corpus / name)
        for rid, finds in readers.items():
            status = gold["requirements"].get(rid)
            if status is None:
                continue
            hits = [c for f in finds for c, _ in f(chunks)]
            count[rid, status, bool(hits)] += 1
            if verbose and (status == "met") != bool(hits):
                print(f"  {corpus.name} {name} {rid} labelled {status}:", hits[0].text[:160] if hits else "-")
    for rid in ids:
        print(f"{corpus.name:12} {rid:28} met: fires {count[rid, 'met', True]:2} silent {count[rid, 'met', False]:2}"
              f" | missing: fires {count[rid, 'missing', True]:2} silent {count[rid, 'missing', False]:2}")

"""Simulate a candidate rule reader on the out-of-fold decisions of `dpa eval`, before a full run.

    .venv/bin/python scripts/experiments/reader_sim.py /tmp/cand.py        # fixed / broken per requirement
    .venv/bin/python scripts/experiments/reader_sim.py /tmp/cand.py -v     # and each one, with the passage

The candidate is a Python file defining ``READERS`` (requirement id → reader, as in ``duties.RULES``: it turns a
`missing` finding into `met`) and/or ``VETOES`` (id → reader that turns a `met` finding into `missing`, as
``annex.VETOES``). The 5-fold CV reports of vendors-dev and snt-train (as `dpa eval` makes them, ~5 min each on 2
cores) are cached in ``$DPA_SIM_CACHE`` (default /tmp/dpa-reader-sim), keyed by the commit: delete it after a
change to matching. The count is exact for the decisions, but not for the thresholds, which move when a rule
meets (or vetoes) training documents (``train.rule_hits``): confirm with a full `dpa eval` on both corpora.
Never reads snt-test or vendors-holdout.
"""
import importlib.util
import os
import pickle
import subprocess
import sys
from collections import Counter
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pipeline.analyze import Analyzer  # noqa: E402
from pipeline.evaluate import _cross_validated, read_labels  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"


def _cached(path: Path, make):
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(make()))
    return pickle.loads(path.read_bytes())


def _parse_all(an: Analyzer, corpus: Path, names: list[str]) -> dict:
    """Each document's chunks, parsed as `dpa analyze` parses it."""
    return {name: an.chunks(corpus / name) for name in names}


def main() -> None:
    spec = importlib.util.spec_from_file_location("candidate", sys.argv[1])
    cand = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cand)
    verbose = "-v" in sys.argv
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    cache = Path(os.environ.get("DPA_SIM_CACHE", "/tmp/dpa-reader-sim")) / head.strip()
    an = Analyzer()
    for corpus in (EVAL / "vendors-dev", EVAL / "snt-train"):
        labels = read_labels(corpus)["documents"]
        reports = _cached(cache / f"cv-{corpus.name}.pkl",
                          partial(_cross_validated, corpus, list(labels), Analyzer(), 5, 5, None, None))
        chunks = _cached(cache / f"chunks-{corpus.name}.pkl", partial(_parse_all, an, corpus, list(labels)))
        total: Counter = Counter()
        for kind, readers, before in (("reader", getattr(cand, "READERS", {}), "missing"),
                                      ("veto", getattr(cand, "VETOES", {}), "met")):
            for rid, read in readers.items():
                count: Counter = Counter()
                for name, report in reports.items():
                    gold = labels[name]["requirements"].get(rid)
                    f = next((f for f in report.findings if f.requirement == rid), None)
                    if gold is None or f is None or (f.status.value == "met") != (before == "met"):
                        continue
                    hits = read(chunks[name])
                    if hits:
                        right = (gold == "met") == (before == "missing")
                        count["fixed" if right else "broken"] += 1
                        if verbose:
                            print("   ", "FIX" if right else "BREAK", name, rid, "|", hits[0][0].text[:200])
                total.update(count)
                print(f"{corpus.name:12} {kind:6} {rid:28} {dict(count)}")
        print(f"{corpus.name:12} total {dict(total)}")


if __name__ == "__main__":
    main()

"""What each rule reader of pipeline/duties.py adds, measured out of fold: ``dpa eval``'s numbers with all rules,
with none, and with each requirement's rules left out.

    .venv/bin/python scripts/experiments/rule_ablation.py ../shared/eval/vendors-dev
    .venv/bin/python scripts/experiments/rule_ablation.py ../shared/eval/snt-train

Reuses the fold cache of ``removal_weight.py`` (the same 5 folds by document as ``dpa eval``: each fold's model
and its held-out documents' chunk scores; built on first use, ~6 min). Rules run after the thresholds are chosen,
so toggling them reproduces ``dpa eval`` exactly. On SnT the line "by meaning" scores the four rotated assist-*
columns by what their sentences say (``--semantic-snt``), which is how the matcher and the rules decide them.
"""
import logging
import pickle
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts" / "experiments"))

from removal_weight import build_cache, choose  # noqa: E402

import pipeline.match as match  # noqa: E402
from pipeline.analyze import Analyzer  # noqa: E402
from pipeline.evaluate import read_labels, removal_labels  # noqa: E402


def score(folds, library, labels_by_kind, rules) -> dict[str, tuple[float, float, float, float]]:
    """Gap precision, recall, F1 and accuracy per label kind with ``rules`` in force."""
    match.RULES = rules
    counts = {k: np.zeros(5, dtype=int) for k in labels_by_kind}  # total, right, tp, fp, fn
    for f in folds:
        for n, (chunks, probs) in f["docs"].items():
            st = {x.requirement: x.status.value for x in match.decide(chunks, probs, f["model"], library)}
            for kind, labels in labels_by_kind.items():
                for rid in labels["scored_requirements"]:
                    g, p = labels["documents"][n]["requirements"].get(rid), st.get(rid)
                    if g is not None and p is not None:
                        counts[kind] += [1, p == g, p != "met" and g != "met", p != "met" and g == "met",
                                         p == "met" and g != "met"]
    out = {}
    for kind, (tot, ok, tp, fp, fn) in counts.items():
        prec, rec = tp / max(1, tp + fp), tp / max(1, tp + fn)
        out[kind] = (prec, rec, 2 * prec * rec / max(1e-9, prec + rec), ok / max(1, tot))
    return out


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    corpus = Path(sys.argv[1])
    an, cache = Analyzer(), Path(f"/tmp/removal_weight_{corpus.name}.pkl")
    raw = read_labels(corpus)
    if not cache.exists():
        cache.write_bytes(pickle.dumps(build_cache(corpus, an, sorted(raw["documents"]))))
    folds = pickle.loads(cache.read_bytes())
    for f in folds:
        f["model"].thresholds = choose(f["scores"], f["gold"], an.library.ids, f["default"], 0)
    kinds = {"labels": raw}
    if (corpus / "sentences.jsonl").exists():
        kinds["by meaning"] = removal_labels(corpus, raw)
    all_rules = list(match.RULES)
    variants = [("all rules", all_rules), ("no rules", [])]
    for rid in dict.fromkeys(r for r, _, _ in all_rules):
        variants.append((f"without {rid}", [r for r in all_rules if r[0] != rid]))
    for name, rules in variants:
        res = score(folds, an.library, kinds, rules)
        print(f"{name:40}" + " | ".join(f"{k}: P {p:.3f} R {r:.3f} F1 {f1:.3f} acc {a:.3f}"
                                        for k, (p, r, f1, a) in res.items()), flush=True)
    match.RULES = all_rules


if __name__ == "__main__":
    main()

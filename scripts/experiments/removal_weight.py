"""Thresholds that also see each training document with a clause deleted: measured, not adopted.

``dpa eval`` reports *clause removal*: of the clauses found met, how many become a gap once their labelled
passages are deleted (``pipeline.evaluate.removal_check``). Only about half do, because nearly every training
DPA has the common clauses, so accuracy alone puts their thresholds low. This script adds, for every training
document, a "removal entry" (per requirement, the best gated score among the chunks *not* labelled with it,
gold ``missing``) to the inner out-of-fold scores that choose the thresholds, with weight w against a real
document, and sweeps w offline:

    .venv/bin/python scripts/experiments/removal_weight.py ../shared/eval/vendors-dev 0,0.01,0.1,0.2,0.3,0.5,1

The first run caches, per outer fold (5-fold by document, as ``dpa eval``), the inner out-of-fold scores,
the fold's model and the held-out documents' chunk scores (/tmp/removal_weight_<corpus>.pkl, ~6 min);
each weight then costs seconds. Results: scripts/experiments/README.md.
"""
import logging
import pickle
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
from sklearn.model_selection import KFold

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import pipeline.train as tr  # noqa: E402
from pipeline.analyze import Analyzer  # noqa: E402
from pipeline.evaluate import read_labels, removal_labels, removed_decisions  # noqa: E402
from pipeline.gate import gate_mask  # noqa: E402
from pipeline.match import decide  # noqa: E402

REMOVED = "~removed"


def with_removal_entries(corpus, model, library, oof, scores):
    """``scores`` plus one removal entry per document, and the matching gold."""
    masked = np.where(gate_mask(library, model.ids, corpus.texts, corpus.contexts), oof, 0.0)
    out, has = dict(scores), defaultdict(set)
    for i, d in enumerate(corpus.docs):
        rest = masked[i].copy()
        rest[[j for j, rid in enumerate(model.ids) if rid in corpus.labels[i]]] = 0.0
        out[d + REMOVED] = np.maximum(out.get(d + REMOVED, np.zeros(oof.shape[1])), rest)
        has[d] |= corpus.labels[i]
    gold = {**corpus.gold, **{d + REMOVED: {r: "missing" for r in has[d] if g.get(r) == "met"}
                              for d, g in corpus.gold.items()}}
    return out, gold


def choose(doc_scores, gold, ids, default, w, ruled=None):
    """pipeline.train.choose_thresholds with removal entries weighted ``w`` (real documents weigh 1). As there,
    a real document a rule meets is left out (``ruled``); its removal entry stays in (the rule read the clause)."""
    grid, th = np.linspace(0.02, 0.995, 98), default.copy()
    ruled = ruled or {}
    for j, rid in enumerate(ids):
        docs = [d for d in doc_scores if d in gold and rid in gold[d] and (w > 0 or not d.endswith(REMOVED))
                and rid not in ruled.get(d, ())]
        if sum(not d.endswith(REMOVED) for d in docs) < 5:
            continue
        s = np.array([doc_scores[d][j] for d in docs])
        y = np.array([gold[d][rid] != "missing" for d in docs])
        wt = np.array([w if d.endswith(REMOVED) else 1.0 for d in docs])
        acc = np.array([(((s >= t) == y) * wt).sum() for t in grid])
        best = np.flatnonzero(acc >= acc.max() - 1e-9)
        th[j] = float(grid[best[len(best) // 2]])
    return th


def build_cache(corpus: Path, an: Analyzer, names: list[str]) -> list[dict]:
    captured = {}
    fit_thresholds = tr.fit_with_thresholds

    def doc_max(model, library, texts, contexts, probs, docs):  # capture the inner out-of-fold chunk scores
        captured["model"], captured["oof"] = model, probs
        return tr_doc_max(model, library, texts, contexts, probs, docs)

    tr_doc_max, tr.doc_max = tr.doc_max, doc_max
    base = an.matcher
    sources = [corpus.parent / s for s in base.meta.get("trained_on", {}).get("sources", [corpus.name])]
    full = tr.load_training_corpus([s for s in sources if s.exists()])
    order, folds = np.array(names), []
    for _, te in KFold(5, shuffle=True, random_state=0).split(order):
        train = full.without({f"{corpus.name}/{n}" for n in order[te]})
        model, scores = fit_thresholds(train, an.library, an.embedder.embed, folds=5,
                                       c=float(base.meta.get("C", 4.0)), features=base.features)
        scores, gold = with_removal_entries(train, captured["model"], an.library, captured["oof"], scores)
        an.matcher = model
        folds.append(dict(model=model, scores=scores, gold=gold, default=np.full(len(model.ids), 0.5),
                          ruled=tr.rule_hits(train, an.library),
                          docs={n: an.scored_chunks(corpus / n) for n in order[te]}))
    an.matcher = base
    tr.doc_max = tr_doc_max
    return folds


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    corpus, weights = Path(sys.argv[1]), [float(x) for x in sys.argv[2].split(",")]
    an, cache = Analyzer(), Path(f"/tmp/removal_weight_{Path(sys.argv[1]).name}.pkl")
    labels = read_labels(corpus)
    if not cache.exists():
        cache.write_bytes(pickle.dumps(build_cache(corpus, an, sorted(labels["documents"]))))
    folds = pickle.loads(cache.read_bytes())
    gold_rm = removal_labels(corpus, labels)["documents"]
    for w in weights:
        tp = fp = fn = ok = tot = rm = rm_gap = 0
        for f in folds:
            m = f["model"]
            m.thresholds = choose(f["scores"], f["gold"], an.library.ids, f["default"], w, f.get("ruled"))
            for n, (ch, probs) in f["docs"].items():
                st = {x.requirement: x.status.value for x in decide(ch, probs, m, an.library)}
                for rid in labels["scored_requirements"]:
                    g, p = labels["documents"][n]["requirements"].get(rid), st.get(rid)
                    if g is None or p is None:
                        continue
                    tot, ok = tot + 1, ok + (p == g)
                    tp += p != "met" and g != "met"
                    fp += p != "met" and g == "met"
                    fn += p == "met" and g != "met"
                met = {rid for rid, v in st.items() if v == "met"}
                gaps = [gap for _, gap in removed_decisions(ch, probs, m, an.library, gold_rm[n], met)]
                rm, rm_gap = rm + len(gaps), rm_gap + sum(gaps)
        p_, r_ = tp / max(1, tp + fp), tp / max(1, tp + fn)
        print(f"w={w:<6} gap P {p_:.3f} R {r_:.3f} F1 {2 * p_ * r_ / max(1e-9, p_ + r_):.3f} accuracy {ok / tot:.3f}"
              f" | clause removal {rm_gap}/{rm} = {rm_gap / max(1, rm):.3f}", flush=True)


if __name__ == "__main__":
    main()

"""``dpa eval``: score the analyser against a labelled corpus (``labels.json`` beside the PDFs).

Gap = a finding that is not ``met`` (what a buyer must negotiate). When the matcher was trained on this
corpus, documents are scored by k-fold cross-validation *by document*: each fold's documents are analysed
by a model retrained without them, so no document is scored by a model that saw it.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .analyze import Analyzer
from .errors import ConfigError
from .library import Library
from .match import MatcherModel, decide
from .models import Chunk, DocStatus, Report

log = logging.getLogger(__name__)
TERM_NAMES = ["breach_notice_hours", "deletion_days", "subprocessor_notice_days", "objection_days",
              "audit_scope", "transfer_mechanisms", "data_locations", "no_training"]


def _norm(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", s.lower()).strip()


def evidence_hit(found: list[str], labelled: list[str]) -> bool:
    """True when one of our passages and one labelled passage overlap (containment or 60 % word overlap)."""
    for f in found:
        nf = _norm(f)
        wf = set(nf.split())
        for lab in labelled:
            nl = _norm(lab)
            if not nl or not nf:
                continue
            if nl in nf or nf in nl:
                return True
            wl = set(nl.split())
            if len(wf & wl) >= 0.6 * min(len(wf), len(wl)) and len(wf & wl) >= 5:
                return True
    return False


def removal_check(analyzer: Analyzer, path: Path, gold: dict, report: Report) -> list[tuple[str, bool]]:
    """Delete each found clause and decide again: ``(requirement, now reported as a gap)`` pairs.

    For every requirement labelled and found ``met`` whose labelled evidence the parser's blocks contain,
    the blocks holding that evidence are removed and the document is decided again with the same model.
    A buyer comparing a vendor's DPA with a version that drops a clause must see that clause become a gap;
    a matcher whose thresholds only ever saw documents that have the clause passes weaker passages instead.
    """
    chunks, probs = analyzer.scored_chunks(path)
    found = {f.requirement for f in report.findings if f.status.value == "met"}
    return removed_decisions(chunks, probs, analyzer.matcher, analyzer.library, gold, found)


def removed_decisions(chunks: list[Chunk], probs: np.ndarray, matcher: MatcherModel, library: Library, gold: dict,
                      found: set[str]) -> list[tuple[str, bool]]:
    """:func:`removal_check` on chunks already scored; ``found`` = the requirements decided ``met``."""
    out = []
    for rid, g in gold["requirements"].items():
        evidence = gold.get("evidence", {}).get(rid)
        if g != "met" or not evidence or rid not in found:
            continue
        blocks = {c.block for c in chunks if evidence_hit([c.text], evidence)}
        if not blocks:
            continue
        keep = [i for i, c in enumerate(chunks) if c.block not in blocks]
        after = decide([chunks[i] for i in keep], probs[keep], matcher, library)
        out.append((rid, next(x for x in after if x.requirement == rid).status.value != "met"))
    return out


def _term_equal(a, b) -> bool:
    if isinstance(a, list) or isinstance(b, list):
        return {str(x).lower() for x in (a or [])} == {str(x).lower() for x in (b or [])}
    return a == b


@dataclass
class EvalResult:
    """Everything ``dpa eval`` prints, also as JSON for the accuracy tests."""

    corpus: str
    documents: int
    mode: str
    gap_tp: int = 0
    gap_fp: int = 0
    gap_fn: int = 0
    correct: int = 0
    total: int = 0
    per_requirement: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    term_correct: Counter = field(default_factory=Counter)
    term_total: Counter = field(default_factory=Counter)
    evidence_hits: int = 0
    evidence_total: int = 0
    reliability: list[tuple[float, bool]] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    removal: Counter = field(default_factory=Counter)  # requirement → removed clauses still reported met
    removal_total: int = 0
    errors: list[str] = field(default_factory=list)
    seconds_per_doc: float = 0.0

    @property
    def precision(self) -> float:
        """Gap precision."""
        return self.gap_tp / max(1, self.gap_tp + self.gap_fp)

    @property
    def recall(self) -> float:
        """Gap recall."""
        return self.gap_tp / max(1, self.gap_tp + self.gap_fn)

    @property
    def f1(self) -> float:
        """Gap F1."""
        p, r = self.precision, self.recall
        return 2 * p * r / max(1e-9, p + r)

    @property
    def accuracy(self) -> float:
        """Exact status accuracy over all scored (document, requirement) pairs."""
        return self.correct / max(1, self.total)

    def count_removals(self, pairs: list[tuple[str, bool]]) -> None:
        """Add :func:`removal_check`'s ``(requirement, became a gap)`` pairs of one document."""
        for rid, gap in pairs:
            self.removal_total += 1
            self.removal[rid] += not gap

    def reliability_table(self, edges=(0.5, 0.6, 0.7, 0.8, 0.9, 1.01)) -> list[tuple[str, int, float]]:
        """Rows (score bin, findings, fraction correct)."""
        rows = []
        for lo, hi in zip(edges[:-1], edges[1:]):
            sel = [ok for s, ok in self.reliability if lo <= s < hi]
            rows.append((f"[{lo:.1f},{min(hi, 1.0):.1f}{']' if hi > 1 else ')'}", len(sel),
                         float(np.mean(sel)) if sel else float("nan")))
        return rows

    def to_dict(self) -> dict:
        """Summary numbers as a JSON-able dict."""
        tt = sum(self.term_total.values())
        return {
            "corpus": self.corpus, "documents": self.documents, "mode": self.mode,
            "gap_precision": round(self.precision, 4), "gap_recall": round(self.recall, 4),
            "gap_f1": round(self.f1, 4), "accuracy": round(self.accuracy, 4),
            "terms_accuracy": round(sum(self.term_correct.values()) / tt, 4) if tt else None,
            "evidence_hit_rate": round(self.evidence_hits / self.evidence_total, 4) if self.evidence_total else None,
            "per_requirement": {k: dict(v) for k, v in self.per_requirement.items()},
            "reliability": [{"bin": b, "n": n, "correct": None if np.isnan(c) else round(c, 4)}
                            for b, n, c in self.reliability_table()],
            "conflicts_found": self.conflicts, "errors": self.errors,
            "removal_total": self.removal_total,
            "removal_detected": round(1 - sum(self.removal.values()) / self.removal_total, 4)
            if self.removal_total else None,
            "removal_still_met": dict(self.removal),
            "seconds_per_doc": round(self.seconds_per_doc, 2),
        }


def unrotate_snt(labels: dict) -> dict:
    """SnT labels with the four rotated Art. 28(3)(f) ids put back on their meaning (see pipeline/train.py)."""
    from .train import SNT_ROTATION

    docs = {}
    for name, g in labels["documents"].items():
        req, ev = dict(g["requirements"]), dict(g.get("evidence", {}))
        for raw, meaning in SNT_ROTATION.items():
            if raw in g["requirements"]:
                req[meaning] = g["requirements"][raw]
                ev[meaning] = g.get("evidence", {}).get(raw, [])
        docs[name] = {**g, "requirements": req, "evidence": ev}
    return {**labels, "documents": docs}


def score_reports(reports: dict[str, Report], labels: dict, result: EvalResult) -> EvalResult:
    """Compare reports with the labels (``labels.json``'s ``documents`` and ``scored_requirements``)."""
    scored = labels["scored_requirements"]
    for name, gold in labels["documents"].items():
        rep = reports.get(name)
        if rep is None or rep.status != DocStatus.OK:
            result.errors.append(f"{name}: {rep.error if rep else 'not analysed'}")
            continue
        for rid in scored:
            g = gold["requirements"].get(rid)
            f = rep.finding(rid)
            if g is None or f is None:
                continue
            pred = f.status.value
            result.total += 1
            ok = pred == g
            result.correct += ok
            result.reliability.append((f.score, ok))
            pg, gg = pred != "met", g != "met"
            result.gap_tp += pg and gg
            result.gap_fp += pg and not gg
            result.gap_fn += (not pg) and gg
            c = result.per_requirement[rid]
            c["n"] += 1
            c["false_gap"] += pg and not gg
            c["missed_gap"] += (not pg) and gg
            c["wrong_status"] += not ok
            if g == "conflict" and pred == "conflict":
                result.conflicts.append(f"{name}:{rid}")
            if ok and g == "met" and gold.get("evidence", {}).get(rid):
                result.evidence_total += 1
                result.evidence_hits += evidence_hit([e.text for e in f.evidence[:3]], gold["evidence"][rid])
        for t, gv in (gold.get("terms") or {}).items():
            result.term_total[t] += 1
            result.term_correct[t] += _term_equal(getattr(rep.terms, t, None), gv)
    return result


def removal_labels(corpus: Path, labels: dict) -> dict:
    """The labels :func:`removal_check` reads: SnT's rotated assist-* evidence put back on its requirement."""
    return unrotate_snt(labels) if (corpus / "sentences.jsonl").exists() else labels


def read_labels(corpus: Path) -> dict:
    """The corpus's ``labels.json`` (or the examples' ``expected.json``, same format)."""
    for name in ("labels.json", "expected.json"):
        if (corpus / name).exists():
            return json.loads((corpus / name).read_text(encoding="utf-8"))
    raise ConfigError(f"{corpus} has no labels.json: nothing to evaluate against")


def evaluate(corpus: Path, analyzer: Analyzer, *, folds: int | None = None, inner_folds: int = 5,
             only: list[str] | None = None, semantic_snt: bool = False, removals: bool = True,
             progress: Callable[[int, int, str], None] | None = None,
             save_reports: Path | None = None) -> EvalResult:
    """Analyse every labelled PDF of ``corpus`` and score it (cross-validated where the model saw it).

    ``only`` restricts the run to some documents (a quick sample); with ``folds=1`` on a corpus the matcher
    was trained on, those documents are held out of one retraining (a single train/test split).
    ``removals`` also re-decides each document with each found clause deleted (:func:`removal_check`).
    ``save_reports`` writes each document's report (as scored, out of fold) to ``<folder>/<pdf name>.json``, so
    the wrong findings can be read and re-scored without analysing again.
    """
    labels = read_labels(corpus)
    names = [n for n in labels["documents"] if only is None or n in only]
    labels = {**labels, "documents": {n: labels["documents"][n] for n in names}}
    trained = analyzer.matcher.meta.get("trained_on", {})
    in_training = corpus.name in trained.get("sources", []) or bool(set(trained.get("snt", [])) & set(names))
    if folds is None:
        folds = 5 if in_training else 0
    mode = "bundled model"
    if in_training:
        mode = (f"{folds}-fold cross-validation by document" if folds > 1 else
                f"held-out split ({len(names)} documents)")
        mode += f", thresholds and calibration by inner {inner_folds}-fold CV"
    result = EvalResult(corpus=str(corpus), documents=len(names), mode=mode)
    removal_gold = removal_labels(corpus, labels)
    spent = 0.0

    def removal(name: str, report: Report) -> None:
        nonlocal spent
        if not removals or report.status != DocStatus.OK:
            return
        t = time.perf_counter()
        result.count_removals(removal_check(analyzer, corpus / name, removal_gold["documents"][name], report))
        spent += time.perf_counter() - t

    t0 = time.perf_counter()
    if in_training:
        reports = _cross_validated(corpus, names, analyzer, max(1, folds), inner_folds, progress, removal)
    else:
        reports = {}
        for i, name in enumerate(names):
            if progress:
                progress(i, len(names), name)
            reports[name] = analyzer.analyze_file(corpus / name)
            removal(name, reports[name])
    result.seconds_per_doc = (time.perf_counter() - t0 - spent) / max(1, len(names))
    if save_reports is not None:
        save_reports.mkdir(parents=True, exist_ok=True)
        for name, rep in reports.items():
            (save_reports / f"{name}.json").write_text(json.dumps(rep.to_dict(), indent=1, ensure_ascii=False),
                                                        encoding="utf-8")
    if semantic_snt:
        result.mode += ", SnT assist-* labels un-rotated"
        return score_reports(reports, unrotate_snt(labels), result)
    return score_reports(reports, labels, result)


def _cross_validated(corpus: Path, names: list[str], analyzer: Analyzer, folds: int, inner_folds: int,
                     progress: Callable[[int, int, str], None] | None,
                     after: Callable[[str, Report], None] | None = None) -> dict[str, Report]:
    from sklearn.model_selection import KFold

    from .train import fit_with_thresholds, load_training_corpus

    base = analyzer.matcher
    sources = [corpus.parent / s for s in base.meta.get("trained_on", {}).get("sources", [corpus.name])]
    full = load_training_corpus([s for s in sources if s.exists()])
    order = np.array(sorted(names))
    splits = (KFold(folds, shuffle=True, random_state=0).split(order) if folds > 1
              else [(np.array([], dtype=int), np.arange(len(order)))])
    reports: dict[str, Report] = {}
    done = 0
    for k, (_, te) in enumerate(splits):
        held = {f"{corpus.name}/{n}" for n in order[te]}
        # The bundled model's recipe (C, feature blocks), retrained without the held-out documents.
        model, _ = fit_with_thresholds(full.without(held), analyzer.library, analyzer.embedder.embed,
                                       folds=inner_folds, c=float(base.meta.get("C", 4.0)), features=base.features)
        model.meta = {**base.meta, "version": f"cv-fold-{k + 1}"}
        analyzer.matcher = model
        try:
            for name in order[te]:
                if progress:
                    progress(done, len(names), f"fold {k + 1}: {name}")
                reports[name] = analyzer.analyze_file(corpus / name)
                if after:  # still under this fold's model
                    after(name, reports[name])
                done += 1
        finally:
            analyzer.matcher = base
    return reports


def format_result(r: EvalResult) -> str:
    """The human-readable evaluation summary."""
    d = r.to_dict()
    lines = [
        f"dpa eval {r.corpus} — {r.documents} documents, {r.mode}",
        f"gap precision {d['gap_precision']:.3f}  recall {d['gap_recall']:.3f}  F1 {d['gap_f1']:.3f}  "
        f"accuracy {d['accuracy']:.3f}  ({r.total} findings, {r.gap_tp + r.gap_fn} labelled gaps)",
    ]
    if d["terms_accuracy"] is not None:
        per = ", ".join(f"{t} {r.term_correct[t]}/{r.term_total[t]}" for t in TERM_NAMES if r.term_total[t])
        lines.append(f"key terms exact {d['terms_accuracy']:.3f}  ({per})")
    if d["evidence_hit_rate"] is not None:
        lines.append(f"evidence: a labelled passage among the first three for {d['evidence_hit_rate']:.3f} "
                     f"of correctly met findings ({r.evidence_hits}/{r.evidence_total})")
    if r.conflicts:
        lines.append("conflicts found: " + ", ".join(r.conflicts))
    if d["removal_detected"] is not None:
        still = ", ".join(f"{k} {v}" for k, v in sorted(r.removal.items(), key=lambda kv: -kv[1]) if v)
        lines.append(f"clause removal: {d['removal_detected']:.3f} of {r.removal_total} found clauses become a gap "
                     f"once their labelled passages are deleted" + (f" (still met: {still})" if still else ""))
    lines.append(f"time per document {r.seconds_per_doc:.1f} s")
    lines.append("per requirement (false gap = labelled met but reported a gap; missed gap = the reverse):")
    for rid, c in sorted(r.per_requirement.items(), key=lambda kv: -kv[1]["wrong_status"]):
        if c["wrong_status"]:
            lines.append(f"  {rid:28s} wrong {c['wrong_status']:3d}/{c['n']:<3d} false gap {c['false_gap']:3d}  "
                         f"missed gap {c['missed_gap']:3d}")
    lines.append("reliability (score bin: findings, fraction correct):")
    for b, n, c in r.reliability_table():
        lines.append(f"  {b:12s} {n:5d}  {'—' if np.isnan(c) else f'{c:.3f}'}")
    for e in r.errors:
        lines.append(f"error: {e}")
    return "\n".join(lines)

"""Accuracy floors with the real packaged model, on documents the matcher never saw.

``clauses/model/matcher-heldout.npz`` is the bundled recipe trained without a fixed sample of vendors-dev and
snt-train documents (``scripts/train_matcher.py --exclude …``, recorded in its metadata); those PDFs go through
the whole pipeline here. Floors sit just under what this split achieves (docs/accuracy.md), so a regression
fails CI without retraining in CI. The full cross-validated numbers come from ``dpa eval``.
"""

from __future__ import annotations

import json

import pytest

from pipeline.evaluate import EvalResult, removal_check, removal_labels, score_reports, unrotate_snt
from pipeline.match import DEFAULT_MODEL_PATH, MatcherModel

from .conftest import EXAMPLES, SHARED, needs_shared

pytestmark = [pytest.mark.model, pytest.mark.slow, needs_shared]
DEV = SHARED / "eval" / "vendors-dev"
SNT = SHARED / "eval" / "snt-train"
HELD_DEV = ["anthropic.pdf", "mistral.pdf", "plausible.pdf", "supabase.pdf"]
HELD_SNT = ["online-1.pdf", "online-108.pdf", "online-120.pdf", "online-134.pdf", "online-17.pdf",
            "online-37.pdf", "online-5.pdf", "online-66.pdf"]


@pytest.fixture(scope="module")
def held_out(analyzer):
    model = MatcherModel.load(DEFAULT_MODEL_PATH.with_name("matcher-heldout.npz"))
    held = {f"vendors-dev/{n}" for n in HELD_DEV} | {f"snt-train/{n}" for n in HELD_SNT}
    assert set(model.meta["trained_on"]["excluded"]) == held  # the test documents were never trained on
    base = analyzer.matcher
    analyzer.matcher = model
    try:
        dev = {n: analyzer.analyze_file(DEV / n) for n in HELD_DEV}
        snt = {n: analyzer.analyze_file(SNT / n) for n in HELD_SNT}
        removed = [_removals(analyzer, corpus, reports) for corpus, reports in ((DEV, dev), (SNT, snt))]
    finally:
        analyzer.matcher = base
    return dev, snt, removed


def _removals(analyzer, corpus, reports) -> list[bool]:
    """For each clause found met: does it become a gap once its labelled passages are deleted?"""
    labels = json.loads((corpus / "labels.json").read_text())
    gold = removal_labels(corpus, labels)["documents"]
    return [gap for n, r in reports.items() for _, gap in removal_check(analyzer, corpus / n, gold[n], r)]


def _score(corpus, names, reports, by_meaning: bool = False) -> EvalResult:
    labels = json.loads((corpus / "labels.json").read_text())
    labels["documents"] = {n: labels["documents"][n] for n in names}
    if by_meaning:
        labels = unrotate_snt(labels)
    return score_reports(reports, labels, EvalResult(corpus=str(corpus), documents=len(names), mode="held out"))


def test_vendors_dev_held_out_floor(held_out):
    res = _score(DEV, HELD_DEV, held_out[0])
    assert not res.errors
    # Achieved on this split: accuracy 0.992, gap P 0.969 R 1.000, evidence 0.978, terms 1.0 (twenty-second session:
    # the sub-processor readers read Anthropic's notice of a new sub-processor and Supabase's objection; 0.976 / 0.912
    # in the twenty-first, 0.968 / 0.886 after the seventeenth session's retraining).
    assert res.accuracy >= 0.98, res.to_dict()
    assert res.recall >= 0.94 and res.precision >= 0.94, res.to_dict()
    assert res.evidence_hits / res.evidence_total >= 0.9
    assert sum(res.term_correct.values()) / sum(res.term_total.values()) >= 0.9
    assert "mistral.pdf:no-training" in res.conflicts


def test_snt_train_held_out_floor(held_out):
    res = _score(SNT, HELD_SNT, held_out[1])
    assert not res.errors
    # Achieved on this split: accuracy 0.735 (the SnT labels are noisy: docs/accuracy.md, error class 1).
    assert res.accuracy >= 0.71, res.to_dict()
    # Four SnT assist-* columns are rotated (error class 2) and the matcher and the Art. 28(3)(f) rules decide
    # them by meaning, so F1 is checked with those labels put right: 0.815 / 0.344 / 0.483, accuracy 0.765.
    # (Against the rotated labels gap F1 is 0.418: a correct assist-* "met" counts as a missed gap there.)
    meaning = _score(SNT, HELD_SNT, held_out[1], by_meaning=True)
    assert meaning.accuracy >= 0.75 and meaning.f1 >= 0.47, meaning.to_dict()


def test_deleted_clauses_become_gaps_on_held_out_documents(held_out):
    """A vendor's DPA with a clause deleted must show that clause as a gap (``dpa eval``'s clause removal)."""
    dev, snt = held_out[2]
    # Achieved on this split: vendors-dev 69 of 92, snt-train 82 of 131 (twenty-third session; its gates were read
    # partly off Mistral, one of these four vendors, as the nineteenth and twentieth sessions' were off these
    # eight SnT documents, so both are partly in-sample; 73 of 130 in the seventeenth). The rest are mostly second
    # statements of the clause the labels do not list, and neighbouring clauses (docs/accuracy.md, error class 6).
    assert len(dev) >= 70 and sum(dev) / len(dev) >= 0.73, (len(dev), sum(dev))
    assert len(snt) >= 110 and sum(snt) / len(snt) >= 0.58, (len(snt), sum(snt))


def test_examples_match_their_intended_findings(example_reports):
    """The three example DPAs were written with intended statuses and terms (labels.json format)."""
    labels = json.loads((EXAMPLES / "expected.json").read_text())
    res = score_reports(example_reports, labels, EvalResult(corpus="examples", documents=3, mode="bundled"))
    assert res.accuracy >= 0.97, res.to_dict()  # achieved 0.989
    assert sum(res.term_correct.values()) / sum(res.term_total.values()) >= 0.95, res.to_dict()  # achieved 24/24
    nimbus = example_reports["nimbus-notes-ai.pdf"]
    assert nimbus.finding("no-training").status.value == "conflict"
    assert nimbus.terms.no_training == "reserves"


def test_high_confidence_findings_are_right_on_held_out_documents(held_out):
    """Issue 3: findings scored >= 0.9 should be right >= 95 % of the time (score = calibrated confidence)."""
    dev, snt = _score(DEV, HELD_DEV, held_out[0]), _score(SNT, HELD_SNT, held_out[1])
    pairs = dev.reliability + snt.reliability
    assert all(0.5 <= s <= 1.0 for s, _ in pairs)
    high = [ok for s, ok in pairs if s >= 0.9]
    # Achieved on this split: 68 of 70 (vendors-dev 20/20, snt-train 48/50).
    assert len(high) >= 60 and sum(high) / len(high) >= 0.93, (len(high), sum(high))
    # Calibrated, not just sorted: the lowest bin is right far less often than the highest.
    low = [ok for s, ok in pairs if s < 0.6]
    assert low and sum(low) / len(low) <= 0.8, (len(low), sum(low))

"""Confidence calibration: score = out-of-fold probability that the decision is right (pure logic, no model)."""

from __future__ import annotations

import numpy as np

from pipeline.match import MatcherModel, margin_logit
from pipeline.train import fit_calibration

IDS = ["steady", "noisy"]


def _oof(seed: int = 0, n: int = 200):
    """Document scores where "steady" is decided right by its threshold and "noisy" is a coin flip."""
    rng = np.random.default_rng(seed)
    scores, gold = {}, {}
    for k in range(n):
        met = bool(rng.random() < 0.6)
        s_steady = rng.uniform(0.6, 0.99) if met else rng.uniform(0.01, 0.4)
        s_noisy = rng.uniform(0.01, 0.99)
        scores[f"d{k}"] = np.array([s_steady, s_noisy])
        gold[f"d{k}"] = {"steady": "met" if met else "missing", "noisy": "met" if rng.random() < 0.5 else "missing"}
    return scores, gold


def _model(cal: np.ndarray | None) -> MatcherModel:
    idf = np.ones(4, dtype=np.float32)
    return MatcherModel(IDS, np.zeros((2, 4), np.float32), np.zeros(2, np.float32), idf,
                        np.full(2, 0.5, np.float32), {}, ("tfidf",), cal)


def test_reliable_requirement_gets_high_confidence_and_a_coin_flip_does_not():
    scores, gold = _oof()
    cal = fit_calibration(scores, gold, IDS, np.full(2, 0.5))
    m = _model(cal)
    assert (cal[:, 0, 0] > 0.5).all()  # the steady requirement's confidence grows with the margin
    assert m.confidence(0, True, 0.95) > 0.9 and m.confidence(0, False, 0.05) > 0.9
    # The same margin on the requirement that is right half the time stays near a coin flip.
    assert m.confidence(1, True, 0.95) < 0.7 and m.confidence(1, False, 0.05) < 0.7
    assert m.confidence(0, True, 0.99) >= m.confidence(0, True, 0.7) >= 0.5
    assert m.confidence(0, False, 0.0) == 0.99  # never certain


def test_calibrated_confidence_matches_observed_accuracy_on_new_documents():
    scores, gold = _oof(seed=1, n=400)
    cal = fit_calibration(scores, gold, IDS, np.full(2, 0.5))
    m = _model(cal)
    test_scores, test_gold = _oof(seed=2, n=400)
    conf, ok = [], []
    for d, s in test_scores.items():
        for j, rid in enumerate(IDS):
            met = s[j] >= 0.5
            conf.append(m.confidence(j, met, float(s[j])))
            ok.append(met == (test_gold[d][rid] == "met"))
    conf, ok = np.array(conf), np.array(ok)
    high = conf >= 0.9
    assert high.sum() > 100 and ok[high].mean() >= 0.95
    assert abs(conf.mean() - ok.mean()) < 0.05


def test_one_class_or_no_data_leaves_the_identity_calibration():
    scores = {"a": np.array([0.9, 0.1])}
    cal = fit_calibration(scores, {"a": {"steady": "met", "noisy": "met"}}, IDS, np.full(2, 0.5))
    assert cal.shape == (20, 2, 2) and np.allclose(cal, [[1, 0], [1, 0]])


def test_calibration_travels_with_the_model_file_and_older_files_fall_back(tmp_path):
    cal = np.array([[[2.0, 0.5], [0.3, -0.1]]] * 3, dtype=np.float32)
    _model(cal).save(tmp_path / "m.npz")
    back = MatcherModel.load(tmp_path / "m.npz")
    assert np.allclose(back.calibration, cal)
    _model(None).save(tmp_path / "old.npz")
    old = MatcherModel.load(tmp_path / "old.npz")
    assert old.calibration is None
    # The margin rule: at the threshold a coin flip, far above it near certain.
    assert old.confidence(0, True, 0.5) == 0.5 and old.confidence(0, True, 1.0) == 1.0


def test_margin_is_zero_at_the_threshold_and_finite_at_the_ends():
    assert margin_logit(0.3, 0.3) == 0.0
    assert np.isfinite(margin_logit(0.0, 0.5)) and np.isfinite(margin_logit(1.0, 0.5))
    assert margin_logit(0.9, 0.5) > 0 > margin_logit(0.1, 0.5)


def test_documents_a_rule_meets_do_not_pull_the_threshold():
    """A met document the scorer ranks low is met by a rule anyway (match.RULES): it must not lower the threshold."""
    from pipeline.train import choose_thresholds

    s = {"a": 0.9, "b": 0.8, "ruled": 0.2, "c": 0.3, "d": 0.15, "e": 0.1}
    gold = {d: {"steady": "met" if d in ("a", "b", "ruled") else "missing"} for d in s}
    scores = {d: np.array([v]) for d, v in s.items()}
    plain = choose_thresholds(scores, gold, ["steady"], np.full(1, 0.5))[0]
    aware = choose_thresholds(scores, gold, ["steady"], np.full(1, 0.5), {"ruled": {"steady"}})[0]
    assert 0.3 < aware <= 0.8  # every document the threshold decides is right
    assert (s["c"] >= plain) or (s["ruled"] < plain)  # without the rule one of them must be wrong
    assert not (s["c"] >= aware)


def _rule_hits_of(one: str, two: str) -> dict[str, set[str]]:
    """``train.rule_hits`` of two one-sentence training documents, x/one.pdf and x/two.pdf."""
    from pipeline.train import Corpus, rule_hits

    return rule_hits(Corpus(texts=[one, two], contexts=["", ""], labels=[set(), set()],
                            scored=[frozenset(), frozenset()], docs=["x/one.pdf", "x/two.pdf"], sections=["", ""]))


def test_rule_hits_reads_each_training_document():
    hits = _rule_hits_of("Acme keeps security controls proportionate to the risks presented by processing.",
                         "Acme encrypts all data at rest.")
    assert "security-risk" in hits["x/one.pdf"]
    assert "security-risk" not in hits["x/two.pdf"]


def test_rule_hits_read_no_definitions_as_decide_does():
    """Thresholds are chosen without the documents a rule meets; a rule reads no definition (match.rule_input),
    so a document that only defines the SCCs is not one of them, and decide leaves it to the scorer too."""
    hits = _rule_hits_of('"SCCs" means the standard contractual clauses approved by the European Commission.',
                         "Transfers outside the EEA are made under the standard contractual clauses.")
    assert "transfer-safeguards" not in hits["x/one.pdf"]
    assert "transfer-safeguards" in hits["x/two.pdf"]


def test_rule_hits_leaves_in_annex_fields_but_not_a_deferring_field():
    """Thresholds are chosen without what a rule decides, except description-of-processing fields, which the
    scorer mostly recognises itself (leaving them out raised the nature-purpose threshold on snt-train)."""
    hits = _rule_hits_of("Nature of the processing: hosting and analysing support tickets.",
                         "Categories of personal data: Determined by the Customer.")
    assert "nature-purpose" not in hits["x/one.pdf"]
    assert "data-types" in hits["x/two.pdf"]

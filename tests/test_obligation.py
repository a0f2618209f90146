"""The obliged-party detector (pipeline/obligation.py) on sentences written for these tests."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.obligation import FEATURES, N_FEATURES, Modality, Party, obligation_features, obligations, primary_party

P, C, S, D, A, B, N, OTH = (Party.PROCESSOR, Party.CONTROLLER, Party.SUBPROCESSOR, Party.DATA_SUBJECT,
                          Party.AUTHORITY, Party.PARTIES, Party.NAME, Party.OTHER)


@pytest.mark.parametrize(("text", "party"), [
    # processor side, under its usual role names
    ("The Processor shall keep a record of all processing activities.", P),
    ("Supplier will delete the customer data within thirty days of termination.", P),
    ("The service provider must train its staff on data protection.", P),
    ("We will tell you about any personal data breach without undue delay.", P),
    ("The Vendor undertakes to encrypt all backups.", P),
    ("The data importer agrees to process the data only on the exporter's behalf.", P),
    # controller side
    ("The Client shall give its instructions in writing.", C),
    ("You must obtain any consents needed for the processing.", C),
    ("The Customer is responsible for the lawfulness of its instructions.", C),
    ("Controller agrees to pay the costs of any on-site audit.", C),
    # the others
    ("Each sub-processor shall be bound by a written contract.", S),
    ("Any Subprocessor(s) will be subject to equivalent obligations.", S),
    ("The data subjects may exercise their rights by email.", D),
    ("The competent supervisory authority may request information.", A),
    ("The parties agree to cooperate in good faith.", B),
    ("Brightwave Labs shall keep all customer content confidential.", N),
    ("Personal Data shall be stored in the European Union.", OTH),
    ("This Addendum will remain in force for the term of the Agreement.", OTH),
])
def test_primary_party(text, party):
    assert primary_party(text) == party


def test_subject_is_the_party_nearest_the_verb_after_a_clause_boundary():
    # The controller is named first, but the duty is the processor's.
    assert primary_party("Where the Controller so requests, the Processor shall return the data.") == P
    assert primary_party("If the Customer objects, the Supplier will propose another sub-processor.") == P
    # The possessive is the party: the processor's staff are bound.
    assert primary_party("The Processor's personnel are bound by a duty of confidentiality.") == P
    # "X agrees that Y may …": the right belongs to Y.
    obs = obligations("The Customer agrees that the Vendor may engage sub-processors.")
    assert [(o.party, o.modality) for o in obs] == [(P, Modality.RIGHT)]


def test_duty_and_right():
    assert [(o.party, o.modality) for o in obligations("The Client may object to a new sub-processor.")] == [
        (C, Modality.RIGHT)]
    assert [(o.party, o.modality) for o in obligations("The Client has the right to audit the Processor.")] == [
        (C, Modality.RIGHT)]
    # A prohibition binds its subject: "may not" is a duty, not a right.
    assert [(o.party, o.modality) for o in obligations("The Processor may not engage another processor.")] == [
        (P, Modality.DUTY)]
    # A passive duty with a named agent binds the agent.
    assert [o.party for o in obligations("The data shall be erased by the Processor on request.")] == [P]


def test_several_verbs_and_no_verb():
    obs = obligations("The Processor shall notify the Controller, and the Controller shall inform the authority.")
    assert [o.party for o in obs] == [P, C]
    assert obligations("The categories of data subjects are listed in Annex 1.") == []
    # A date is not a modal verb.
    assert obligations("Effective May 25, 2018, this policy applies.") == []


def test_features_are_multi_hot_with_a_none_column():
    texts = ["The Processor shall notify the Controller, and the Controller may object.",
             "The data categories are listed in Annex 1."]
    f = obligation_features(texts)
    assert f.shape == (2, N_FEATURES)
    on = {FEATURES[i] for i in np.flatnonzero(f[0][:-1])}
    assert on == {(P, Modality.DUTY), (C, Modality.RIGHT)} and f[0, -1] == 0
    assert f[1, -1] == 1 and f[1, :-1].sum() == 0


def test_obligation_block_in_the_matcher_features_and_model_file(tmp_path):
    from pipeline.match import LEGACY_FEATURES, N_HASH, MatcherModel, featurize

    texts = ["The Client shall give instructions.", "The Processor shall delete the data."]
    emb = np.ones((2, 4), dtype=np.float32)
    idf = np.ones(N_HASH, dtype=np.float32)
    plain = featurize(texts, emb, idf, LEGACY_FEATURES)
    extra = featurize(texts, emb, idf, (*LEGACY_FEATURES, "obligation"))
    assert plain.shape == (2, N_HASH + 4) and extra.shape == (2, N_HASH + 4 + N_FEATURES)
    assert (extra[:, N_HASH + 4:].toarray() > 0).sum(axis=1).tolist() == [1, 1]
    # The feature blocks travel with the weights; files without the key load as the legacy two blocks.
    feats = (*LEGACY_FEATURES, "obligation")
    m = MatcherModel(["x"], np.zeros((1, extra.shape[1]), np.float32), np.zeros(1, np.float32), idf,
                     np.full(1, 0.5, np.float32), {}, feats)
    m.save(tmp_path / "m.npz")
    back = MatcherModel.load(tmp_path / "m.npz")
    assert back.features == feats and back.scores(texts, emb).shape == (2, 1)
    z = dict(np.load(tmp_path / "m.npz"))
    del z["features"]
    np.savez(tmp_path / "old.npz", **z)
    assert MatcherModel.load(tmp_path / "old.npz").features == LEGACY_FEATURES

"""``match.decide`` on hand-set passage scores (bundled thresholds and library, no embedding model)."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.library import load_library
from pipeline.match import MatcherModel, decide
from pipeline.models import BlockKind, Chunk
from pipeline.textrx import is_label

ENCRYPT = "Acme encrypts all customer data at rest with AES-256."


def _chunks(*texts: str) -> list[Chunk]:
    return [Chunk(index=i, text=t, page=i + 1, section="Annex", kind=BlockKind.PARAGRAPH, block=i, context=t)
            for i, t in enumerate(texts)]


def _finding(texts: tuple[str, ...], rid: str, scores: list[float]):
    model, library = MatcherModel.load(), load_library()
    probs = np.zeros((len(texts), len(model.ids)), dtype=np.float32)
    probs[:, model.ids.index(rid)] = scores
    return next(f for f in decide(_chunks(*texts), probs, model, library) if f.requirement == rid)


def test_a_passage_printed_twice_is_shown_once_and_the_next_one_gets_its_slot():
    texts = (ENCRYPT, ENCRYPT, "Backups are encrypted in transit with TLS 1.2 or higher.")
    f = _finding(texts, "encryption", [0.99, 0.98, 0.97])
    assert f.status.value == "met"
    assert [e.text for e in f.evidence] == [ENCRYPT, texts[2]]
    assert [e.page for e in f.evidence] == [1, 3]


def test_a_gap_lists_each_nearest_passage_once():
    audit = "Acme lets the Customer read its yearly audit summary."
    texts = (audit, audit, "Acme keeps audit logs for a year.")
    f = _finding(texts, "audit", [0.02, 0.02, 0.01])
    assert f.status.value == "missing"
    assert [e.text for e in f.rejected][:2] == [audit, texts[2]]


@pytest.mark.parametrize(("rid", "text", "status"), [
    # Art. 28(3)(f) is help to the controller; a promise to obey the law oneself is none.
    ("assist-security", "Each party shall comply with its respective obligations under the applicable data "
     "protection laws.", "missing"),
    ("assist-dpia", "Acme will comply with all obligations under the GDPR that apply to it as a processor.",
     "missing"),
    ("assist-security", "Acme shall assist the Customer in ensuring compliance with its obligations under "
     "Article 32 GDPR.", "met"),
    # Eval labelling convention: "as determined by the customer" names no category; nor does "None".
    ("data-subjects", "Categories of data subjects: Determined by the Customer in line with the Agreement.",
     "missing"),
    ("data-types", "Special categories of personal data (if applicable): None.", "missing"),
    ("data-types", "Categories of personal data: names, e-mail addresses and IP addresses.", "met"),
    # A definition commits nobody (library `definitions`), unless it points to the sub-processor list.
    ("security-risk", '"Security Incident" means a breach of security leading to the accidental or unlawful '
     "destruction, loss or alteration of personal data.", "missing"),
    ("transfer-safeguards", "(d) “Restricted Transfer” means a transfer of personal data to a third country.",
     "missing"),
    # … nor does the rule that reads a named safeguard: defining the SCCs is not transferring under them.
    ("transfer-safeguards", '"SCCs" means the standard contractual clauses approved by the European Commission.',
     "missing"),
    ("transfer-safeguards", "Acme transfers personal data outside the EEA only under the standard contractual "
     "clauses.", "met"),
    ("nature-purpose", '1.4 "Process" or "Processing" has the meaning given in the GDPR.', "missing"),
    ("subprocessor-list", "“Sub-processor List” means the list of Acme's sub-processors at "
     "https://example.com/subprocessors.", "met"),
    ("subprocessor-list", "(k) “Trust Center” means Acme's trust center at https://trust.example.com.", "missing"),
    ("nature-purpose", "This means that Acme processes the personal data only to provide the Service.", "met"),
    # DPIA help must name the assessment (or the Art. 32-36 range); breach details do not (library `cues`).
    ("assist-dpia", "(b) the likely consequences of the personal data breach; and", "missing"),
    ("assist-dpia", "Acme will help the Customer carry out any data protection impact assessment.", "met"),
    ("assist-dpia", "Acme shall assist the Customer with its obligations under Articles 32 to 36 GDPR.", "met"),
    ("assist-prior-consultation", "Acme shall notify the Customer of any change to the sub-processors.",
     "missing"),
    ("assist-prior-consultation", "Acme will help the Customer consult the supervisory authority before "
     "processing.", "met"),
    # The clauses around a deleted one do not state it (library `disqualifiers`: the passage must say it).
    ("subprocessor-authorisation", "Acme will give the Customer notice of any new Sub-processor before it is "
     "engaged.", "missing"),
    ("subprocessor-authorisation", "The Customer may object to the appointment of a new Sub-processor within "
     "ten days.", "missing"),
    ("subprocessor-authorisation", "The Customer agrees that Acme may engage the Sub-processors listed in "
     "Annex 3.", "met"),
    ("subprocessor-authorisation", "Acme shall not subcontract any processing without the Customer's prior "
     "written consent.", "met"),
    ("instructions", "Acme will tell the Customer at once if, in its view, an instruction infringes the GDPR.",
     "missing"),
    ("instructions", "The nature and purpose of the processing are described in Annex 1.", "missing"),
    ("instructions", "Acme processes personal data only on the Customer's documented instructions and tells it "
     "if an instruction infringes the GDPR.", "met"),
    ("deletion-return", "This DPA ends when the Agreement terminates.", "missing"),
    ("deletion-return", "On termination Acme will erase all personal data within 30 days.", "met"),
    # "only" / "solely" must bind the processing; a customer's request is no data subject's; a list must be of
    # sub-processors (seventeenth session: each kept a deleted clause met on a held-out vendor).
    ("instructions", "Acme will keep the de-identified data solely in de-identified form.", "missing"),
    ("instructions", "Acme processes the personal data solely to provide the Services.", "met"),
    ("data-subject-rights", "Upon the Customer's request, Acme will give it the information it needs for a "
     "transfer impact assessment.", "missing"),
    ("data-subject-rights", "Acme will pass any such requests on to the Customer without delay.", "met"),
    ("subprocessor-list", "The technical and organisational measures of Acme are listed on its trust page.",
     "missing"),
    ("subprocessor-list", "Nimbus Hosting | Cloud hosting | Ireland", "met"),
    # What a breach notice must describe (Art. 33(3)(a)) is about one breach, not the processing's data.
    ("data-types", "(a) the nature of the breach, including the categories and approximate number of data "
     "subjects and of personal data records concerned;", "missing"),
    ("data-subjects", "(a) the nature of the breach, including the categories and approximate number of data "
     "subjects and of personal data records concerned;", "missing"),
    ("data-types", "The personal data processed are names, e-mail addresses and chat messages.", "met"),
    # a Danish DPA's "the Data Responsible" is the controller, read in the GDPR's words (thirty-sixth session, set ad)
    ("data-subject-rights", "The Data Responsible is responsible for responding to requests from data subjects.",
     "missing"),
    ("data-subject-rights", "The Data Processor helps the Data Responsible respond to requests from data subjects.",
     "met"),
])
def test_a_passage_the_requirement_disqualifies_never_meets_it(rid, text, status):
    f = _finding((text,), rid, [0.99])
    assert f.status.value == status, f


@pytest.mark.parametrize(("text", "label"), [
    ("Encryption", True), ("5. Confidentiality ----------", True), ("Sub-processors:", True),
    ("Types of Personal Data", True), ("Processor or Sub-processor", True), ("2.", True),
    ("All data is encrypted.", False), ("AWS | Hosting | United States", False),
    ("Duration: the term of the Agreement.", False),
    # numbered title-case headings, however long; a numbered sentence is not one
    ("8. Data Protection Impact Assessment and Prior Consultation", True), ("5.3 Acme's Compliance with Orders.", True),
    ("12 **SECURITY OF PROCESSING**", True), ("1. The Processor shall Process Data on Instructions", False),
    ("7.1 Security Assistance. Acme will help the Customer.", False),
    # a heading in capitals, a question, an empty field of the description of processing (Art. 28(3))
    ("SCHEDULE 2: TECHNICAL AND ORGANISATIONAL MEASURES OF ACME", True), ("ACME SHALL ENCRYPT ALL DATA.", False),
    ("ACME WILL NOT USE THE CUSTOMER'S DATA TO TRAIN OR IMPROVE ANY MODEL OF ITS OWN OR OF ANY THIRD PARTY UNLESS "
     "THE CUSTOMER AGREES", False),
    ("May Acme pass the data on to another country or company?", True),
    ("Does Acme encrypt backups? Yes, with AES-256.", False),
    ("Categories of data subjects whose personal data is processed ...", True),
    ("7.3. Duration of the processing of personal data", True),
    ("Purpose(s) of the data transfer and further processing", True),
    ("Special categories of personal data (if applicable):", True),
    ("Categories of data subjects whose personal data is processed: the client's staff", False),
    ("Duration of the processing of personal data is the term of the Agreement", False),
    # Twenty-sixth session: an annex title numbered in Roman numerals or letters, or ending in a short aside or an
    # empty placeholder; an annex that lists or says something is no title.
    ("Appendix IV – Security Measures of the Supplier", True), ("Exhibit B: Approved Subcontractors", True),
    ("Schedule 3 - Technical Measures (see below).", True), ("Annex 4 - List of Subcontractors: [insert].", True),
    ("Annex 2 - Subcontractors (Hosting: Hetzner, Germany)", False), ("Appendix B: Acme encrypts all backups.", False),
    ("Annex IV to this DPA lists the measures Acme takes.", False),
    # a template's field left blank; a placeholder inside a sentence that says something is not one
    ("Annex 5 – Description of the Transfer: [to be completed by the data exporter].", True),
    ("Subcontractors: [●]", True), ("Retention: [insert] days after the end of the contract.", False),
    # twenty-seventh session (blind set k): a line to write on, a bracket naming who fills it in
    ("Part C – Purpose of the processing: ________", True), ("Types of personal data: [Client to complete]", True),
    ("Acme keeps backups for 30 days (see ____ for details).", False),
    # twenty-eighth session (blind set m): an annex table's empty cell, a bracket naming who specifies it, a bare
    # "TBD"; a row or field with a value is no label
    ("Duration of processing | [●]", True), ("Categories of data subjects | —", True),
    ("Categories of personal data: [to be specified by Customer]", True), ("Processing locations: TBD", True),
    ("Duration of processing | for the term of the Agreement", False),
    ("Backups are kept for thirty days after the contract ends -", False),
    # twenty-ninth session (blind sets p and q): a pointer to a blank annex, a round-bracket blank at the end, a
    # field deferred in words; a value that begins "to provide …", or a bracket inside a lead-in, is no blank
    ("Approved Sub-processors: see Annex [__] (to be completed).", True),
    ("Duration of processing: (to be confirmed)", True),
    ("Categories of data subjects: to be determined by the Customer in its sole discretion.", True),
    ("Duration | to be agreed", True), ("Sub-processors: see Annex 3 for their names and locations.", False),
    ("Nature / purpose: hosting and delivery | to provide the Service described in the Order Form.", False),
    ("Specific consent for the engagement of the following Sub-Processors (to be completed by the Controller):", False),
    ("The fees are to be determined by the Customer.", False),
])
def test_is_label(text, label):
    assert is_label(text) is label


def test_a_heading_the_parser_kept_as_a_paragraph_is_never_evidence_of_met():
    """A topic label scores high for its topic but commits to nothing: the statement under it decides."""
    f = _finding(("Encryption", ENCRYPT), "encryption", [0.99, 0.95])
    assert f.status.value == "met" and [e.text for e in f.evidence] == [ENCRYPT]
    f = _finding(("Encryption", "Acme keeps audit logs for a year."), "encryption", [0.99, 0.01])
    assert f.status.value == "missing"


def test_the_gate_reads_a_public_sector_customer_as_the_controller():
    """"The Authority" of a UK public-sector contract is the customer (library synonyms): its own DPIA duty meets
    no processor requirement, however high it scores; the Contractor's help with it does."""
    own = "The Authority shall carry out a Data Protection Impact Assessment before any high-risk processing."
    assert _finding((own,), "assist-dpia", [0.99]).status.value == "missing"
    help_ = "The Contractor shall assist the Authority with any Data Protection Impact Assessment it carries out."
    assert _finding((help_,), "assist-dpia", [0.99]).status.value == "met"


def test_a_reader_reads_a_translation_and_shows_the_passage_as_written():
    """A literal translation's words (the Entrustee, a leakage, the control authority) are read in the GDPR's
    words by the rule readers; the evidence quotes the DPA, not the rewording."""
    text = ("The Entrustee shall cooperate with the Entrustor when the Entrustor reports a leakage of personal data "
            "to the control authority, by giving it the information it needs.")
    f = _finding((text,), "assist-breach-authority", [0.0])
    assert f.status.value == "met", f
    assert [e.text for e in f.evidence] == [text]
    # … and the why names each wording it read otherwise, whole words
    for read in ("“Entrustee” as “Processor”", "“leakage” as “personal data breach”",
                 "“control authority” as “supervisory authority”"):
        assert read in f.why, f.why


def test_a_finding_the_readers_meet_in_plain_gdpr_words_says_nothing_of_synonyms():
    text = ("The Processor shall assist the Controller in notifying a personal data breach to the supervisory "
            "authority.")
    f = _finding((text,), "assist-breach-authority", [0.0])
    assert f.status.value == "met" and "GDPR's words" not in f.why, f.why

"""Every requirement's matcher on sentences written for these tests: a commitment that must meet it, a near
miss that must not, and a negated or reserved form that must not (real packaged model, bundled weights).

Known weaknesses are listed in ``KNOWN_MISSES`` as strict xfails, so fixing one turns the test red until
it is moved into the passing set: the table documents the matcher's real behaviour.
"""

from __future__ import annotations

import pytest

from pipeline.match import decide
from pipeline.models import Chunk

pytestmark = pytest.mark.model

# requirement: (meets it, near miss, negated / reserved)
CASES = {
    "subprocessor-authorisation": (
        "Acme shall not engage any subprocessor without the Client's prior written authorisation.",
        "A subprocessor is any third party that processes personal data for Acme.",
        "Acme may engage subcontractors at its sole discretion and without informing the Client.",
    ),
    "subprocessor-changes": (
        "Acme will inform the Client of any intended addition or replacement of subprocessors before it takes effect.",
        "The Client may ask for a copy of this agreement at any time.",
        "Acme may replace its subprocessors without notice to the Client.",
    ),
    "instructions": (
        "Acme shall process the personal data only on the documented instructions of the Client.",
        "The Client shall give its instructions in compliance with applicable data protection law.",
        "Acme may process the personal data for any purpose it determines itself.",
    ),
    "legal-requirement-notice": (
        "Where Union or Member State law requires Acme to process the data otherwise, Acme will tell the Client of "
        "that legal requirement before processing, unless the law prohibits this.",
        "This agreement is governed by the laws of Ireland.",
        "Acme may process data as required by law without telling the Client.",
    ),
    "confidentiality": (
        "Acme ensures that all staff authorised to process the personal data have committed themselves to "
        "confidentiality.",
        "Each party shall keep the commercial terms of this agreement secret.",
        "Acme staff are not bound by any duty of confidentiality regarding the data.",
    ),
    "security": (
        "Acme shall implement appropriate technical and organisational measures to ensure a level of security "
        "appropriate to the risk, as required by Article 32 GDPR.",
        "The Client is responsible for the security of its own passwords.",
        "Acme gives no commitment regarding the security measures it applies.",
    ),
    "data-subject-rights": (
        "Acme will assist the Client by appropriate measures in responding to requests from data subjects to "
        "exercise their rights of access, rectification and erasure.",
        "Data subjects may lodge a complaint with a supervisory authority.",
        "Acme will not help the Client with any requests from data subjects.",
    ),
    "deletion-return": (
        "On termination of the services Acme shall, at the Client's choice, delete or return all personal data "
        "and delete existing copies.",
        "The Client may delete individual records in the application at any time.",
        "Acme may keep all personal data indefinitely after the end of the agreement.",
    ),
    "infringing-instructions": (
        "Acme shall immediately inform the Client if, in its opinion, an instruction infringes the GDPR or other "
        "data protection provisions.",
        "The Client warrants that its instructions comply with the law.",
        "Acme has no duty to check or flag unlawful instructions.",
    ),
    "audit": (
        "Acme shall allow for and contribute to audits, including inspections, conducted by the Client or another "
        "auditor mandated by the Client.",
        "The Client shall pay all fees within thirty days of invoice.",
        "The Client has no right to audit or inspect Acme.",
    ),
    "subprocessor-flowdown": (
        "Acme shall impose on each subprocessor, by written contract, the same data protection obligations as "
        "set out in this agreement.",
        "Acme uses a cloud hosting provider for storage.",
        "Subprocessors are not bound by the obligations of this agreement.",
    ),
    "subprocessor-liability": (
        "Acme remains fully liable to the Client for the performance of its subprocessors' obligations.",
        "Neither party is liable for indirect or consequential losses.",
        "Acme accepts no liability for acts or omissions of its subprocessors.",
    ),
    "breach-notification": (
        "Acme shall notify the Client without undue delay after becoming aware of a personal data breach.",
        "The Client must notify the supervisory authority of breaches within 72 hours.",
        "Acme is not obliged to tell the Client about security incidents.",
    ),
    "duration": (
        "The processing will continue for the term of the Agreement.",
        "Either party may terminate for convenience on ninety days' notice.",
        "The subscription fees are fixed for the first year of the Agreement.",
    ),
    "data-types": (
        "The personal data processed includes names, email addresses, IP addresses and chat transcripts.",
        "Personal data has the meaning given in the GDPR.",
        "The categories of personal data are as determined by the Client.",
    ),
    "data-subjects": (
        "The data subjects are the Client's website visitors, end customers and employees.",
        "Data subject has the meaning given in Article 4 GDPR.",
        "The categories of data subjects are as determined by the Client.",
    ),
    "encryption": (
        "Acme encrypts personal data in transit using TLS 1.2 or higher and at rest using AES-256.",
        "The Client shall choose strong passwords for its accounts.",
        "Acme does not encrypt stored customer data.",
    ),
    "data-location": (
        "All customer personal data is stored and processed in data centres located in Germany.",
        "This agreement is governed by German law.",
        "Acme may decide freely where the data is stored.",
    ),
    "government-access": (
        "If a public authority requests access to customer data, Acme will notify the Client where legally "
        "permitted and challenge any request that is overbroad.",
        "Acme complies with applicable anti-bribery laws.",
        "Acme may disclose customer data to any authority that asks for it.",
    ),
    "transfer-safeguards": (
        "Transfers of personal data outside the EEA take place only under the EU Standard Contractual Clauses "
        "or to a country with an adequacy decision.",
        "The Client is established in France.",
        "Acme may transfer personal data to any country in the world without further safeguards.",
    ),
    "assist-security": (
        "Acme shall assist the Client in ensuring compliance with its obligations on the security of processing "
        "under Article 32 GDPR.",
        "The Client shall keep its administrator credentials secure.",
        "Acme is not obliged to assist the Client with its own security obligations.",
    ),
    "assist-breach-authority": (
        "Acme shall assist the Client in notifying a personal data breach to the competent supervisory authority "
        "by providing the information the authority requires.",
        "The supervisory authority may impose fines for infringements of the GDPR.",
        "Acme will not help the Client with any notification to a supervisory authority.",
    ),
    "assist-breach-subjects": (
        "Acme shall assist the Client in communicating a personal data breach to the affected data subjects.",
        "Data subjects may contact the Client's data protection officer with questions.",
        "Acme will not assist the Client in informing data subjects of a breach.",
    ),
    "assist-dpia": (
        "Acme shall provide reasonable assistance to the Client with any data protection impact assessment "
        "relating to the services.",
        "The Client decides whether a data protection impact assessment is required.",
        "Acme is not obliged to support data protection impact assessments.",
    ),
    "assist-prior-consultation": (
        "Acme shall assist the Client in any prior consultation with the supervisory authority under Article 36 "
        "GDPR.",
        "The supervisory authority publishes guidance on its website.",
        "Acme is not obliged to take part in any consultation with a supervisory authority.",
    ),
    "demonstrate-compliance": (
        "Acme shall make available to the Client all information necessary to demonstrate compliance with the "
        "obligations laid down in Article 28 GDPR.",
        "The Client shall demonstrate its own compliance with the GDPR to its customers.",
        "Acme is not required to provide any information about its compliance.",
    ),
    "security-risk": (
        "In assessing the appropriate level of security, Acme shall take account of the risks of accidental or "
        "unlawful destruction, loss, alteration, unauthorised disclosure of or access to personal data.",
        "Acme has a risk management framework for its financial reporting.",
        "Acme is not responsible for assessing any risks to the personal data.",
    ),
    "nature-purpose": (
        "Acme processes personal data to host, operate and support the chat service for the Client, including "
        "storing and transmitting messages.",
        "Acme was founded in 2015 and has offices in Berlin.",
        "Acme may process the data for purposes of its own choosing without telling the Client.",
    ),
    "subprocessor-objection": (
        "The Client may object to a new subprocessor within thirty days of the notice, in which case the parties "
        "will seek a solution in good faith or the Client may terminate the affected service.",
        "The Client may terminate the Agreement for material breach on thirty days' notice.",
        "The Client has no right to object to the engagement of new subprocessors.",
    ),
    "subprocessor-list": (
        "The current list of subprocessors, with their locations and functions, is set out in Annex 3.",
        "Annex 2 describes the technical and organisational measures.",
        "Acme does not disclose the identity of its subprocessors.",
    ),
    "no-training": (
        "Acme will not use customer data to train or improve its artificial intelligence models.",
        "Acme trains its support staff on data protection every year.",
        "Acme may use customer content to train and improve its machine learning models.",
    ),
}

# Sentences the current matcher gets wrong: (requirement, which) with which in "pos", "near", "neg".
# The near misses are duties or options of the controller, which the spec says never meet a processor
# requirement; the bundled sentence scorer has no notion of who is obliged (docs/accuracy.md, error classes:
# pipeline/obligation.py detects it, but as scorer features it did not improve the corpus numbers).
# The instructions near miss ("The Client shall give its instructions in compliance with … law") is fixed since
# the eighteenth session: the instructions gate asks that the passage bind the processing to instructions; the
# assist-dpia one ("The Client decides whether a DPIA is required") since the thirty-first: the controller-alone
# gate reads "decides whether".
KNOWN_MISSES: set[tuple[str, str]] = {
    ("deletion-return", "near"),
}


def _status(analyzer, text: str, rid: str) -> str:
    chunk = Chunk(index=0, text=text, page=1, section="", context=text)
    probs = analyzer.score([chunk])
    return next(f for f in decide([chunk], probs, analyzer.matcher, analyzer.library)
                if f.requirement == rid).status.value


def _params():
    for rid, triple in CASES.items():
        for which, text in zip(("pos", "near", "neg"), triple):
            marks = [pytest.mark.xfail(strict=True, reason="known matcher miss")] \
                if (rid, which) in KNOWN_MISSES else []
            yield pytest.param(rid, which, text, id=f"{rid}-{which}", marks=marks)


@pytest.mark.parametrize(("rid", "which", "text"), list(_params()))
def test_sentence(analyzer, rid, which, text):
    status = _status(analyzer, text, rid)
    if which == "pos":
        assert status == "met"
    elif rid == "no-training" and which == "neg":
        assert status == "conflict"
    elif rid == "transfer-safeguards" and which == "neg":
        assert status == "conflict"
    else:
        assert status != "met"


@pytest.mark.parametrize("text", [
    "Acme may use Customer Data to improve its LLMs.",
    "Customer Data may be used for machine learning purposes.",
])
def test_a_reservation_without_the_word_model_or_train_is_a_conflict(analyzer, text):
    assert _status(analyzer, text, "no-training") == "conflict"


def test_cases_cover_every_requirement(analyzer):
    assert set(CASES) == set(analyzer.library.ids)


def test_a_literal_translation_is_read_in_the_gdprs_words_and_quoted_as_written(analyzer):
    """A generated DPA translated literally from Japanese (our own wording): the readers meet its duties through
    the library's synonyms, and each finding quotes the PDF's own words, with their page."""
    from .pdfgen import Heading, Para, make_pdf

    breach = ("The Entrustee shall cooperate with the Entrustor when the Entrustor reports a leakage of the "
              "entrusted personal data to the control authority, by giving it the information it needs.")
    liable = ("The Entrustee shall bear the full responsibility to the Entrustor for the performance of its "
              "obligations by each re-entrustee, as if it were the act of the Entrustee itself.")
    pdf = make_pdf([Heading("Personal Data Entrustment Agreement"),
                    Para("This agreement sets out how the Entrustee handles personal data entrusted to it."),
                    Heading("Article 7 (Leakage)"), Para(breach),
                    Heading("Article 9 (Re-entrustment)"), Para(liable)], header=None)
    report = analyzer.analyze_bytes(pdf, "entrustment.pdf")
    by_id = {f.requirement: f for f in report.findings}
    for rid, text in (("assist-breach-authority", breach), ("subprocessor-liability", liable)):
        f = by_id[rid]
        assert f.status.value == "met", (rid, f.why)
        assert any(e.text == text and e.page == 1 for e in f.evidence), (rid, f.evidence)
        assert "“Entrustee” as “Processor”" in f.why, f.why


@pytest.mark.parametrize(("preamble", "met"), [
    # a Brazilian DPA translated: the operador is the processor, so its breach notice meets the requirement
    ('Beta Sistemas Ltda., in its capacity as processor (hereinafter "the Operator"), and Gama S.A., in its '
     'capacity as controller (hereinafter "the Controller"), agree as follows.', True),
    # a Romanian one: the operator is the controller, telling no one but itself
    ('Delta S.R.L., acting as controller (hereinafter the "Operator"), and Epsilon S.A. (hereinafter the '
     '"Executor"), acting as processor, agree as follows.', False),
])
def test_a_dpa_that_defines_its_parties_is_read_by_its_own_definitions(analyzer, preamble, met):
    """The same clause (our own wording) meets breach-notification or not, as the document defines "the
    Operator" (pipeline/parties.py); the finding quotes it as written and says how it read it."""
    from .pdfgen import Heading, Para, make_pdf

    notice = ("The Operator shall notify the Controller without undue delay, and in any case within 48 hours, after "
              "becoming aware of a personal data breach affecting the personal data.")
    pdf = make_pdf([Heading("Data Processing Contract"), Para(preamble), Heading("Article 6 (Breaches)"),
                    Para(notice)], header=None)
    f = next(f for f in analyzer.analyze_bytes(pdf, "contract.pdf").findings if f.requirement == "breach-notification")
    assert (f.status.value == "met") is met, f.why
    if met:
        assert [e.text for e in f.evidence][:1] == [notice], f.evidence


def test_a_trained_model_records_the_package_versions_it_was_built_with():
    """The same recipe gives another model under other scikit-learn or numpy versions (thirty-sixth session), so
    ``scripts/train_matcher.py`` writes them into the model's metadata."""
    import importlib.util

    import numpy as np

    from .conftest import ROOT

    spec = importlib.util.spec_from_file_location("train_matcher", ROOT / "scripts" / "train_matcher.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    versions = module.package_versions()
    assert set(versions) == {"scikit-learn", "numpy", "scipy", "sentence-transformers", "torch"}
    assert versions["numpy"] == np.__version__

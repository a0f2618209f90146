"""The party labels a DPA defines itself (pipeline/parties.py), read in the GDPR's words for that document only."""

from __future__ import annotations

import pytest

from pipeline.library import load_library
from pipeline.models import Chunk
from pipeline.parties import defined_parties, party_roles
from pipeline.wording import document_words, in_gdpr_words, reader_view, words_read


def _chunks(*texts: str) -> list[Chunk]:
    return [Chunk(index=i, text=t, page=1, section="", context=t) for i, t in enumerate(texts)]


def _roles(*texts: str) -> dict[str, str]:
    return party_roles(_chunks(*texts))


@pytest.mark.parametrize(("text", "roles"), [
    # a Brazilian DPA translated: the operador is the processor
    ('Beta Sistemas Ltda., in its capacity as processor (hereinafter "the Operator"), and Gama S.A., in its '
     'capacity as controller (hereinafter "the Controller").', {"Operator": "Processor"}),
    # a Romanian one: the operator is the controller, the person empowered the processor
    ('Delta S.R.L., acting as controller (hereinafter the "Operator"), and Epsilon S.A. (hereinafter the '
     '"Executor"), acting as processor.', {"Operator": "Controller", "Executor": "Processor"}),
    ("The Executor acts as the data processor and the Beneficiary acts as the controller.",
     {"Executor": "Processor", "Beneficiary": "Controller"}),
    ('"Operator" means the processor engaged under this contract.', {"Operator": "Processor"}),
    ('This contract is made between Party A (the Controller) and Party B ("Processor").',
     {"Party A": "Controller", "Party B": "Processor"}),
    # the role goes to the label next to it, not to the next party's
    ('Beta Ltda. (the "Operator"), acting as processor, and the "Beneficiary", acting as controller.',
     {"Operator": "Processor", "Beneficiary": "Controller"}),
    # not a company's short name, a label the readers know, a group or a set of clauses "means" a role and more
    ('Acme Inc. ("Acme"), acting as processor, and the Customer.', {}),
    ('Acme Inc. (the "Supplier"), acting as processor.', {}),
    ('"Acme Group" means the Processor and its Affiliates.', {}),
    ('"Standard Contractual Clauses" means the controller to processor clauses of 2021.', {}),
    ('"Operator" means the natural or legal person who processes personal data on behalf of the controller.', {}),
])
def test_the_parties_a_dpa_defines(text, roles):
    assert _roles(text) == roles


def test_a_label_given_both_roles_is_left_as_it_is():
    assert _roles('Zeta Ltd. (hereinafter "the Operator"), acting as processor.',
                  '"Operator" means the controller under clause 2.') == {}


def test_only_the_preamble_defines_the_parties():
    filler = [f"Clause {i} sets out a term of the agreement." for i in range(60)]
    late = 'Zeta Ltd. (hereinafter "the Operator"), acting as processor.'
    assert _roles(late) and not defined_parties(_chunks(*filler, late))


def test_a_document_reads_its_own_labels_before_the_librarys_synonyms():
    """The same sentence reads "Processor" in one document and "Controller" in the other; evidence stays as
    written, and the why can say which words it read otherwise."""
    lib = load_library()
    duty = "The Operator shall assist the Beneficiary with any data protection impact assessment."
    brazil = _chunks('Beta Ltda., in its capacity as processor (hereinafter "the Operator").', duty)
    romania = _chunks('Delta S.R.L., acting as controller (hereinafter the "Operator").', duty)
    assert reader_view(lib, brazil)[1].text == ("The Processor shall assist the Controller with any data protection "
                                                "impact assessment.")
    assert reader_view(lib, romania)[1].text.startswith("The Controller shall assist the Controller")
    assert brazil[1].text == duty  # the chunks themselves are not changed
    assert "“Operator” as “Processor”" in words_read(lib, duty, document_words(lib, brazil))
    # with no document, only the library's synonyms: "the Operator" is left, "the Beneficiary" read
    assert in_gdpr_words(lib, duty).startswith("The Operator shall assist the Controller")


def test_threshold_tuning_reads_each_documents_own_labels_as_decide_does():
    """``train.doc_max`` gates passages through ``gate_mask``: with their documents it reads the party labels each
    document defines, so a Romanian DPA's controller ("the Operator") doing its own impact assessment is no
    evidence of the processor's help, and the same sentence in a document that defines no party is read as written."""
    from pipeline.gate import gate_mask

    lib = load_library()
    preamble = 'XYZ S.R.L., acting as controller (hereinafter "the Operator"), and Acme as processor.'
    duty = "The Operator shall carry out any data protection impact assessment the processing requires."
    texts = [preamble, duty, "This DPA forms part of the Agreement.", duty]
    docs = ["ro.pdf", "ro.pdf", "other.pdf", "other.pdf"]
    by_doc = gate_mask(lib, ["assist-dpia"], texts, texts, docs)[:, 0]
    as_written = gate_mask(lib, ["assist-dpia"], texts, texts)[:, 0]
    assert not by_doc[1] and by_doc[3]
    assert as_written[1] and as_written[3]


@pytest.mark.parametrize(("texts", "served"), [
    # the party the processor acts for or helps, whatever the DPA calls it (thirty-third session, set w)
    (["The Provider processes pupil data only on behalf of the School."], ["School"]),
    (["The Provider will help the School answer a parent's request."], ["School"]),
    (["Acme gives the Institution the information and cooperation the Institution reasonably needs."],
     ["Institution"]),
    # not the one that processes or has sub-processors, a label the readers know, an authority, a product, a team
    (["The Agent processes the data on behalf of the Principal.", "The Agent shall process it on behalf of the "
      "Agent's own clients.", "The Agent's sub-processors act on behalf of the Agent."], ["Principal"]),
    (["Acme shall assist the Customer and notify the Supervisory Authority."], []),
    (["Acme provides access to the Facilities and will provide the Services."], []),
    (["People managers must inform the Operations team of any change."], []),
    # … at whose request the processor acts (thirty-fourth session, set z); not an authority's
    (["At the Practice's written request, the Vendor will send the notification letters."], ["Practice"]),
    (["At the Supervisory Authority's request, the Vendor will send the records."], []),
    # … the party helped named only in a condition, or "helping" it (thirty-fifth session, set aa); not where the
    # condition names the helper itself
    (["Should the Employer need to consult the regulator before a new project, the Provider will help with the "
      "answers."], ["Employer"]),
    (["The Vendor shall be helping the Practice with its impact assessments."], ["Practice"]),
    (["If the Vendor must disclose the data to a court, the Vendor will cooperate with the court."], []),
    # … or "supply what the School needs" (set ab)
    (["The Vendor will supply what the Clinic needs for its impact assessment."], ["Clinic"]),
])
def test_the_party_a_dpa_serves(texts, served):
    from pipeline.parties import served_parties

    assert served_parties(_chunks(*texts)) == served


def test_a_served_label_is_read_as_the_controller_unless_defined_or_known():
    """"The Provider will assist the School" is the processor's help to the controller (Art. 28(3)(f)); a label the
    preamble defines keeps its role, and one the library's synonyms already read ("the Processing Entity", a
    Polish DPA's processor) is left to them."""
    lib = load_library()
    help_ = "The Provider will assist the School with any data protection impact assessment."
    assert reader_view(lib, _chunks(help_))[0].text == ("The Provider will assist the Controller with any data "
                                                          "protection impact assessment.")
    defined = _chunks('Acme Ltd. (hereinafter "the School"), acting as processor.', help_)
    assert reader_view(lib, defined)[1].text.startswith("The Provider will assist the Processor")
    polish = _chunks("The Entrusting Party shall assist the Processing Entity with its records.")
    assert reader_view(lib, polish)[0].text == "The Controller shall assist the Processor with its records."

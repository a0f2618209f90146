"""The rule readers of pipeline/duties.py and pipeline/assist.py, on sentences of our own.

Each reader must find the duty however it is worded (by article number, in words, or as an item under an
assistance lead-in) and must not find it where the controller is the one acting, where the law is only quoted,
or where the passage is a definition. The end-to-end cases check that ``decide`` meets the requirement through
the rule when no passage scores, and cites the sentence that states it.
"""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.assist import assist_chunks, assisted_duties, breach_info_finder, cited_articles, request_help_chunks
from pipeline.compliance import compliance_info_chunks
from pipeline.duties import (
    RULES,
    breach_content_chunks,
    changes_chunks,
    confidential_chunks,
    encryption_chunks,
    flowdown_chunks,
    government_request_chunks,
    infringing_chunks,
    legal_notice_chunks,
    liability_chunks,
    measures_chunks,
    objection_chunks,
    residency_chunks,
    security_risk_chunks,
    subprocessor_list_chunks,
)
from pipeline.export import LOW_CONFIDENCE
from pipeline.library import load_library
from pipeline.match import MatcherModel, decide
from pipeline.models import BlockKind, Chunk
from pipeline.textrx import has, norm, subject_does

ALL_FIVE = ["assist-security", "assist-breach-authority", "assist-breach-subjects", "assist-dpia",
            "assist-prior-consultation"]


def chunks(*sentences: str, section: str = "7. Assistance") -> list[Chunk]:
    """One chunk per sentence, each its own paragraph, all in one section."""
    return [Chunk(index=i, text=s, page=1, section=section, kind=BlockKind.PARAGRAPH, block=i, context=s)
            for i, s in enumerate(sentences)]


@pytest.mark.parametrize(("text", "articles"), [
    ("under Article 32 of the GDPR", {32}),
    ("pursuant to Arts. 33 and 34 GDPR", {33, 34}),
    ("as set out in Article 28(3)(f)", {28}),
    # A range is the Art. 28(3)(f) umbrella, read apart (assist.umbrella_chunks, a weaker rule).
    ("with its obligations under Articles 32 to 36 GDPR", set()),
    ("under Articles 32-36", set()),
])
def test_cited_articles(text, articles):
    assert cited_articles(text) == articles


@pytest.mark.parametrize(("text", "duties"), [
    ("Acme shall help the Customer meet its obligations under Article 32 GDPR.", ["assist-security"]),
    ("The Supplier will assist the Client with its duties regarding the security of processing.",
     ["assist-security"]),
    ("Acme will provide the Customer with reasonable assistance with any data protection impact assessment and "
     "any prior consultation of a supervisory authority.", ["assist-dpia", "assist-prior-consultation"]),
    ("If a personal data breach occurs, Acme will help the Customer notify the competent supervisory authority "
     "and tell the affected data subjects.", ["assist-breach-authority", "assist-breach-subjects"]),
    ("Acme will cooperate with the Customer so that it can meet its obligations in relation to a Security "
     "Incident.", ["assist-breach-authority", "assist-breach-subjects"]),
    ("We will support you in complying with Articles 33 and 34 GDPR.",
     ["assist-breach-authority", "assist-breach-subjects"]),
    ("Acme will support the Client in its data breach notification procedures.",
     ["assist-breach-authority", "assist-breach-subjects"]),
    # The processor's own notification process is no help to the controller.
    ("Acme follows an incident notification process and will inform the Customer of any breach.", []),
    # The controller helping the processor, a refusal, a bare quote of the law, the processor's own notice.
    ("The Customer shall cooperate with Acme on any DPIA of the Customer.", []),
    ("Acme is not obliged to assist the Customer with prior consultations.", []),
    ("Article 35 GDPR requires a data protection impact assessment for high-risk processing.", []),
    ("Acme will notify the Customer of a personal data breach without undue delay.", []),
    # Informing data subjects outside a breach is no Art. 34 help.
    ("Acme will help the Customer inform data subjects about the processing.", []),
    # The customer under other names; the duty named a little further off.
    ("Acme shall assist the Subscriber in carrying out data protection impact assessments and prior "
     "consultations with the "
     "supervisory authority.", ["assist-dpia", "assist-prior-consultation"]),
    ("The Processor will help the Company meet its obligations regarding information security.", ["assist-security"]),
    ("Acme will assist the Client with consultations with (or filings to) the relevant regulatory authorities.",
     ["assist-prior-consultation"]),
    ("Acme will assist the Customer with any obligations of the Customer in respect of security of personal data "
     "and personal data breaches.", ["assist-security", "assist-breach-authority", "assist-breach-subjects"]),
    # The authority named by an adjective.
    ("Acme will support the Client with its duties concerning privacy impact assessments and prior supervisory "
     "consultations.", ["assist-dpia", "assist-prior-consultation"]),
    # Twenty-fourth session: the authority as "the relevant authority", the data subjects as the users or people
    # concerned, in a breach passage; the controller's request is not the controller helping.
    ("The Supplier gives the Client all assistance needed to report a personal data breach to the relevant "
     "authority.", ["assist-breach-authority"]),
    ("We will help you tell the people concerned about a breach of their personal data.", ["assist-breach-subjects"]),
    ("Acme will cooperate with the Customer so it can inform impacted users of a security incident.",
     ["assist-breach-subjects"]),
    ("Acme helps the Customer answer the requests and claims of affected persons under Chapter III.", []),
    ("Upon the Customer's request, Acme will assist the Customer with data protection impact assessments.",
     ["assist-dpia"]),
    # Twenty-fifth session: help given without naming to whom, and end users as the people told of a breach.
    ("(c) at the Client's request, the Supplier shall render all reasonable assistance in telling the data "
     "subjects about a personal data breach.", ["assist-breach-subjects"]),
    ("Where a security incident must be communicated to end users, Acme provides the Customer with timely support.",
     ["assist-breach-subjects"]),
    ("The Customer shall provide reasonable assistance to Acme in informing end users of an incident.", []),
    ("Reasonable support shall be given by Acme to the Principal in notifying affected data subjects of a data "
     "breach.", ["assist-breach-subjects"]),
    ("Acme will cooperate with the Client on any notices the Client must send to impacted consumers after a "
     "security breach.", ["assist-breach-subjects"]),
    ("Acme shall provide the Client with the documentation the Client reasonably requires for its DPIA.",
     ["assist-dpia"]),
    ("Acme will cooperate with the Customer so that it can meet its obligations under the GDPR to implement "
     "appropriate technical and organisational measures.", ["assist-security"]),
    ("Acme shall provide the Client with the information it requires about the Services.", []),
    ("Acme will provide reasonable assistance so that end users can use the product.", []),
    # Twenty-sixth session: the controller named in a condition before the help.
    ("Should the Client need to consult its supervisory authority before processing, Acme will help it do so.",
     ["assist-prior-consultation"]),
    ("If the Client asks, the Client will consult the supervisory authority itself.", []),
    ("The Supplier shall give the Buyer reasonable help in reporting a data breach to the Information Commissioner.",
     ["assist-breach-authority"]),
    ("Should you run a DPIA on a use of our service, we will give you the details you need on how "
     "we process the data.", ["assist-dpia"]),
    # Twenty-seventh session, from blind set k: a questionnaire's answer, the Organisation as the customer, Canada's
    # and Australia's Privacy Commissioner.
    ("Will you help us notify the regulator if a breach hits our data? Yes, we send you everything the notice "
     "needs.", ["assist-breach-authority"]),
    ("Q: Would you support our DPIA? A: Yes. We answer your questions about the service.", ["assist-dpia"]),
    ("Q: Would you support our DPIA? A: No, that is the customer's own task.", []),
    ("Acme shall help the Organisation report a privacy breach to the Privacy Commissioner.",
     ["assist-breach-authority"]),
    # Twenty-seventh session, from blind set j: a long condition that names the controller before the help.
    ("Where the data exporter has to inform the individuals concerned of a personal data breach because the breach "
     "is likely to put their rights and freedoms at high risk, the data importer shall assist it with that.",
     ["assist-breach-subjects"]),
    # Twenty-eighth session, from blind set m: "security duties", "warn" the people a breach affects.
    ("We'll help you meet your own security duties under the GDPR.", ["assist-security"]),
    ("If a breach means you must warn the people affected, we'll help you do it.", ["assist-breach-subjects"]),
    ("If a breach means you must warn the people affected, you alone decide how to do it.", []),
    # Twenty-eighth session, from blind set n: the Consignor / the Responsible, "collaborate", the persons in
    # question, the "control authority", a DPIA translated as an evaluation of impact (EIPD)
    ("The Consignee shall cooperate with the Consignor when the Consignor notifies the persons in question of a "
     "leakage of the entrusted personal information.", ["assist-breach-subjects"]),
    ("If the Responsible must communicate the breach to the affected persons, Acme will collaborate with him.",
     ["assist-breach-subjects"]),
    ("Acme will give support to the Responsible for notifying breaches of security to the control authority.",
     ["assist-breach-authority"]),
    ("Acme will help the Responsible to carry out the evaluations of impact related to data protection (EIPD).",
     ["assist-dpia"]),
    ("Acme shall assist the person responsible for security in its impact evaluations of new products.", []),
    # Thirtieth session, from blind sets r and s: an HR product's "affected employees"; the authority named far
    # after the notice ("to notify a breach that affects the Client's workspace to the competent supervisory
    # authority")
    ("Acme shall assist the Client, on request, in notifying affected employees of a personal data breach.",
     ["assist-breach-subjects"]),
    ("Acme will give the Client the help it reasonably needs to notify a personal data breach affecting the "
     "Client's workspace data to the competent data protection supervisory authority.", ["assist-breach-authority"]),
    # Thirty-first session, from blind set v: the controller helped in the passive; a Romanian DPA's Operator
    ("The Client is supported by Acme in telling data subjects of a personal data breach.",
     ["assist-breach-subjects"]),
    ("The Client shall be assisted by Acme in its data protection impact assessments.", ["assist-dpia"]),
    ("The Client shall support Acme in its data protection impact assessments.", []),
    ("The Processor helps the Operator notify a personal data breach to the supervisory authority.",
     ["assist-breach-authority"]),
    # Thirty-second session, from blind set u: help given to a party the DPA names in its own words (not to the
    # processor)
    ("In the event of a personal data breach, the Recipient shall give the Institution all assistance reasonably "
     "required to notify the competent supervisory authority.", ["assist-breach-authority"]),
    ("The Client shall give the Processor all assistance required to notify the competent supervisory authority of "
     "a personal data breach.", []),
    # Thirty-third session, from blind sets w and n: security in the duty's own words, the people told named as
    # who they are, the help a little further after the condition that names the controller
    ("Acme will help the Client meet its obligations to keep the records it holds secure.", ["assist-security"]),
    ("When the Client must tell its students about a personal data breach, Acme will help with the wording.",
     ["assist-breach-subjects"]),
    ("In case the Client must notify a personal data breach to the supervisory authority, Acme shall provide the "
     "information and cooperation needed for it.", ["assist-breach-authority"]),
    ("In case the Client must notify a personal data breach to the supervisory authority, Acme shall not be "
     "obliged to provide cooperation.", []),
    # Thirty-fourth session (set y): a questionnaire's rows with no subject, answered yes (not no)
    ("Help w/ telling affected users of a breach (Art. 34)? - Yes, we draft the notice.", ["assist-breach-subjects"]),
    ("DPIA support? - Yes, we fill in your DPIA template.", ["assist-dpia"]),
    ("DPIA support? - No, not offered.", []),
    # the people told named bare (thirty-fourth session, set z)
    ("If the Client must notify patients of a personal data breach, Acme will help with the letters.",
     ["assist-breach-subjects"]),
    # Thirty-fifth session (set aa): a "duty" to keep the data secure; the people told of a breach in the passive
    ("Acme will help the Client meet its legal duty to keep staff records secure.", ["assist-security"]),
    ("If pupils have to be told about a personal data breach, Acme will help the Client write to them.",
     ["assist-breach-subjects"]),
    ("If pupils have to be told about a personal data breach, the Client will write to them.", []),
    # Thirty-fifth session (set ab): "security responsibilities"; the help to whom unsaid ("we help with"); what the
    # controller needs supplied; a row whose label is the help and whose value commits to it
    ("Acme will help the Client meet its security responsibilities for the records it holds.", ["assist-security"]),
    ("We help with Art. 34 notices to affected individuals.", ["assist-breach-subjects"]),
    ("The Client will help with Art. 34 notices to affected individuals.", []),
    ("When the Client carries out a data protection impact assessment, Acme will supply what the Client needs for "
     "it.", ["assist-dpia"]),
    ("DPIA support: we supply data-flow information and answer follow-up questions.", ["assist-dpia"]),
    ("DPIA support: not offered.", []),
    # Thirty-sixth session (set ae): the regulator "must be consulted" before the help; callers told of a breach
    ("If your regulator must be consulted before you start, we will help you with that consultation.",
     ["assist-prior-consultation"]),
    ("If your regulator must be consulted before you start, you will handle that consultation.", []),
    ("Do you have to tell your callers about a breach? We will help you do it.", ["assist-breach-subjects"]),
])
def test_assisted_duties(text, duties):
    assert assisted_duties(text) == duties


@pytest.mark.parametrize(("text", "found"), [
    ("Acme gives the Client the details of a personal data breach so that the Client can notify the supervisory "
     "authority.", True),
    ("Where the Client must report a breach, all information available to Acme shall be supplied to the Client to "
     "support that report.", True),
    ("Acme gives the Client the details of a personal data breach so that the Client can assess it.", False),
])
def test_breach_information_given_for_the_controllers_notice_to_the_authority(text, found):
    # Twenty-fifth session: the information "to support" the controller's notice, or given "so that" it can notify.
    assert bool(breach_info_finder("assist-breach-authority")(chunks(text))) is found


def test_this_includes_assistance_continues_the_clause_that_offers_it():
    clause = "Acme will give the Customer reasonable cooperation and assistance after a personal data breach."
    text = "This includes assistance with communicating the breach to the supervisory authority."
    assert assisted_duties(text, clause) == ["assist-breach-authority"]
    assert assisted_duties(text, "The Customer shall document every personal data breach.") == []


def test_list_items_inherit_the_assistance_lead_in():
    """'Acme will assist the Customer with: (a) …; (b) …' — each item names one duty, the lead-in the help."""
    cs = chunks("Acme will provide reasonable assistance to the Customer with:",
                "(a) data protection impact assessments;", "(b) prior consultations with a supervisory authority.",
                "Acme keeps backups for 30 days.")
    assert [c.text for c, _ in assist_chunks("assist-dpia")(cs)] == [cs[1].text]
    assert [c.text for c, _ in assist_chunks("assist-prior-consultation")(cs)] == [cs[2].text]
    # A lead-in ends with its section: the next section's list is not assistance.
    other = cs[:1] + chunks("(a) data protection impact assessments;", section="8. Audits")
    assert not assist_chunks("assist-dpia")(other)


@pytest.mark.parametrize(("text", "found"), [
    ("Acme implements technical and organisational measures appropriate to the risk of the processing.", True),
    ("The Processor shall protect personal data against accidental destruction, loss and unauthorised "
     "disclosure.", True),
    ("Acme keeps security controls proportionate to the risks presented by processing.", True),
    ("'Personal Data Breach' means a breach of security leading to the accidental destruction or loss of data.",
     False),
    ("The Customer confirms that these measures are appropriate to the risk.", False),
    ('"Security Controls" shall mean the safeguards that protect data against accidental loss, alteration or '
     "destruction.", False),
    ("Article 32 GDPR stipulates that measures must be appropriate to the risk.", False),
    ("Acme encrypts all data at rest.", False),
    # A breach notice names the same harms: "breaches of security leading to …" is no measure.
    ("If Acme learns of breaches of security that destroy, alter or disclose the data, it tells the client.",
     False),
    # Twenty-sixth session: the controller's own judgement of the risk; both parties' duty still counts.
    ("The Client shall decide whether Acme's measures are appropriate to the risks of its processing.", False),
    ("4.2 Acme and the Client shall each keep security measures appropriate to the risk.", True),
])
def test_security_risk(text, found):
    assert bool(security_risk_chunks(chunks(text))) is found


@pytest.mark.parametrize(("text", "found"), [
    ("Acme will make available to the Customer all information necessary to demonstrate compliance with "
     "Article 28 GDPR.", True),
    ("On request, the Processor provides the information needed to demonstrate its compliance with this DPA.",
     True),
    ("The Customer shall provide Acme with any information necessary to demonstrate compliance.", False),
    ("Acme will make its security policies available on request.", False),
    ("On request, Acme shall supply documentation evidencing the implementation of its technical and "
     "organisational measures.", True),
    ("The Customer shall provide records demonstrating its compliance with the law.", False),
    ("Upon written request, Acme will make available the documents reasonably needed to demonstrate that its "
     "processing complies with this DPA.", True),
    ("Acme shall make available to the Customer information regarding its compliance with this DPA.", True),
    ("Acme will provide information about the processing on request.", False),
    ("Acme is not required to provide any information about its compliance.", False),
    ("When asked, Acme will present information concerning its compliance with this DPA to the Customer.", True),
    ("Information about the Customer's compliance with the present Agreement stays with the Customer.", False),
    ("To demonstrate its compliance with this DPA, Acme will make its audit reports available to the Customer.",
     True),
    ("Acme will give the Customer the information reasonably needed to verify that Acme complies with this DPA.",
     True),
    ("Acme will make all information necessary to demonstrate compliance available on request.", True),
    ("To demonstrate compliance, the Customer shall keep records of its instructions.", False),
    # What is made available, then what for.
    ("Acme keeps a register of its processing and will make that record available to the Customer when asked, for "
     "instance to help the Customer demonstrate compliance.", True),
    ("The Customer shall make its records available to the supervisory authority to demonstrate compliance.", False),
    # Twenty-fourth session: evidence or proof of compliance, "to evidence compliance … share", the processor
    # demonstrating its compliance to the customer itself, and a request that is the customer's, not its act.
    ("To evidence compliance with this DPA, Acme will share its SOC 2 report with the Customer.", True),
    ("On request, Acme provides its ISO 27001 certificate as evidence of compliance with its security obligations.",
     True),
    ("Acme gives the Customer proof of compliance with the agreed measures once a year.", True),
    ("Acme shall, on request, demonstrate to the Customer its compliance with this DPA.", True),
    ("The Customer shall demonstrate to the supervisory authority its compliance with the GDPR.", False),
    ("At the Customer's request, Acme will make available all information necessary to demonstrate compliance with "
     "Article 28.", True),
    ("Acme keeps records of its processing to demonstrate its compliance with the GDPR.", False),
    # Twenty-fifth session: reports or certificates that show compliance, and documentation that establishes that
    # the requirements of Article 28 are met.
    ("On request, Acme makes available its audit reports and ISO certificates, which show that it complies with this "
     "DPA.", True),
    ("On request, the Processor provides the documents needed to establish that the Article 28 obligations are "
     "fulfilled.", True),
    ("The Customer shall establish the requirements for the reports it wants.", False),
    # Art. 28(3)(h) is about the processor's own compliance, not a sub-processor's.
    ("On request, Acme provides a third-party audit report on its sub-processor's operations to verify compliance "
     "with these obligations.", False),
    # Twenty-sixth session: shared at the processor's discretion is no duty to share.
    ("Acme may, at its sole discretion, provide information about its compliance with this DPA.", False),
    # a questionnaire's row answered yes, not no (thirty-fourth session, set y)
    ("Info to demonstrate compliance w/ Art. 28? - Yes, policies and certificates on request.", True),
    ("Info to demonstrate compliance w/ Art. 28? - No.", False),
    ("Compliance information: all information needed to demonstrate Art. 28 compliance, on request.", True),
    ("Compliance information: see clause 9.", False),
    # "make accessible", a translation's "make available" (thirty-fifth session, set aa)
    ("Acme shall make accessible to the Client all information needed to demonstrate that the Article 28 obligations "
     "are met.", True),
    ("The Client shall make accessible to Acme all information needed to demonstrate that the Article 28 obligations "
     "are met.", False),
    ("On request we hand over all information needed to demonstrate our compliance with Article 28.", True),
])
def test_compliance_information(text, found):
    assert bool(compliance_info_chunks(chunks(text))) is found


def test_compliance_information_as_items_under_a_lead_in():
    # Art. 28(3)(h) stated as a list: the lead-in provides, the item names what shows compliance.
    doc = chunks("Upon request, Acme shall provide to the Customer:",
                 "(a) an ISO 27001 certificate; or",
                 "(b) other documentation reasonably evidencing the implementation of the security measures.")
    assert [c.text[:3] for c, _ in compliance_info_chunks(doc)] == ["(b)"]
    # The same items under a lead-in in which the customer provides are not the processor's duty.
    doc[0].text = "Upon request, the Customer shall provide to Acme:"
    assert compliance_info_chunks(doc) == []


@pytest.mark.parametrize(("then", "found"), [
    ("The documentation shall be available to the Customer on request.", True),
    ("Such records will be provided to the Customer within 14 days of a written request.", True),
    ("The documentation is not provided to third parties.", False),
    ("Acme reviews the measures once a year.", False),
])
def test_compliance_information_made_available_in_the_next_sentence(then, found):
    # Art. 28(3)(h) in two sentences: the documentation that proves compliance, then the one that makes it
    # available, naming it again. Both are evidence.
    kept = "Acme keeps documentation showing that it complies with its obligations under this DPA."
    hits = compliance_info_chunks(chunks(kept, then))
    assert [c.text for c, _ in hits] == ([kept, then] if found else [])
    # Only the same section's next sentence counts.
    doc = chunks(kept, then)
    doc[1].section = "9. Audits"
    assert compliance_info_chunks(doc) == []
    # A controller demonstrating its own compliance leaves no information for the next sentence to make available.
    own = "The Customer shall demonstrate its compliance with the GDPR to the Client's end users."
    assert compliance_info_chunks(chunks(own, then)) == []


@pytest.mark.parametrize(("text", "found"), [
    ("Acme will bind each sub-processor by a written contract to data protection obligations no less "
     "protective than those in this DPA.", True),
    ("Our subprocessors are bound by data protection agreements.", True),
    ("Acme may engage sub-processors with the Customer's general authorisation.", False),
    # "equivalent to those imposed on …" (thirty-fourth session, set y)
    ("When Acme re-entrusts the work to a re-consignee, it shall impose on it by written contract obligations for "
     "the protection of personal information equivalent to those imposed on Acme by this Agreement.", True),
    ("Acme remains liable for the acts and omissions of its sub-processors.", False),
    # Auditing compliance with the obligations binds no sub-processor to them; listing audit rights among the
    # obligations passed on does.
    ("The Customer may audit Acme's and its sub-processors' compliance with the data protection obligations of "
     "this DPA once a year.", False),
    ("Acme and its sub-processors may engage auditors to check compliance with the data protection obligations "
     "hereunder.", False),
    ("Each sub-processor contract imposes the same obligations as this DPA, including the Customer's right to "
     "audit.", True),
    ("Sub-processors are bound in writing by the same data protection obligations, including access for the "
     "Customer's auditors.", True),
    # Art. 28(4)'s last sentence is the liability, not the flow-down, unless the sentence also imposes the terms.
    ("Where a sub-processor fails to fulfil its data protection obligations under that written contract, Acme "
     "remains fully liable to the Customer for its performance.", False),
    ("Acme will stay liable to the Customer if a Subprocessor fails to meet its data protection obligations.", False),
    ("Acme shall impose on each sub-processor by written contract data protection terms no less protective than "
     "these, and remains liable for its sub-processors.", True),
    ("The data protection obligations of this DPA are mandated by contract on each sub-processor, and Acme remains "
     "fully liable for them.", True),
    ("Acme shall enter into a written agreement with each sub-processor that places on it obligations comparable to "
     "those of this DPA.", True),
    ("Acme shall impose the obligations set out in this DPA on each sub-processor in writing.", True),
    ("Acme's contract with a sub-processor gives effect to the terms of this Agreement so that they apply to the "
     "sub-processor.", True),
    ("Sub-processors process the data under the terms of this DPA.", False),
    ("Acme will sign a written contract with each subprocessor that imposes data protection requirements on it "
     "consistent with this Addendum.", True),
    ("Engaging a subcontractor requires that Acme makes sure the subcontractor fulfils Acme's duties under this DPA.",
     True),
    ("Acme may engage sub-processors to fulfil its own obligations under this DPA.", False),
    # the customer's consent is the subject of the sentence only where it is its subject
    ("You agree that Acme may pass its obligations on to a sub-processor, but only by a written contract that "
     "imposes on it obligations no less onerous than these terms.", True),
    ("You may require Acme to show that each sub-processor is bound by written obligations no less onerous than "
     "these terms.", False),
])
def test_flowdown(text, found):
    assert bool(flowdown_chunks(chunks(text))) is found


# Sub-processor liability (Art. 28(4)), encryption (Art. 32(1)(a)), a customer-chosen data region, authority
# requests announced to the customer, infringing instructions (Art. 28(3) last subpara.), security measures
# (Art. 32(1)), confidentiality (Art. 28(3)(b)), the sub-processor list and a legal requirement announced
# (Art. 28(3)(a)), the right to object to a new sub-processor (Art. 28(2)): sentences each reader must and must
# not find.
@pytest.mark.parametrize(("reader", "text", "found"), [
    (liability_chunks, "Acme remains fully liable to the Customer for the performance of its sub-processors' "
     "obligations.", True),
    (liability_chunks, "Where a subprocessor fails to meet its obligations, Acme shall remain responsible for its "
     "acts and omissions.", True),
    (liability_chunks, "Acme will be liable for the actions of its subprocessors as if they were its own.", True),
    (liability_chunks, "Acme bears full liability towards the Customer for the activities of its sub-processors.",
     True),
    (liability_chunks, "Acme shall not be liable for sub-processors engaged on the Customer's instructions.", False),
    # Twenty-fourth session: "are responsible", "held liable", "answerable", for faults, damage or work.
    (liability_chunks, "We are responsible for the acts and omissions of our subprocessors as if they were our own.",
     True),
    (liability_chunks, "Acme shall be held liable for any damage caused by its sub-processors.", True),
    (liability_chunks, "The Supplier remains accountable for all work performed by its subcontractors.", True),
    (liability_chunks, "If a sub-processor fails its data protection duties, Acme stays fully answerable to the "
     "Customer for its performance.", True),
    (liability_chunks, "The data exporter shall be liable to the data subject for any damages that the data importer "
     "or its sub-processor causes.", False),
    (liability_chunks, "The Customer is responsible for reviewing the sub-processor list.", False),
    (liability_chunks, "Acme is responsible for ensuring that its sub-processors are bound by the same "
     "obligations.", False),
    # Twenty-fifth session: the sub-processor as a third-party service provider or processor; "you" is the customer.
    (liability_chunks, "Acme is responsible to the Customer for any failure of a third-party service provider it "
     "engages to meet its obligations.", True),
    (liability_chunks, "You are liable for the conduct of any third-party processor you choose to connect.", False),
    (liability_chunks, "Acme remains fully liable for any breach of this DPA caused by a downstream processor.", True),
    (liability_chunks, "Each sub-processor shall be liable to Acme for any breach of its sub-processing contract.",
     False),
    (objection_chunks, "Objections to a new sub-processor may be raised by the Client in writing within the notice "
     "period.", True),
    (objection_chunks, "Should the Client raise an objection to a proposed subcontractor, Acme will propose an "
     "alternative.", True),
    (legal_notice_chunks, "Unless the law forbids it, Acme will give the Client prior notice of any statutory "
     "requirement obliging it to process the data other than on the Client's instructions.", True),
    (legal_notice_chunks, "If a law forces Acme to handle the data otherwise than instructed, Acme tells the Client "
     "first.", True),
    (legal_notice_chunks, "The Client shall not upload data subject to additional regulatory requirements unless "
     "the parties have agreed on it in advance.", False),
    (confidential_chunks, "Everyone on the support team who can see client data signs a confidentiality agreement.",
     True),
    (objection_chunks, "The Client may object to a third-party processor that Acme plans to add, within ten days.",
     True),
    (confidential_chunks, "Anyone at Acme with access to the client's data has signed a non-disclosure agreement.",
     True),
    (confidential_chunks, "Before they are given access to production systems, Acme staff execute an NDA.", True),
    (confidential_chunks, "The Customer shall make sure its staff with access to the platform sign an NDA.", False),
    (encryption_chunks, "All customer data is encrypted at rest with AES-256.", True),
    (encryption_chunks, "To ensure throughout the processing a robust end-to-end encryption of the personal data.",
     True),
    (encryption_chunks, "Acme uses TLS encryption for data in transit.", True),
    (encryption_chunks, "Measures of pseudonymisation and encryption of personal data", False),  # a template heading
    (encryption_chunks, "Acme does not encrypt backups.", False),
    (encryption_chunks, "The Customer is responsible for encrypting the data it uploads.", False),
    (encryption_chunks, "Acme's security programme covers access control, encryption of customer data in transit "
     "and at rest, and logging.", True),
    (residency_chunks, "Where the Customer selects a hosting region, Acme stores the Customer Data in that region.",
     True),
    (residency_chunks, "Customer Data is processed in the data centre location chosen by the Customer.", True),
    # the customer told to choose "a hosting region" (twenty-seventh session, blind set k); data that stays there
    (residency_chunks, "The Client shall choose a hosting region that suits its own regulatory needs.", False),
    (residency_chunks, "Acme will not move Client data out of the region selected by the Client.", True),
    (residency_chunks, "The Customer may choose a plan that suits its needs.", False),
    (residency_chunks, "The Customer is located in the region where it is established.", False),
    (government_request_chunks, "If a law enforcement agency requests access to Customer Data, Acme will notify the "
     "Customer unless the law forbids it.", True),
    (government_request_chunks, "Acme will challenge any government order to disclose personal data that it "
     "considers unlawful.", True),
    (government_request_chunks, "Acme will notify the supervisory authority of a personal data breach within 72 "
     "hours.", False),
    (government_request_chunks, "The courts of Ireland have jurisdiction over this DPA.", False),
    (government_request_chunks, "Acme will tell the Customer of any inquiry about Customer Personal Data from a "
     "regulator or a law enforcement agency.", True),
    (government_request_chunks, "Acme reviews every government demand for customer data, rejects demands that are "
     "not legally binding and will only provide the data the order names.", True),
    (government_request_chunks, "Acme will provide information to help the Customer answer an investigation by a "
     "supervisory authority.", False),
    (government_request_chunks, "Such requests include an administrative agency's order about Customer Personal Data, "
     "where the law allows notifying the Customer.", True),
    (government_request_chunks, "A judicial order about Customer Data will be notified to the Customer unless the law "
     "forbids it.", True),
    (government_request_chunks, "Acme may ask its marketing agency to request feedback about the service and notify "
     "the Customer of the data it produces.", False),
    (infringing_chunks, "Acme will tell the Customer at once if it believes an instruction breaches the GDPR.", True),
    (infringing_chunks, "Should Acme consider that an instruction is contrary to data protection law, it shall "
     "alert the Customer.", True),
    (infringing_chunks, "The Customer shall notify Acme if its instructions conflict with applicable law.", False),
    # The passive is the processor's duty seen from the controller's side; "You agree to advise us" is the
    # controller's own (one pattern, textrx.CUSTOMER_TELLS, for this reader and the legal-requirement one).
    (infringing_chunks, "The Controller shall be informed at once if an instruction infringes the law.", True),
    (infringing_chunks, "The Customer shall promptly be informed where an instruction infringes the GDPR.", True),
    (infringing_chunks, "You agree to advise us without delay if any instruction you give infringes the law.", False),
    # Twenty-eighth session, from blind set m: a table row's "notice to", a plain request "to do something"
    (infringing_chunks, "Instruction deemed unlawful | immediate notice to the Client | execution may be suspended",
     True),
    (infringing_chunks, "Should you ask us to process data in a way we think violates privacy law, we'll tell you "
     "first.", True),
    (infringing_chunks, "You may ask us to process data for new purposes; we'll tell you the price first.", False),
    (liability_chunks, "If one of our sub-processors makes mistakes, that is on us: we remain fully liable to you "
     "for them.", True),
    (infringing_chunks, "Shall tell the Customer promptly if, in Acme's view, an instruction for the processing of the "
     "Customer's personal data that the Customer gives through the admin console infringes the GDPR;", True),
    (infringing_chunks, "Acme shall inform the Customer of any violation of information security within 24 hours "
     "and follow its instructions.", False),
    (measures_chunks, "Acme maintains technical and organisational measures to protect the Customer Data.", True),
    (measures_chunks, "We have implemented security measures described in Annex 2.", True),
    (measures_chunks, "The Customer shall implement appropriate technical and organisational measures for its own "
     "systems.", False),
    (measures_chunks, "'Security Measures' means the technical and organisational measures in Annex 2.", False),
    (measures_chunks, "Acme gives no commitment regarding the security measures it applies.", False),
    (measures_chunks, "Acme maintains security measures, including but not limited to those in Annex 2.", True),
    (measures_chunks, "Sensitive data transferred (if applicable) and applied restrictions or safeguards that take "
     "the nature of the data into account: none.", False),
    (confidential_chunks, "Acme ensures the confidentiality of customer data.", True),
    (confidential_chunks, "All staff with access to personal data sign confidentiality agreements.", True),
    (confidential_chunks, "The Parties shall keep the terms of this DPA confidential.", False),
    (confidential_chunks, "Sections 5 and 9 survive termination, including confidentiality.", False),
    (confidential_chunks, "Acme staff are not bound by any duty of confidentiality regarding the data.", False),
    # Confidentiality as what security measures protect is Art. 32(1)(b), not the Art. 28(3)(b) duty.
    (confidential_chunks, "Acme maintains technical and organisational measures to protect the security, "
     "confidentiality and integrity of customer data.", False),
    (confidential_chunks, "Traffic uses encrypted links (TLS 1.2 or later) to preserve the confidentiality of "
     "the data.", False),
    (confidential_chunks, "Acme maintains security measures, and every person authorised by acme.io to process "
     "the data is committed to confidentiality.", True),
    (subprocessor_list_chunks, "Our current sub-processors are listed at https://example.com/subprocessors.", True),
    (subprocessor_list_chunks, "As of the Effective Date, the subcontractors engaged by Acme are:", True),
    (subprocessor_list_chunks, "As a sub-processor, Acme undertakes the following obligations:", False),
    (subprocessor_list_chunks, "Acme may engage sub-processors with prior notice.", False),
    # where the list is, against a cross-reference to a rule stated elsewhere
    (subprocessor_list_chunks, "The names of the subprocessors Acme uses on the start date are set out in Annex C.",
     True),
    (subprocessor_list_chunks, "Acme answers for its sub-processors as for itself, except as otherwise set forth "
     "in the Agreement.", False),
    (subprocessor_list_chunks, "The notice period for sub-processor changes is as set out in section 4.", False),
    # a sub-processor called a sub data processor or another processor (Art. 28(2), 28(4))
    (liability_chunks, "Acme stays responsible to the Customer at all times for the compliance of its Sub Data "
     "Processors with this DPA.", True),
    (liability_chunks, "If another processor engaged by Acme breaches its data protection duties, Acme remains "
     "responsible for the performance of that other processor's obligations.", True),
    (flowdown_chunks, "Where Acme engages another processor, that processor shall be bound by contract to the same "
     "data protection obligations as Acme under this DPA.", True),
    (objection_chunks, "The Customer may object to a new sub-processor within 14 days of the notice.", True),
    (objection_chunks, "Customer shall have the right to object to Acme's appointment of a subprocessor.", True),
    (objection_chunks, "The Customer may not object to sub-processors that host the service.", False),
    (objection_chunks, "Data subjects may object to the processing carried out by any sub-processor.", False),
    # Twenty-fourth session: a veto or refusal, a number of days to object, an objection with the new
    # sub-processor not used as its effect, and Art. 28(2)'s "further processor".
    (objection_chunks, "The Customer has the right to veto the appointment of any new sub-processor.", True),
    (objection_chunks, "The Client may refuse a new subcontractor for good cause within two weeks of the notice.",
     True),
    (objection_chunks, "You have 30 days after our notice to tell us that you object to a new sub-processor.", True),
    (objection_chunks, "If the Customer raises a justified objection, Acme will not use the new sub-processor.", True),
    (objection_chunks, "The Controller may oppose the engagement of a further processor within 14 days.", True),
    (objection_chunks, "The Customer has 30 days to pay each invoice for sub-processor costs.", False),
    (objection_chunks, "The Customer may object to processing that it considers unlawful.", False),
    # the right in other words, with a window or an effect (Art. 28(2))
    (objection_chunks, "Acme engages no new sub-processor unless you were told beforehand and given the option to "
     "object within 20 days.", True),
    (objection_chunks, "If the Customer raises a written objection to a new sub-processor, both parties will try to "
     "resolve it in good faith.", True),
    (objection_chunks, "Acme lists new sub-processors online, giving the Customer the opportunity to object.", False),
    # as a condition with its effect, or as a right to reject
    (objection_chunks, "Should the Customer object to an added sub-processor within 21 days, it may end the "
     "service.", True),
    (objection_chunks, "If the Client does not approve a new subcontractor, it may terminate the contract at once.",
     True),
    (objection_chunks, "Acme adds the sub-processor to its list if the Customer does not object within 10 days.",
     True),
    (objection_chunks, "The Customer can reject a proposed sub-processor.", True),
    (objection_chunks, "The Customer does not have the right to object to Acme's sub-processors.", False),
    (objection_chunks, "If the Customer objects to a sub-processor, it shall say why.", False),
    (objection_chunks, "If you object to a change of sub-processors, you may tell Acme and stop using the service.",
     True),
    (changes_chunks, "Acme will notify the Customer of any new sub-processor at least 30 days in advance.", True),
    (changes_chunks, "Acme engages a subcontractor only after informing the Client in writing of its name.", True),
    (changes_chunks, "Acme shall not add a sub-processor without informing the Customer first.", True),
    (changes_chunks, "Acme shall not add sub-processors unless notified to the Customer in advance.", True),
    (changes_chunks, "Acme may replace sub-processors without notice to the Customer.", False),
    (changes_chunks, "The Customer may object to a new sub-processor by notifying Acme within 10 days.", False),
    (changes_chunks, "Acme will not inform the Customer of changes to its sub-processors.", False),
    # notice given rather than a notifying verb; not the customer's notice that ends or objects, nor a notice
    # stated elsewhere
    (changes_chunks, "Acme shall give the Customer fourteen (14) days' written notice of any additional "
     "sub-processor.", True),
    (changes_chunks, "Where Acme wants to add a subprocessor: (i) Acme sends the Customer notice of the new "
     "subprocessor before it accesses any data; and (ii) the Customer may object to it by sending Acme written "
     "notice within 10 days.", True),
    (changes_chunks, "If no solution is found, the Customer may terminate the Service that depends on the new "
     "sub-processor by giving written notice to Acme.", False),
    (changes_chunks, "Within 10 days of Acme providing such notice, the Customer may object to the new "
     "sub-processor.", False),
    (changes_chunks, "The Customer shall be informed in advance of any additional or replacement "
     "subcontractor.", True),
    (changes_chunks, "The Customer shall inform Acme of any change to its own sub-processors.", False),
    (objection_chunks, "The Customer shall tell Acme if it objects to a proposed change of sub-processors, in "
     "writing within 7 days of the notice.", True),
    (objection_chunks, "Should the Client disagree with a new subprocessor, it may end the contract with one "
     "month's notice.", True),
    (objection_chunks, "Acme tells the Customer of each new sub-processor two weeks ahead, which gives the Customer "
     "enough time to object before the engagement.", True),
    (objection_chunks, "The Subscriber may reasonably object to a new Sub-processor.", True),
    (objection_chunks, "c. Licensee objects to a new sub-processor and Acme offers no alternative within 60 days.",
     True),
    (objection_chunks, "c. Licensee objects to a new sub-processor.", False),  # no window, no effect
    (objection_chunks, "If the Customer notifies Acme in writing of any objection to a new subprocessor, Acme will "
     "work with the Customer in good faith on an alternative.", True),
    (objection_chunks, "The Customer may, where it has reasonable grounds relating to data protection or security, "
     "object to a new sub-processor.", True),
    (confidential_chunks, "Acme makes sure that each person it authorizes to process the data is subject to a "
     "suitable duty of confidentiality.", True),
    (confidential_chunks, "Every employee processing Customer Data is bound by a confidentiality undertaking.", True),
    (confidential_chunks, "Acme only lets staff who are committed to data secrecy process the data.", True),
    (confidential_chunks, "Acme makes sure its staff who handle the data are made aware of the confidential nature "
     "of that data.", True),
    (confidential_chunks, "Acme puts confidentiality clauses into all employment contracts.", True),
    (confidential_chunks, "Acme imposes written obligations on its staff, including terms on confidentiality and "
     "security.", True),
    (confidential_chunks, "Acme ensures that each person it authorises to process the data is bound to confidentiality "
     "and lets no one process the data who is not under such confidentiality obligations.", True),
    (confidential_chunks, "The confidential nature of the Agreement survives its end.", False),
    (confidential_chunks, "All Acme staff (including contractors, temporary workers and the staff of its "
     "subcontractors) whom Acme permits to handle the Personal Data have signed contractually-binding "
     "confidentiality obligations.", True),
    (confidential_chunks, "Acme staff receive training on security and on the confidentiality obligations of the "
     "Customer.", False),
    (confidential_chunks, "Acme undertakes to maintain confidentiality and to make everyone with access to the data "
     "do the same.", True),
    (confidential_chunks, "Acme applies controls that ensure confidentiality, integrity and availability of its "
     "systems and data.", False),
    (encryption_chunks, "Acme utilises strong encryption (AES-256 at rest) for the Customer Data.", True),
    (measures_chunks, "Acme will implement appropriate technical, physical and administrative measures to protect "
     "the data.", True),
    (legal_notice_chunks, "Where required by applicable law, Acme will notify the Customer of the breach.", False),
    (legal_notice_chunks, "Acme deletes the data within 30 days unless retention is required by law, in which case "
     "Acme will notify the Customer of such legal requirement.", True),
    (legal_notice_chunks, "Where the law requires Acme to process the data otherwise, Acme will tell the Customer "
     "before the processing starts.", True),
    (legal_notice_chunks, "Acme will inform the Customer before it processes new data types, as the law requires.",
     False),
    (legal_notice_chunks, "If EU law requires Acme to process Personal Data beyond the instructions, Acme will "
     "inform the Customer in advance.", True),
    # the notice before answering a data subject's request is Art. 28(3)(e), not (a)
    (legal_notice_chunks, "Acme shall not respond to such a request except as required by law, in which case Acme "
     "will inform the Customer of that legal requirement before responding.", False),
    # Twenty-sixth session: the requirement "communicated" before the processing; a translated German DPA's
    # Principal as the one who objects; sub-processors "are listed" further into the sentence.
    (legal_notice_chunks, "Should Union law oblige Acme to process the data further, Acme shall communicate that "
     "legal obligation to the Client before processing.", True),
    (objection_chunks, "The Principal may raise an objection to a new subcontractor within ten working days.", True),
    (objection_chunks, "The Client has a window of two weeks after each notice of a new subcontractor to lodge its "
     "objection.", True),
    # Twenty-sixth session, from blind set h: "set out" further into the sentence, a team bound by NDAs, an
    # instruction that "breaks" the law, the UK's Information Commissioner, information shared at discretion.
    (subprocessor_list_chunks, "The further processors Acme relies on for the hosting and support of the Service as "
     "at the signing of this Agreement are set out in Schedule 4.", True),
    (confidential_chunks, "Each member of our support team who works on customer accounts has signed a "
     "confidentiality agreement.", True),
    (infringing_chunks, "Should we believe that an instruction of yours breaks data protection law, we will alert "
     "you at once.", True),
    (subprocessor_list_chunks, "All subcontractors that Acme uses for the Services on the date this Agreement is "
     "signed are listed, with their address and task, in Appendix 2.", True),
    # Twenty-seventh session, from blind set j: the SCC's own terms (information placed at the exporter's disposal,
    # the exporter entitled to object, sub-processors enumerated in an annex).
    (compliance_info_chunks, "The data importer shall place at the data exporter's disposal the information needed "
     "to demonstrate its compliance with these Clauses.", True),
    (objection_chunks, "The data exporter shall be entitled to object to a new sub-processor within 15 days of the "
     "notice.", True),
    (subprocessor_list_chunks, "The sub-processors enumerated in Appendix 3 process the data for Acme.", True),
    # Twenty-seventh session, from blind set l: a proviso that carves out privileged information, the Merchant and
    # the Entrusting Party as the customer, the customer telling the processor of its own legal requirements.
    (compliance_info_chunks, "Acme shall make available to the Client all information necessary to demonstrate its "
     "compliance with Article 28 GDPR, provided that Acme shall not be required to disclose privileged material.",
     True),
    (compliance_info_chunks, "Acme shall not be required to make available information on its compliance.", False),
    (objection_chunks, "The Merchant may object to a new sub-processor within ten days of the notice.", True),
    (objection_chunks, "The Entrusting Party has the right to raise an objection to a new sub-processor within "
     "14 days.", True),
    (legal_notice_chunks, "The Client shall inform Acme of any legal requirement applicable to the Client that "
     "affects the processing.", False),
    # Twenty-eighth session, from blind set n: one list of the customer's names (textrx.CUSTOMER_NAMES) with a
    # Japanese DPA's Consignor and a Spanish one's "the Responsible", its "re-consignee" as a sub-processor; an
    # adjective before the instruction; "safety management measures"; information put "at the disposition".
    (objection_chunks, "Where the Consignor has a reasonable objection to a new re-consignee, it may tell Acme "
     "within ten days.", True),
    (objection_chunks, "The Responsible may oppose a new sub-processor within 10 days of the notice.", True),
    (objection_chunks, "The officer responsible for procurement may oppose a new sub-processor.", False),
    (flowdown_chunks, "When Acme re-entrusts the handling, Acme shall impose on the re-consignee, by contract, "
     "obligations equivalent to its own under this Agreement.", True),
    (liability_chunks, "Acme shall bear full responsibility to the Consignor for the acts and omissions of each "
     "re-consignee.", True),
    (liability_chunks, "The Processor continues being fully responsible before the Responsible for the compliance "
     "of its sub-processors.", True),
    (infringing_chunks, "Unlawful instruction: Acme notifies the Client at once and may suspend it.", True),
    (infringing_chunks, "Unlawful instruction: the Client bears all costs.", False),
    (measures_chunks, "Acme shall take necessary safety management measures, both technical and organisational, to "
     "protect the entrusted personal information.", True),
    (compliance_info_chunks, "Acme will put at the disposition of the Responsible all the information necessary to "
     "demonstrate compliance with this contract.", True),
    # The guards that tell the controller's own duty name the customer as the readers do (textrx.CUSTOMER_NAMES).
    (compliance_info_chunks, "Subscriber must promptly provide Acme with information regarding any non-compliance "
     "discovered during an audit.", False),
    (measures_chunks, "The data exporter shall promptly identify appropriate technical or organisational measures "
     "to be adopted to ensure security.", False),
    # Twenty-ninth session, from blind sets p and q: a translated German DPA's Principal as the customer (not the
    # "Principal Agreement"); a hedged or denied promise; English law's "duty of confidence"; "obligated by law";
    # "at liberty to object"; "we flag it to you".
    (flowdown_chunks, "The Principal shall ensure that any further processors it engages directly are bound by "
     "appropriate data protection terms.", False),
    (flowdown_chunks, "Under the Principal Agreement, Acme shall impose on each sub-processor the same data "
     "protection obligations as bind Acme under this DPA.", True),
    (encryption_chunks, "Acme may, where it deems appropriate, consider the use of encryption as part of its "
     "security programme.", False),
    (encryption_chunks, "Acme may consider offering customer-managed encryption keys in a future release.", False),
    (encryption_chunks, "Acme encrypts personal data in transit and at rest, and may offer customer-managed keys in "
     "a future release.", True),
    (legal_notice_chunks, "Acme may process Personal Data where required to do so by applicable law, and shall have "
     "no obligation to inform the Customer of the legal requirement.", False),
    (legal_notice_chunks, "If Acme is obligated by Union law to process the data otherwise, it shall inform the "
     "Controller of that legal requirement before processing.", True),
    (confidential_chunks, "Acme shall procure that every person authorised by it to access the data is bound by a "
     "duty of confidence, by contract or by statute.", True),
    (confidential_chunks, "Each Party shall be bound by a duty of confidence.", False),
    (objection_chunks, "The Controller shall be at liberty, within ten days of the notice, to object in writing to "
     "any new sub-processor.", True),
    (objection_chunks, "Acme is at liberty to engage sub-processors, and the Controller may not object.", False),
    (infringing_chunks, "Unlawful instructions: if we think one breaks the GDPR, we flag it to you right away.", True),
    (infringing_chunks, "The system flags unlawful instructions in the log.", False),
    (residency_chunks, "The Customer selects where its own components run, and Acme makes no commitment as to the "
     "location in which Customer Data is stored.", False),
    (residency_chunks, "Customer Data is stored in the data centre region selected by the Customer.", True),
    # Thirtieth session, from blind sets r and s: a disclaimer of liability for the harms is no security measure;
    # no duty to give notice of changes; the full responsibility borne, a sub-processor's liability to the
    # processor; "will be able to object"; an authority's request "to provide" the data.
    (security_risk_chunks, "Acme isn't liable for loss, alteration or unauthorised access caused by the Client's "
     "failure to secure its passwords.", False),
    (security_risk_chunks, "Acme secures the data against loss, alteration and unauthorised access.", True),
    (changes_chunks, "Acme may replace its sub-processors at any time and is under no obligation whatsoever to give "
     "the Client advance notice of the replacement.", False),
    (liability_chunks, "Acme shall bear the entire responsibility towards the Client for the performance of its "
     "sub-processors.", True),
    (liability_chunks, "Every sub-processor shall remain liable to Acme for the performance of its own contract.",
     False),
    (objection_chunks, "The Client will be able to object to a new sub-processor within ten days of the notice.",
     True),
    (subprocessor_list_chunks, "The sub-processors engaged when this contract is signed are as described in the "
     "attached sheet 2.", True),
    (subprocessor_list_chunks, "The duties of sub-processors are as described in clause 7.", False),
    (government_request_chunks, "If a public authority orders Acme to provide the Client's personal data, Acme shall "
     "notify the Client first unless the law forbids it.", True),
    # Thirty-first session, from blind sets t and v: notice and objection denied in other words, the list withheld,
    # an authority's request that does not have to be announced (or by "an authority"), encryption as a paid
    # option, the customer's own people and responsibility, the operator who objects, a clause number's dot, the
    # liability retained in the passive.
    (changes_chunks, "Acme may replace its sub-processors whenever it likes and is not required to give the Client "
     "prior notice of the replacement.", False),
    (changes_chunks, "Acme shall give the Client prior notice of any new sub-processor.", True),
    (objection_chunks, "The Client accepts that Acme may appoint new sub-processors without the Client having any "
     "right to object.", False),
    (objection_chunks, "The Operator may raise objections to a new sub-processor within ten days of the notice.", True),
    (objection_chunks, "The Client may, within five days of a notice under clause 4.2, object to a new "
     "sub-processor on reasonable grounds.", True),
    (liability_chunks, "Responsibility towards the Client is retained by Acme for the performance of every "
     "sub-processor it engages.", True),
    (subprocessor_list_chunks, "We don't share or publish the list of our sub-processors.", False),
    (subprocessor_list_chunks, "We publish the names of our sub-processors in a list on our website.", True),
    (government_request_chunks, "Acme may disclose the data to a public authority that requests it and is not "
     "obliged to notify the Client.", False),
    (government_request_chunks, "Should an authority request access to the Client's data, Acme shall inform the "
     "Client at once.", True),
    (encryption_chunks, "Acme can, at its option, offer encryption of stored data using AES-256 as an optional paid "
     "add-on.", False),
    (confidential_chunks, "The Client ensures that its own staff keep the data confidential.", False),
    (confidential_chunks, "Answer: no. Keeping the data confidential among its users is the Client's own "
     "responsibility.", False),
    # Thirty-second session, from blind sets u and x: liability for "anything they do, or fail to do" (not a
    # sub-processor "directly liable" itself), an objection by a party named in the DPA's own words, notice as
    # "communicate", secrecy "in secret", compliance information "supplied" and an article's abbreviation,
    # flow-down of "this Joint Schedule"
    (liability_chunks, "We stay fully liable to you for anything our sub-processors do, or fail to do.", True),
    (liability_chunks, "Each sub-processor shall be directly liable to the Client for its own breaches.", False),
    (objection_chunks, "The Institution may object to a proposed sub-processor within 14 days of the notice.", True),
    (objection_chunks, "Data subjects may object to the processing of their data by a sub-processor.", False),
    (changes_chunks, "Acme shall communicate to the Client in writing any intended replacement of its "
     "sub-processors.", True),
    (confidential_chunks, "Acme ensures that every person who processes the data is obliged to keep it and the "
     "manner of its protection in secret.", True),
    (compliance_info_chunks, "All information needed to demonstrate our Art. 28 compliance is supplied to "
     "customers on request.", True),
    (flowdown_chunks, "Acme shall ensure that each sub-processor is bound by a written agreement which gives effect "
     "to the terms set out in this Joint Schedule.", True),
    # Thirty-third session, from blind sets w, o and q: liability "for what" sub-processors do, a notice the law
    # "makes" necessary and "let you know", a list "exclusively those set out" or "indicated" further off, an
    # objection followed by what happens if it "cannot" be resolved, encryption as cipher or cryptography (not at
    # the processor's discretion), a notice of a new sub-processor only after it began
    (liability_chunks, "We remain liable to you for what our sub-processors do with your content.", True),
    (legal_notice_chunks, "Should the law make us process your content in other ways, we'll let you know about "
     "that requirement before we do.", True),
    (subprocessor_list_chunks, "The sub-processors approved on the date of this amendment are exclusively those "
     "set out in Schedule 2.", True),
    (subprocessor_list_chunks, "The sub-processors currently used by Acme, with their address and the processing "
     "each performs for the Client, are indicated in Annex 4.", True),
    (objection_chunks, "The Client may object to a new sub-processor within 14 days; if the parties cannot settle "
     "the objection, the Client may end the order.", True),
    (objection_chunks, "If the parties disagree, the Client cannot object to the new sub-processor.", False),
    (encryption_chunks, "Acme ciphers the personal data in transit and in storage.", True),
    (encryption_chunks, "Acme applies strong cryptography to personal data at rest.", True),
    (encryption_chunks, "Acme may, at its discretion, use encryption for stored data.", False),
    (encryption_chunks, "Acme encrypts stored data where it deems this appropriate.", False),
    (changes_chunks, "Acme informs the Client of a new sub-processor within 14 days after it has started "
     "processing the data.", False),
    # … and help with the data subjects' requests (Art. 28(3)(e)) in any words: a request or a right of the people
    # the data is about, and the help to answer it; not an authority's request, nor a breach notice
    (request_help_chunks, "If a student asks to correct or erase their records, Acme will help the Client "
     "respond.", True),
    (request_help_chunks, "We'll help you answer access and deletion requests from your end users.", True),
    (request_help_chunks, "Acme assists the Client in satisfying the rights of the persons concerned (access, "
     "rectification, erasure).", True),
    (request_help_chunks, "Acme will help the Client respond to requests from law enforcement for user data.",
     False),
    (request_help_chunks, "The Client shall help Acme answer requests from data subjects.", False),
    (request_help_chunks, "Data subjects may request access to their data from the Client.", False),
    # Thirty-fourth session (set y): a we / you DPA's contractions ("you're" reads as "you are"), a sheet's terse
    # answer, people bound to confidentiality whose duty survives the contract (not the survival clause alone)
    (measures_chunks, "You're responsible for implementing security measures on your own devices.", False),
    (measures_chunks, "We'll implement and maintain technical and organisational measures for the Service.", True),
    (encryption_chunks, "You're responsible for encrypting data before you send it to us.", False),
    (liability_chunks, "Liable for subcontractors? - Yes, fully liable for their acts/omissions.", True),
    (government_request_chunks, "Govt access requests? - We notify the Client unless barred and challenge "
     "overbroad requests for its data.", True),
    # Thirty-fourth session (set z): liable only for its own fault; a list given at the processor's discretion; a
    # person asking the controller for access; a cover page's row provided on request
    (liability_chunks, "Acme shall be liable to the Client only for damage caused by its own fault; the liability "
     "of its sub-processors is governed by their own contracts.", False),
    (subprocessor_list_chunks, "The Client may ask for a list of Acme's sub-processors, which Acme may provide at "
     "its discretion.", False),
    (request_help_chunks, "When a patient asks the Client for access to or deletion of their notes, Acme will help "
     "the Client respond.", True),
    (confidential_chunks, "Acme staff sign a non-disclosure agreement before they get access, and it survives the "
     "end of their employment.", True),
    (confidential_chunks, "The confidentiality obligations of this clause survive the end of the Agreement.",
     False),
    # Thirty-fifth session (set aa): a named party "entitled to raise an objection" against a new sub-processor (not
    # against an invoice); encryption "where it deems it appropriate" as the processor's choice
    (objection_chunks, "The Institution is entitled to raise an objection against the appointment of a new "
     "sub-processor within ten days.", True),
    (objection_chunks, "The Institution is entitled to raise an objection against an invoice within ten days.",
     False),
    (encryption_chunks, "Acme may, where it deems it appropriate, use encryption for backups.", False),
    (encryption_chunks, "Acme encrypts backups with AES-256.", True),
    # Thirty-fifth session (set ab): a "direction" that would break the law, and "let … know"; the police asking,
    # the minimum released; a French DPA's "delay" (délai) to present objections
    (infringing_chunks, "If Acme believes a direction from the Client would break data protection law, Acme will "
     "let the Client know at once.", True),
    (infringing_chunks, "Acme will let the Client know the directions to its data centre.", False),
    (government_request_chunks, "If the police ask Acme for Client records, Acme will tell the Client unless the "
     "law forbids it and release only the minimum data required.", True),
    (government_request_chunks, "If the police ask Acme for Client records, Acme will release them.", False),
    (objection_chunks, "The Client disposes of a delay of fifteen days from receipt of this information to present "
     "its objections to the new sub-processor.", True),
    # Thirty-sixth session (set ac): a named party "of the" something; two adjectives before the sub-processor; the
    # imperative of a we / you DPA (not a heading "Object of …"); the Italian GDPR's "conserves … the entire
    # responsibility"; "we don't send … notices"; a checklist row answered "Compliant"
    (objection_chunks, "The Owner of the Platform may object to the replacement of a further processor within ten "
     "days.", True),
    (objection_chunks, "The Council may object to any proposed new Sub-processor within 14 days of notice.", True),
    (objection_chunks, "Worried about a new sub-processor? Object within ten days of our email and we will look for "
     "another.", True),
    (objection_chunks, "Sub-processors. Object of the processing: hosting within the EU.", False),
    (liability_chunks, "Where a sub-processor fails its obligations, Acme retains towards the Client the entire "
     "responsibility for them.", True),
    (liability_chunks, "Acme retains the right to replace a sub-processor whose obligations are not met.", False),
    (changes_chunks, "We revise our sub-processor list from time to time; we don't send notices of changes.", False),
    (changes_chunks, "We send you notices of new sub-processors 30 days ahead.", True),
    (measures_chunks, "Technical and organisational security measures — Compliant: see Annex 2.", True),
    (measures_chunks, "Technical and organisational security measures — Not provided.", False),
    # Thirty-sixth session (set ad): "on the hook" for the sub-processors; ten words between "give" and "notice" (not
    # "no notice"); a right to object given (not one to exercise in good faith) or asked for after the question;
    # someone asking to see their data; "show that we keep our commitments"; weighing the risks (not a disclaimer
    # that nothing is secure); the Merchant's own encryption; an agency that "asks us for" the data
    (liability_chunks, "We stay fully on the hook to you for anything our sub-processors do.", True),
    (liability_chunks, "Our sub-processors are on the hook for their own mistakes.", False),
    (changes_chunks, "Acme will give the Client no less than thirty (30) days' written notice before adding any "
     "sub-processor.", True),
    (changes_chunks, "Acme will give the Client no notice before adding a sub-processor.", False),
    (objection_chunks, "Clause 9 gives the customer a 15-day right to object to new sub-processors, with termination "
     "as the remedy.", True),
    (objection_chunks, "The controller shall exercise its right to object to new sub-processors only in good faith.",
     False),
    (objection_chunks, "Unhappy with a new sub-processor? Tell us within 30 days and we will find another.", True),
    (request_help_chunks, "If someone asks you to see or delete their data, we will help you respond.", True),
    (compliance_info_chunks, "Ask us and we will give you the information you need to show that we keep our "
     "commitments under this DPA.", True),
    (security_risk_chunks, "When we decide how much protection is enough, we weigh the risks to your data.", True),
    (security_risk_chunks, "The Merchant acknowledges that no method of transmission is entirely secure and that "
     "Acme cannot guarantee against loss or unauthorised access.", False),
    (encryption_chunks, "The Merchant is responsible for encrypting files before it uploads them.", False),
    (government_request_chunks, "If a government agency asks us for your content, we will tell you first unless the "
     "law forbids it.", True),
    (government_request_chunks, "If a government agency asks us for advice, we answer it.", False),
    # Thirty-sixth session (set ae): a law that requires the processor "to use" the data; a caller asking for a
    # copy; "responsible for our sub-processors" and one of them "gets it wrong"; "Don't like a new sub-processor?"
    (legal_notice_chunks, "If a law requires us to use your data in a way you did not ask for, we will tell you "
     "before we do it.", True),
    (legal_notice_chunks, "If a law requires us to use your data, we will do so.", False),
    (request_help_chunks, "If a caller asks you for a copy of their recording, we will help you answer.", True),
    (liability_chunks, "We are responsible for our sub-processors: if one of them gets it wrong, we remain liable "
     "to you.", True),
    (liability_chunks, "Our sub-processors are responsible for their own staff.", False),
    (objection_chunks, "Don't like a new sub-processor? Tell us within 30 days and we will look for another.", True),
])
def test_sentence_readers(reader, text, found):
    assert bool(reader(chunks(text))) is found


def test_a_notice_before_processing_that_the_clause_says_the_law_requires():
    """Art. 28(3)(a) over two sentences: the law's requirement first, the notice to the controller after it."""
    clause = "Acme processes the data only on the Customer's instructions, unless it is legally obliged otherwise."
    text = "In that case Acme shall inform the Customer of this before processing, unless the law forbids it."
    hit = Chunk(index=0, text=text, page=1, section="4. Instructions", context=clause)
    assert legal_notice_chunks([hit])
    assert not legal_notice_chunks([Chunk(index=0, text=text, page=1, context=text)])
    # Telling the controller first about what an instruction costs is no notice of a legal requirement.
    costs = "Should an instruction cause Acme extra costs, Acme will first inform the Customer about such costs."
    assert not legal_notice_chunks([Chunk(index=0, text=costs, page=1, section="4. Instructions", context=clause)])


def test_a_breach_notice_paragraph_cites_only_its_sentences_about_the_notice():
    """The paragraph carries the Art. 33(3) content; its other sentences are no evidence of it."""
    sentences = ["Acme shall notify the Customer of a personal data breach without undue delay.",
                 "The notice shall describe the nature of the breach and its likely consequences.",
                 "This Addendum stays in force for as long as Acme processes personal data for the Customer."]
    para = " ".join(sentences)
    cs = [Chunk(index=i, text=t, page=2, section="7. Breaches", context=para) for i, t in enumerate(sentences)]
    assert [c.text for c, _ in breach_content_chunks(cs)] == sentences[:2]


def test_an_objection_in_a_clause_about_sub_processors_counts_without_naming_them():
    """The right to object often follows the notice of a new sub-processor in the next sentence (Art. 28(2))."""
    clause = ("Acme will inform the Customer of new subprocessors by email. The Customer may object and end the "
              "Agreement.")
    second = Chunk(index=0, text="The Customer may object and end the Agreement.", page=1, section="6. Sub-processors",
                   context=clause)
    assert objection_chunks([second])
    assert not objection_chunks([Chunk(index=0, text=second.text, page=1, context=second.text)])


def _decided_without_the_scorer(sentences: list[str]) -> dict:
    """Every finding when every passage scores 0 (bundled thresholds and rules): only a rule can meet one."""
    model, cs = MatcherModel.load(), chunks(*sentences)
    return {f.requirement: f for f in decide(cs, np.zeros((len(cs), len(model.ids))), model, load_library())}


def test_a_template_field_left_blank_meets_nothing_a_rule_reads():
    """Twenty-sixth session (blind paraphrase set i): an annex title whose value is a placeholder lists nothing."""
    blank = _decided_without_the_scorer(["Annex 4 – List of Subcontractors: [to be completed by the parties]."])
    assert blank["subprocessor-list"].status.value == "missing"
    filled = _decided_without_the_scorer(["Annex 4 – The subcontractors Acme uses are listed at acme.example/subs."])
    assert filled["subprocessor-list"].status.value == "met"


def test_rules_meet_requirements_the_scorer_missed_and_cite_the_sentence():
    sentences = ["Acme keeps backups for 30 days.",
                 "Acme will assist the Customer with data protection impact assessments.",
                 "Acme applies security measures appropriate to the risk.",
                 "Acme will provide all information necessary to demonstrate its compliance with this DPA.",
                 "Sub-processors are bound by written contracts to the same obligations as Acme."]
    found = _decided_without_the_scorer(sentences)
    for rid, i in (("assist-dpia", 1), ("security-risk", 2), ("demonstrate-compliance", 3),
                   ("subprocessor-flowdown", 4)):
        f = found[rid]
        assert f.status.value == "met", f
        assert [e.text for e in f.evidence] == [sentences[i]] and f.score < 0.9  # a rule, not a calibrated score
    assert found["assist-dpia"].why.endswith("impact assessments (Art. 35)")
    # Nothing in the document helps with prior consultation or breaches: those stay gaps.
    assert {found[r].status.value for r in ALL_FIVE if r != "assist-dpia"} == {"missing"}


def test_an_umbrella_clause_meets_each_assist_duty_with_a_lower_score_and_says_so():
    """Art. 28(3)(f) in its own words ("assist … pursuant to Articles 32 to 36") meets each duty it covers, as a
    weaker rule: the finding says that the duty is not spelled out, and scores below the named duty's."""
    sentences = ["Acme keeps backups for 30 days.",
                 "Acme shall assist the Customer in ensuring compliance with its obligations under Articles 32 to "
                 "36 GDPR.",
                 "Acme will help the Customer with data protection impact assessments."]
    found = _decided_without_the_scorer(sentences)
    named = found["assist-dpia"]
    assert named.status.value == "met" and "Articles 32 to 36" not in named.why
    for rid in ("assist-security", "assist-breach-authority", "assist-breach-subjects", "assist-prior-consultation"):
        f = found[rid]
        assert f.status.value == "met" and f.score < min(named.score, LOW_CONFIDENCE), f  # listed to verify
        assert "not spelled out" in f.why and "Art. 28(3)(f)" in f.why
        assert [e.text for e in f.evidence] == [sentences[1]] and f.evidence[0].page == 1
    # A narrower range covers only its own articles; the customer's own duty is no offer of the vendor's.
    narrow = _decided_without_the_scorer(["Acme will help the Customer meet its obligations under Articles 32 to 34 "
                                          "GDPR."])
    assert narrow["assist-breach-subjects"].status.value == "met"
    assert narrow["assist-dpia"].status.value == "missing"
    plain = _decided_without_the_scorer(["The Customer shall comply with Articles 32 to 36 GDPR."])
    assert {plain[r].status.value for r in ALL_FIVE} == {"missing"}


def test_breach_information_for_the_controllers_own_notices_meets_both_breach_duties():
    found = _decided_without_the_scorer([
        "In the event of a Personal Data Breach, Acme shall give the Customer enough information to enable it to "
        "fulfil any obligation to report the breach or to inform data subjects of it."])
    for rid in ("assist-breach-authority", "assist-breach-subjects"):
        assert found[rid].status.value == "met" and found[rid].why.startswith("the breach notice gives"), found[rid]
    only_report = _decided_without_the_scorer([
        "If a security incident occurs, Acme will provide information that allows the Customer to comply with its "
        "duty to report it."])
    assert only_report["assist-breach-authority"].status.value == "met"
    assert only_report["assist-breach-subjects"].status.value == "missing"


def test_a_finding_the_scorer_meets_also_shows_the_sentence_a_rule_reads():
    """The scorer's best passage is the most similar one, a rule's the literal statement: both are evidence."""
    model, lib = MatcherModel.load(), load_library()
    sentences = ["The security of the Customer Data is described in Annex 2.",
                 "Acme maintains technical and organisational measures to protect the Customer Data.",
                 "Acme keeps backups for 30 days."]
    cs = chunks(*sentences)
    probs = np.zeros((len(cs), len(model.ids)))
    probs[0, model.ids.index("security")] = 0.99
    found = {f.requirement: f for f in decide(cs, probs, model, lib)}
    f = found["security"]
    assert f.status.value == "met" and f.why.startswith("best passage scores")  # the scorer decided
    assert [e.text for e in f.evidence] == sentences[:2]


def test_every_rule_names_a_catalogue_requirement():
    ids = set(load_library().ids)
    assert {rid for rid, _, _ in RULES} <= ids
    # The finding's why is "<what>: <facts>"; a what ending in a colon would print "::".
    assert not [what for _, _, what in RULES if what.endswith(":")]


def test_a_notice_of_such_a_requirement_takes_the_law_from_its_paragraph():
    """Art. 28(3)(a): "… unless the law requires otherwise. Then Acme tells the Customer of such a requirement
    first." The second sentence is the notice; the law that requires it is named in the sentence before."""
    first = "Acme processes personal data only on the Customer's instructions, unless required to do so by law."
    second = "In that case Acme shall notify the Customer of such a requirement before processing."
    para = f"{first} {second}"
    doc = [Chunk(index=i, text=t, page=1, section="3. Instructions", kind=BlockKind.PARAGRAPH, block=0, context=para)
           for i, t in enumerate([first, second])]
    assert [c.text for c, _ in legal_notice_chunks(doc)] == [second]
    alone = [Chunk(index=0, text=second, page=1, section="3. Instructions", kind=BlockKind.PARAGRAPH, block=0,
                   context=second)]
    assert legal_notice_chunks(alone) == []

def test_an_authority_request_listed_under_a_notice_lead_in():
    """The lead-in carries the notice to the customer, the item the authority's request (catalogue C)."""
    items = ("Acme shall notify the Customer without undue delay if:",
             "- it becomes aware of a personal data breach; or",
             "- it receives a request from the press, a regulator or another public authority.")
    assert [c.text for c, _ in government_request_chunks(chunks(*items))] == [items[2]]
    # An item with a duty of its own is not what the lead-in announces; a lead-in that tells no one announces nothing.
    own = ("Acme shall inform the Customer of the following:", "- Acme shall give supervisory authorities access "
           "on request to its premises.")
    assert government_request_chunks(chunks(*own)) == []
    assert government_request_chunks(chunks("Acme keeps the following records:", items[2])) == []


@pytest.mark.parametrize(("text", "found"), [
    ("Customer shall give its instructions in writing.", True),
    ("(b) the Controller will notify Acme of any change.", True),
    ("Customer, at its own discretion, may object.", True),
    # a conditional's subject, or the subject of an object clause, is not the sentence's
    ("If Customer subscribes, Acme shall send a notice of each new sub-processor.", False),
    ("You agree that Acme may engage sub-processors.", False),
    ("Whenever you ask, we will send you the audit report.", False),
    ("Before the Customer signs, Acme will send it the list of sub-processors.", False),
    # a possessive names whose request it is, not who acts
    ("At the Customer's request, Acme will provide the report.", False),
    ("Upon Controller's written request, the Processor shall delete the data.", False),
    ("At the Client’s request, the Processor shall return the data.", False),
])
def test_subject_does_finds_the_subject_of_the_sentence(text, found):
    assert has(subject_does("customer|controller|client|you", "shall|will|may"), text) is found


@pytest.mark.parametrize(("text", "read"), [
    # an abbreviated reference's dot ends no sentence for the readers (thirty-second session, blind set x)
    ("under Art. 28(3) and Arts. 32 to 36, Sec. 4, No. 2 and art.28", "under Art 28(3) and Arts 32 to 36, Sec 4, "
     "No 2 and art 28"),
    # a sentence's end stays one, and so do abbreviations before words
    ("It is in Article 5. Then Sec. B applies.", "It is in Article 5. Then Sec. B applies."),
    # a pronoun's contraction spelled out, a questionnaire's "w/" (not "w/o") read as "with" (thirty-fourth session)
    ("You’re responsible; we'll help; they're bound.", "You are responsible; we will help; they are bound."),
    ("Assist w/ DPIAs, w/o charge", "Assist with DPIAs, w/o charge"),
])
def test_norm_reads_an_abbreviated_reference_as_one_word(text, read):
    assert norm(text) == read

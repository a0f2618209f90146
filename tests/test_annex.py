"""The description-of-processing fields (pipeline/annex.py), on annexes of our own wording.

A field with a value meets its requirement in any of the three layouts DPAs use ("Label: value", a table row, a
heading with the value below); an empty field, a template placeholder or the next field's label does not. A field
that leaves the data types to the customer makes the finding a gap even where the scorer met it elsewhere. The
duration is also met by a sentence that gives the period.
"""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.annex import (
    FIELD_IDS,
    VETOES,
    deferred_chunks,
    field_chunks,
    listed_subjects_chunks,
    listed_types_chunks,
    period_chunks,
    stated_nature_chunks,
)
from pipeline.library import load_library
from pipeline.match import MatcherModel, decide
from pipeline.models import BlockKind, Chunk


def chunks(*sentences: str, section: str = "Annex I. Description of processing") -> list[Chunk]:
    return [Chunk(index=i, text=s, page=4, section=section, kind=BlockKind.PARAGRAPH, block=i, context=s)
            for i, s in enumerate(sentences)]


@pytest.mark.parametrize(("rid", "text", "found"), [
    ("data-types", "Categories of personal data: names, work email addresses and support messages.", True),
    ("data-types", "B.2. Types of Personal Data processed: contact details and invoices of staff.", True),
    ("data-types", "Categories of personal data transferred Contact details, login data and chat transcripts.", True),
    ("data-types", "_Kinds of data_ Account identifiers, usage logs and device information.", True),
    ("data-types", "Categories of personal data | Names, email addresses and IP addresses", True),
    ("data-types", "Categories of personal data | Determined by the controller", False),
    ("data-types", "Type of personal data: The Customer controls which personal data it enters.", False),
    ("data-types", "Types of personal data: as determined by the Customer, and may include names and emails.", True),
    ("data-types", "- Types of Personal Data: identifiers, account data and support communications.", True),
    ("data-types", "Categories of personal data: Determined by the Customer.", False),
    ("data-types", "Special categories of personal data (if applicable): None.", False),
    ("data-types", "Categories of data subjects: the customer's staff and its end users.", False),
    ("data-types", "Type of personal data Insert the categories of data here.", False),
    ("data-types", "Categories of personal data are defined in clause 1.", False),
    ("data-subjects", "Categories of data subjects: the customer's employees, contractors and end users.", True),
    ("data-subjects", "Categories of data subjects whose personal data is transferred Visitors of the customer's "
                      "website.", True),
    ("data-subjects", "Data subjects: as decided by the controller.", False),
    # a run-in heading ends with a full stop
    ("data-types", "* Types of Customer Personal Data. Names, email addresses and billing details of users.", True),
    ("data-subjects", "Categories of Data Subjects. Data subjects whose personal data will be processed under the "
                      "Terms.", False),
    ("duration", "Duration. The term of the Agreement.", False),
    # a value that only restates the label states nothing
    ("data-types", "* Types of personal data: Personal data which is processed under the Main Terms.", False),
    ("data-subjects", "Categories of data subjects: Individuals about whom the Client's data is uploaded to Acme in "
                      "the course of the service.", False),
    ("data-subjects", "Categories of data subjects: Persons whose personal data are processed, namely the "
                      "Customer's staff, its clients and its suppliers.", True),
    ("nature-purpose", "Nature of the processing: hosting and analysing the customer's support tickets.", True),
    ("nature-purpose", "Purpose(s) of the data transfer and further processing To run the help-desk service.", True),
    ("nature-purpose", "Subject matter: see above.", False),
    ("duration", "Duration of the processing: the term of the main agreement plus thirty days.", True),
    ("duration", "Duration: Insert the retention period.", False),
    # the annex's own name before the item (thirty-sixth session, set ae)
    ("data-types", "Annex 1 (d) Categories of Personal Data: (i) name; (ii) account number; (iii) call recordings.",
     True),
    ("data-types", "Annex 1 (d) Categories of Personal Data: as determined by the Client.", False),
])
def test_fields(rid, text, found):
    assert bool(field_chunks(rid)(chunks(text))) is found


def test_a_heading_labels_the_value_below_it():
    cs = chunks("The term of the main agreement and the time needed to delete the data.", section="2. Duration:")
    assert field_chunks("duration")(cs)
    assert not field_chunks("duration")(chunks(cs[0].text, section="2. Definitions"))


def test_a_label_on_its_own_line_labels_the_next_passage():
    cs = chunks("Categories of personal data processed", "Account data, invoices and support messages.")
    assert [c.text for c, _ in field_chunks("data-types")(cs)] == [cs[1].text]
    assert not field_chunks("data-subjects")(cs)
    # "Term" alone heads the DPA's own term clause at least as often as the duration field.
    assert not field_chunks("duration")(chunks("Term", "This DPA ends when the Agreement ends."))


def test_the_rows_of_a_table_written_out_as_text_are_fields():
    """A Markdown-style table arrives as one paragraph; each of its rows is read as a field."""
    table = ("| Field | Value | |---|---| | Categories of data subjects whose personal data is processed / "
             "transferred: | Staff and contractors of the customer | | Categories of personal data processed / "
             "transferred: | Names, work e-mail addresses and ticket history | | Are sensitive data processed? | No |")
    cs = chunks(table)
    assert [labels for _, labels in field_chunks("data-types")(cs)] == [
        ["Categories of personal data processed / transferred"]]
    assert field_chunks("data-subjects")(cs) and not field_chunks("duration")(cs)
    deferring = chunks("| Item | Detail | | Categories of personal data | Determined by the Customer | | Duration | "
                       "The term of the Agreement |")
    assert deferred_chunks("data-types")(deferring) and not field_chunks("data-types")(deferring)
    assert field_chunks("duration")(deferring)
    # A single row written out as text, outer pipes and all.
    assert field_chunks("data-types")(chunks("| Categories of personal data | Names and e-mail addresses |"))


def rows(header: str, *rows_: str) -> list[Chunk]:
    """Table-row chunks as pipeline/chunk.py makes them: each row's context starts with the header row."""
    return [Chunk(index=i, text=r, page=4, section="Annex I", kind=BlockKind.TABLE_ROW, block=i,
                  context=r if i == 0 else f"{header}\n{r}") for i, r in enumerate([header, *rows_])]


def test_a_column_headed_by_a_field_label_holds_its_values():
    """A description table with one column per field (Scalingo's layout): each row's cell under the label."""
    cs = rows("Data subject | Purpose of the processing | Categories of personal data | Retention period",
              "Visitors of the customer's sites | Page view statistics | IP addresses, browser type and pages | "
              "Thirty days",
              "Staff of the customer | Running the support desk | Determined by the customer | "
              "The term of the Agreement")
    assert [labels for _, labels in field_chunks("data-types")(cs)] == [["Categories of personal data"]]
    assert not deferred_chunks("data-types")(cs)  # one row lists the data, so the other's deferral vetoes nothing
    assert len(field_chunks("data-subjects")(cs)) == 2 and len(field_chunks("nature-purpose")(cs)) == 2
    assert [c.index for c, _ in field_chunks("duration")(cs)] == [2]  # "Thirty days": fewer than three words
    # A sub-processor list describes the sub-processors' processing (Art. 28(4)), not the DPA's own.
    subs = rows("Sub-processor | Purpose | Categories of personal data | Location",
                "Acme Cloud Ltd | Hosting of the platform | All customer personal data | Ireland")
    assert not field_chunks("data-types")(subs) and not field_chunks("nature-purpose")(subs)
    # A row whose cells do not line up with the header is not read by position.
    assert not field_chunks("data-types")(rows("Data subject | Categories of personal data", "Staff only"))


def test_a_label_value_table_printed_as_run_on_text_is_read_field_by_field():
    """The eval PDFs print a two-column Markdown table as one paragraph; each capitalised label followed by ":"
    or " | " starts a field, wherever it stands in the passage."""
    cs = chunks("Item | Detail Categories of data subjects: | Staff and contractors of the customer Categories of "
                "personal data: | Names, work e-mail addresses and ticket history Special categories of data: | None")
    assert [labels for _, labels in field_chunks("data-types")(cs)] == [["Categories of personal data"]]
    assert [labels for _, labels in field_chunks("data-subjects")(cs)] == [["Categories of data subjects"]]


def test_a_deferred_field_vetoes_only_where_no_field_lists_the_data():
    deferred = "Categories of personal data: Determined by the Customer (in accordance with the Agreement)."
    listed = "Types of personal data: names and email addresses of users."
    assert deferred_chunks("data-types")(chunks(deferred))
    assert not deferred_chunks("data-types")(chunks(deferred, listed))
    assert not deferred_chunks("data-types")(chunks("Acme logs access to customer data."))


def test_decide_turns_a_met_data_types_finding_into_a_gap_where_the_field_defers():
    model, lib = MatcherModel.load(), load_library()
    sentences = ["Acme logs every employee's access to systems that store customer data.",
                 "Categories of data subjects: Determined by Customer.",
                 "Categories of personal data: Determined by the Customer."]
    cs = chunks(*sentences)
    probs = np.zeros((len(cs), len(model.ids)))
    for rid in ("data-types", "data-subjects"):  # the scorer takes the log sentence for both
        probs[0, model.ids.index(rid)] = 0.99
    found = {f.requirement: f for f in decide(cs, probs, model, lib)}
    for rid, field in (("data-types", sentences[2]), ("data-subjects", sentences[1])):
        f = found[rid]
        assert f.status.value == "missing" and not f.evidence, f
        assert f.rejected[0].text == field and f.rejected[0].page == 4  # the deferring field, shown first
        assert f.why.startswith("the description of processing leaves this to the customer")
        assert sentences[0] in [e.text for e in f.rejected]  # what the scorer had taken stays visible


def test_decide_meets_a_field_the_scorer_missed():
    model, lib = MatcherModel.load(), load_library()
    text = "Categories of personal data: account data of authorised users and the content they upload."
    cs = chunks("Acme keeps backups for 30 days.", text)
    found = {f.requirement: f for f in decide(cs, np.zeros((2, len(model.ids))), model, lib)}
    assert found["data-types"].status.value == "met"
    assert [e.text for e in found["data-types"].evidence] == [text]


@pytest.mark.parametrize(("text", "period"), [
    # the processing lasts for a period
    ("Acme processes the personal data for the duration of the Subscription Agreement.",
     "for the duration of the Subscription Agreement"),
    ("Client data is processed during the term of the services ordered.", "during the term of the services ordered"),
    ("The Vendor will only process Customer Personal Data for the term of this Addendum, unless agreed otherwise.",
     "for the term of this Addendum"),
    ("Processing shall take place throughout the entire term of the Main Contract.",
     "throughout the entire term of the Main Contract"),
    # the DPA stays in force for one
    ("This Addendum will remain in force for as long as Acme holds Customer Personal Data.",
     "for as long as Acme holds Customer Personal Data"),
    ("9.1 This DPA shall start on the Effective Date and, despite any termination of the Agreement, will remain in "
     "effect until, and end upon, the deletion of all Customer Data.", "until, and end upon, the deletion of all "
     "Customer Data"),
    ("1. This Agreement is entered into for the term of the Master Terms.", "for the term of the Master Terms"),
    ("These Terms shall apply until the effective date of the Agreement's termination.",
     "until the effective date of the Agreement's termination"),
    ("This Addendum remains in effect for so long as Acme processes Customer Personal Data.",
     "for so long as Acme processes Customer Personal Data"),
    ("The DPA applies as long as the Processor processes personal data for the Controller.",
     "as long as the Processor processes personal data for the Controller"),
    # Twenty-fifth session: a term named without "of"
    ("Acme will process the personal data only during your subscription period.", "during your subscription period"),
    ("The Supplier processes Client Data for the Term and deletes it afterwards.", "for the Term"),
    ("Acme processes Customer Data throughout the initial subscription term and any renewal.",
     "throughout the initial subscription term"),
    ("Acme processes the personal data for as long as it provides the Services to the Customer.",
     "for as long as it provides the Services to the Customer"),
    ("The Supplier processes the data for the period during which the Client uses the platform.",
     "for the period during which the Client uses the platform"),
    # the SCC's retention that local law forces (clause 8.5) is no duration of the processing
    ("The importer will only process the data to the extent and for as long as required under that local law.", None),
    # not a duration: the DPA's purpose, a time limit on instructions or security, a term without a subject
    ("This DPA is entered into for the purpose of the Master Agreement between the parties.", None),
    ("The Customer may give further written instructions on the processing throughout the term of the contract.",
     None),
    ("The Customer has instructed and, throughout the duration of the processing, will instruct Acme to act "
     "only on its behalf.", None),
    ("Acme will not reduce the overall security of the platform during the term of the Agreement.", None),
    ("The Controller shall remain responsible for coordinating all communication with the Processor.", None),
    ("Acme's total liability under the Agreement and this DPA shall apply in the aggregate for all claims.", None),
    ("Either party may terminate the Agreement on 30 days' written notice.", None),
    # "while this Agreement is in effect" (thirty-fifth session, set ab); not a while without the agreement's term
    ("Acme processes the pupil data only while this Agreement is in effect.", "while this Agreement is in effect"),
    ("Acme processes the data while the Client uses the platform.", None),
])
def test_a_sentence_states_the_duration(text, period):
    hits = period_chunks(chunks(text))
    assert ([facts for _, facts in hits] == [[period]]) if period else not hits, hits


def test_decide_meets_duration_on_a_sentence_with_the_period_in_its_why():
    model, lib = MatcherModel.load(), load_library()
    text = "Acme processes the personal data for the duration of the Subscription Agreement."
    cs = chunks("Acme keeps backups for 30 days.", text, section="8. Term")
    f = next(f for f in decide(cs, np.zeros((2, len(model.ids))), model, lib) if f.requirement == "duration")
    assert f.status.value == "met" and [e.text for e in f.evidence] == [text]
    assert f.why == "the processing lasts: for the duration of the Subscription Agreement"


@pytest.mark.parametrize(("text", "found"), [
    # the data types listed in a sentence, not a field (thirty-second session, blind set u)
    ("The Research Data comprise participant study ID, year of birth, sex, postcode district and diagnosis codes.",
     True),
    ("The personal data processed under this DPA include names, email addresses, IP addresses and chat logs.", True),
    # not what the customer chooses, a definition's terms, the data subjects, a list of fewer than three
    ("Customer Data includes all data, files, and content uploaded by the Customer.", False),
    ('Personal Data includes "personal data", "personal information", and "PII" as defined in the law.', False),
    ("The personal data concern data subjects, including employees, contractors, and customers.", False),
    ("The personal data include names and email addresses.", False),
    # a Japanese entrustment agreement's items of personal information (thirty-fourth session, set y)
    ("The items of personal information to be entrusted shall be as follows: member number, name, postal address "
     "and order history.", True),
    # the processor named as the one that processes them (thirty-fifth session, set aa); not what the customer uploads
    ("Acme shall process these categories of personal data: name, date of birth, postal address and bank account "
     "number.", True),
    ("Acme shall process the following categories of personal data: whatever the Client uploads, such as files, notes "
     "and images.", False),
    # an Italian DPA's "object of processing", and "… processed are:" before the list (thirty-sixth session, set ac)
    ("The categories of personal data object of processing are: name, tax code, address and salary.", True),
    ("The personal data processed are: name, e-mail address, order history and IP address.", True),
    ("The personal data processed are: whatever the Client uploads, such as files, notes and images.", False),
])
def test_a_sentence_lists_the_data_types(text, found):
    assert bool(listed_types_chunks(chunks(text))) is found


@pytest.mark.parametrize(("text", "found"), [
    # the data subjects named in a sentence (thirty-fourth session, set y)
    ("The persons whose personal information is entrusted shall be the Client's club members and the people who "
     "write to its help desk.", True),
    ("Data subjects include the Customer's staff, its contractors and its website visitors.", True),
    # not a sentence about their rights, what the customer chooses, or one kind alone
    ("Data subjects are entitled to access, rectify and erase their data.", False),
    ("Data subjects include any individuals whose data the Customer uploads, such as staff and clients.", False),
    ("The data subjects are the Customer's employees.", False),
    # the data named as the subject, and the people it is about (thirty-fifth session, set ab)
    ("The data covered by this DPA is about the Client's students, their parents and its teachers.", True),
    ("The information is about the Services, their prices and their features.", False),
])
def test_a_sentence_lists_the_data_subjects(text, found):
    assert bool(listed_subjects_chunks(chunks(text))) is found


@pytest.mark.parametrize(("text", "found"), [
    # the nature or purpose stated in a sentence (thirty-fifth session, set ab), also after "…, and"; a French DPA's
    # "finality" is the library's synonym for purpose (test_library)
    ("The purpose of the processing is the management of the Client's payroll.", True),
    ("The Provider hosts the application, and the nature of the operations is the collection, storage and erasure "
     "of the records.", True),
    # not a value deferred elsewhere or to the customer, nor one too short to say anything
    ("The purpose of the processing is set out in Annex 1.", False),
    ("The purpose of the processing is determined by the Customer.", False),
    ("The purpose of the processing is payroll.", False),
    # … or the processing itself, after a semicolon (thirty-sixth session, set ad)
    ("Acme hosts the Client's shop; the processing consists of collecting, storing and analysing orders.", True),
    ("The processing consists of the operations set out in Annex 1.", False),
])
def test_a_sentence_states_the_nature_or_purpose(text, found):
    assert bool(stated_nature_chunks(chunks(text))) is found


def test_every_field_and_veto_names_a_catalogue_requirement():
    ids = set(load_library().ids)
    assert set(FIELD_IDS) <= ids and {rid for rid, _, _ in VETOES} <= ids

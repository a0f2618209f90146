"""``dpa eval``'s clause-removal check on a generated DPA, with the real packaged model."""

from __future__ import annotations

import pytest

from pipeline.evaluate import removal_check

from .pdfgen import Heading, Para, make_pdf

pytestmark = pytest.mark.model

INSTRUCTIONS = ("The Processor shall process the Personal Data only on documented instructions from the "
                "Controller, including with regard to transfers to a third country.")
CONFIDENTIAL_1 = ("The Processor shall ensure that every person it authorises to process the Personal Data has "
                  "committed to confidentiality or is under a statutory obligation of confidentiality.")
CONFIDENTIAL_2 = ("Staff of the Processor who handle Personal Data are bound by a written duty of confidentiality "
                  "that survives the end of their employment.")
AUDIT = ("The Processor shall make available all information necessary to demonstrate compliance with Article 28 "
         "GDPR and shall allow for and contribute to audits, including inspections, by the Controller.")


def test_a_deleted_clause_becomes_a_gap_unless_the_document_states_it_again(analyzer, tmp_path):
    pdf = tmp_path / "dpa.pdf"
    pdf.write_bytes(make_pdf([Heading("1. Processing"), Para(INSTRUCTIONS), Heading("2. Personnel"),
                              Para(CONFIDENTIAL_1), Heading("3. Audits"), Para(AUDIT),
                              Heading("4. Staff"), Para(CONFIDENTIAL_2)]))
    report = analyzer.analyze_file(pdf)
    assert report.finding("instructions").status.value == "met"
    assert report.finding("confidentiality").status.value == "met"
    gold = {"requirements": {"instructions": "met", "confidentiality": "met", "duration": "missing"},
            "evidence": {"instructions": [INSTRUCTIONS], "confidentiality": [CONFIDENTIAL_1]}}
    result = dict(removal_check(analyzer, pdf, gold, report))
    # Only requirements labelled and found met, with evidence the parser's blocks contain, are checked.
    assert set(result) == {"instructions", "confidentiality"}
    assert result["instructions"] is True  # nothing else in the document gives instructions
    assert result["confidentiality"] is False  # section 4 still states it: rightly still met

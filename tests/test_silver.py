"""Floors on vendor DPAs outside the labelled corpora: the unlabelled corpus texts against silver labels.

``scripts/experiments/silver_terms.json`` (key terms of 40 DPAs, adjudicated) and ``silver_requirements.json``
(statuses of 39 of them, in four batches) were read from the texts by annotator sessions; the texts are rendered
to PDF as the benchmark renders them. The rules were last widened against these very misses (docs/accuracy.md,
eleventh to fourteenth sessions), so the floors guard against regressions; they are no held-out estimate.
"""

from __future__ import annotations

import json

import pytest

from .conftest import ROOT, SHARED, needs_shared
from .pdfgen import make_pdf, markdown_items

pytestmark = [pytest.mark.model, pytest.mark.slow, needs_shared]
LABELS = ROOT / "scripts" / "experiments"
CORPUS = SHARED / "corpus" / "vendor-dpas"


@pytest.fixture(scope="module")
def silver(analyzer, tmp_path_factory):
    terms = json.loads((LABELS / "silver_terms.json").read_text())["documents"]
    statuses = json.loads((LABELS / "silver_requirements.json").read_text())["documents"]
    out = tmp_path_factory.mktemp("silver")
    reports = {}
    for name in sorted(terms):
        pdf = out / f"{name}.pdf"
        raw = (CORPUS / f"{name}.txt").read_text(encoding="utf-8", errors="replace")
        pdf.write_bytes(make_pdf(markdown_items(raw), header=f"{name} DPA", footer="Page {n} of {nb}",
                                 unicode_font=True))
        reports[name] = analyzer.analyze_file(pdf)
    return terms, statuses, reports


def _same(field: str, got, want) -> bool:
    if field == "transfer_mechanisms":  # adequacy is left out of the labels (see the file's "about")
        got, want = [m for m in got if m != "adequacy"], [m for m in want if m != "adequacy"]
    return sorted(got) == sorted(want) if isinstance(want, list) else got == want


def test_key_terms_on_unseen_vendor_dpas(silver):
    terms, _, reports = silver
    checks = [_same(f, reports[n].terms.to_dict()[f], want) for n, lab in terms.items()
              for f, want in lab["terms"].items()]
    assert len(checks) >= 300
    assert sum(checks) / len(checks) >= 0.96, (sum(checks), len(checks))  # achieved 304/307


def test_requirement_statuses_on_unseen_vendor_dpas(silver):
    _, statuses, reports = silver
    every, sure = [], []
    for name, lab in statuses.items():
        found = {f.requirement: f.status.value for f in reports[name].findings}
        for rid, want in lab["requirements"].items():
            right = (want == "met") == (found[rid] == "met")
            every.append(right)
            if rid not in lab["unsure"]:
                sure.append(right)
    assert len(every) == 1209
    assert sum(every) / len(every) >= 0.92, sum(every)  # achieved 0.940 (seventeenth session)
    assert sum(sure) / len(sure) >= 0.97, (sum(sure), len(sure))  # achieved 0.984 (815 labels)

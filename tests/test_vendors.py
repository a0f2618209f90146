"""Vendor profiles, vendor detection, and the fictional example DPAs with their ground truth."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest
import yaml

from pipeline.errors import ConfigError
from pipeline.library import load_library
from pipeline.models import Status, Terms
from pipeline.parse import parse_pdf
from pipeline.vendors import DpfStatus, EuResidency, detect_vendor, load_profiles, profile_for

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "vendors" / "examples"
CORPUS = ROOT.parent / "shared" / "corpus" / "vendor-dpas"
EXPECTED = json.loads((EXAMPLES / "expected.json").read_text(encoding="utf-8"))

WANTED = [
    "Tidio",
    "Crisp",
    "OpenAI",
    "Anthropic",
    "Mistral AI",
    "Aleph Alpha",
    "Microsoft",
    "Google",
    "Perplexity",
    "Plausible",
    "Scalingo",
    "Supabase",
    "Jasper",
    "Retool",
    "DeepL",
    "Intercom",
    "HubSpot",
    "Zendesk",
]


@pytest.fixture(scope="module")
def profiles():
    return load_profiles()


def _render_module():
    spec = importlib.util.spec_from_file_location("render_examples", ROOT / "scripts" / "render_examples.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # its dataclasses look their module up while the class is created
    spec.loader.exec_module(mod)
    return mod


# --- profiles ----------------------------------------------------------------------------------------


def test_profiles_cover_the_vendors_users_ask_about(profiles):
    names = {p.name for p in profiles}
    assert set(WANTED) <= names
    assert {p.name for p in profiles if p.fictional} == {"Chatterly", "Nimbus Notes AI", "Ledgerline"}
    for p in profiles:
        assert p.last_reviewed == "2026-11"
        assert p.aliases and p.legal_entity and p.hq_country
        assert isinstance(p.dpf_certified.status, DpfStatus) and isinstance(p.eu_data_residency, EuResidency)


def test_profile_for_matches_names_and_legal_entities(profiles):
    assert profile_for("OpenAI Ireland Limited", profiles).name == "OpenAI"
    assert profile_for("openai, l.l.c.", profiles).name == "OpenAI"
    assert profile_for("Mistral AI SAS", profiles).name == "Mistral AI"
    assert profile_for("Azure OpenAI", profiles).name == "Microsoft"
    assert profile_for("Unknown Widgets GmbH", profiles) is None
    assert profile_for("", profiles) is None


def _profile_dir(tmp_path: Path, **changes) -> Path:
    data = yaml.safe_load((ROOT / "vendors" / "profiles" / "plausible.yaml").read_text(encoding="utf-8"))
    data.update(changes)
    (tmp_path / "p.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return tmp_path


def test_yaml_booleans_are_accepted_for_dpf_status(tmp_path):
    [p] = load_profiles(_profile_dir(tmp_path, dpf_certified={"status": True, "as_of": "2026-11"}))
    assert p.dpf_certified.status is DpfStatus.TRUE


@pytest.mark.parametrize(
    "changes, match",
    [
        ({"dpa_url": "http://plausible.io/dpa"}, "https"),
        ({"eu_data_residency": "sometimes"}, "invalid"),
        ({"last_reviewed": "November"}, "invalid"),
        ({"dpf_certified": {"status": "maybe", "as_of": "2026-11"}}, "invalid"),
        ({"homepage": "https://plausible.io"}, "invalid"),
    ],
)
def test_invalid_profiles_are_rejected(tmp_path, changes, match):
    with pytest.raises(ConfigError, match=match):
        load_profiles(_profile_dir(tmp_path, **changes))


def test_broken_yaml_and_duplicate_names_are_rejected(tmp_path):
    d = _profile_dir(tmp_path)
    (d / "q.yaml").write_text((d / "p.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ConfigError, match="two profiles"):
        load_profiles(d)
    (d / "q.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_profiles(d)
    with pytest.raises(ConfigError, match="not found"):
        load_profiles(tmp_path / "missing")


# --- detection ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "filename, expected",
    [
        ("tidio-dpa-2024.pdf", "Tidio"),
        ("Aleph_Alpha_DPA_v2.pdf", "Aleph Alpha"),
        ("azure-openai-data-processing-addendum.pdf", "Microsoft"),
        ("mistral-2025.pdf", "Mistral AI"),
        ("acme-widgets-dpa-final-signed.pdf", "Acme Widgets"),
        ("online-7.pdf", "Online 7"),
        ("dpa.pdf", None),
        ("document.pdf", None),
    ],
)
def test_detect_vendor_from_file_name(profiles, filename, expected):
    assert detect_vendor("", filename, profiles) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "This Data Processing Agreement is entered into between Zorblax Analytics GmbH and the Customer.",
            "Zorblax Analytics",
        ),
        ('This addendum is made by Quuxly Ltd ("Processor") and the customer named in the order.', "Quuxly"),
        (
            "This agreement forms a binding contract between you and Frobnicate, and governs processing.",
            "Frobnicate",
        ),
        ("IF YOU ARE CONTRACTING WITH BLIPCORP INC., YOU WAIVE CLASS ACTIONS.", "BLIPCORP"),
        ("This Data Processing Addendum is concluded between OpenAI Ireland Limited and Customer.", "OpenAI"),
    ],
)
def test_detect_vendor_from_party_clause(profiles, text, expected):
    assert detect_vendor(text, "upload.pdf", profiles) == expected


def test_anonymised_text_falls_back_to_the_file_name(profiles):
    text = (
        "This DPA is an agreement between controller and processor. The processor shall act on instructions."
    )
    assert detect_vendor(text, "online-12.pdf", profiles) == "Online 12"


def test_a_sub_processor_named_late_does_not_beat_the_party(profiles):
    filler = "The processor shall protect personal data. " * 80
    text = (
        "This DPA is entered into between Acme Widgets GmbH and the Customer. "
        + filler
        + "Sub-processors: Google LLC (hosting), Google Cloud EMEA Limited (backups), Google LLC (email)."
    )
    assert len(text) > 3000
    assert detect_vendor(text, "x.pdf", profiles) == "Acme Widgets"


def test_common_words_are_not_vendor_names(profiles):
    text = "It is plausible that the parties agree. A plausible reading is that a crisp answer helps. " * 5
    assert detect_vendor(text, "contract.pdf", profiles) is None


@pytest.mark.skipif(not CORPUS.exists(), reason="vendor DPA corpus not available")
@pytest.mark.parametrize(
    "file, expected",
    [
        ("openai.txt", "OpenAI"),
        ("anthropic.txt", "Anthropic"),
        ("mistral.txt", "Mistral AI"),
        ("perplexity.txt", "Perplexity"),
        ("plausible.txt", "Plausible"),
        ("scalingo.txt", "Scalingo"),
        ("supabase.txt", "Supabase"),
        ("jasper.txt", "Jasper"),
        ("retool.txt", "Retool"),
    ],
)
def test_detect_vendor_on_real_dpa_text_without_file_name(profiles, file, expected):
    text = (CORPUS / file).read_text(encoding="utf-8")
    text = text[re.search(r"^---\s*$", text, flags=re.MULTILINE).end() :]  # drop the provenance header
    assert detect_vendor(text, "upload.pdf", profiles) == expected


# --- example DPAs ------------------------------------------------------------------------------------


@pytest.mark.parametrize("pdf", sorted(EXPECTED["documents"]))
def test_detect_vendor_on_example_pdfs(profiles, pdf):
    doc = parse_pdf(EXAMPLES / pdf)
    assert doc.pages >= 2
    assert detect_vendor(doc.text, "upload.pdf", profiles) == EXPECTED["documents"][pdf]["vendor"]
    assert profile_for(EXPECTED["documents"][pdf]["vendor"], profiles).fictional


def test_render_examples_produces_headers_footers_and_a_table(tmp_path):
    render = _render_module().render
    pages = render(EXAMPLES / "src" / "ledgerline.md", tmp_path / "ledgerline.pdf")
    assert pages >= 2
    doc = parse_pdf(tmp_path / "ledgerline.pdf")
    assert doc.pages == pages
    rows = [b.text for b in doc.blocks if b.kind.value == "table_row"]
    assert any("Stripe Payments Europe Limited" in r for r in rows)
    assert detect_vendor(doc.text, "scan.pdf", load_profiles()) == "Ledgerline"


def test_expected_json_is_complete_and_consistent():
    lib = load_library()
    assert EXPECTED["scored_requirements"] == lib.ids
    term_fields = {f.name for f in dataclasses.fields(Terms)}
    statuses = {s.value for s in Status}
    for name, doc in EXPECTED["documents"].items():
        assert (EXAMPLES / name).exists() and (EXAMPLES / "src" / name.replace(".pdf", ".md")).exists()
        assert list(doc["requirements"]) == lib.ids, name
        for rid, status in doc["requirements"].items():
            assert status in statuses
            assert status != "conflict" or lib.get(rid).conflict_possible, (name, rid)
        assert set(doc["terms"]) == term_fields, name
    statuses_by_doc = {n: set(d["requirements"].values()) for n, d in EXPECTED["documents"].items()}
    assert statuses_by_doc["nimbus-notes-ai.pdf"] == {"met", "missing", "conflict"}
    assert EXPECTED["documents"]["ledgerline.pdf"]["requirements"]["data-subjects"] == "missing"

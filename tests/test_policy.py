"""Procurement policies: validation, evaluation of key terms, and JSON/YAML files."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.library import Severity, load_library
from pipeline.models import DocStatus, Report, Terms
from pipeline.policy import (
    NOT_STATED,
    TERM_REQUIREMENT,
    Mechanism,
    Policy,
    evaluate_policy,
    policy_from_file,
    policy_to_file,
)

GOOD = Terms(
    breach_notice_hours=48, deletion_days=30, subprocessor_notice_days=30, objection_days=14,
    audit_scope="onsite", transfer_mechanisms=["SCC", "DPF"], data_locations=["EU", "US"],
    no_training="commits",
)


def report(**terms: object) -> Report:
    t = Terms(**{**GOOD.to_dict(), **terms})
    return Report(file="acme.pdf", sha256="a" * 64, vendor="Acme", terms=t)


def by_term(report_: Report, policy: Policy) -> dict[str, object]:
    return {d.term: d for d in evaluate_policy(report_, policy)}


def test_defaults() -> None:
    p = Policy()
    assert (p.max_breach_notice_hours, p.max_deletion_days) == (72, 30)
    assert p.min_subprocessor_notice_days is None and p.min_objection_days is None
    assert p.require_no_training and not p.require_eu_location and not p.require_onsite_audit
    assert set(p.accepted_transfer_mechanisms) == set(Mechanism)
    assert evaluate_policy(report(), p) == []


@pytest.mark.parametrize(
    ("term", "value", "policy", "expected_actual"),
    [
        ("breach_notice_hours", 72, {}, None),
        ("breach_notice_hours", 73, {}, "73 hours"),
        ("breach_notice_hours", None, {}, NOT_STATED),
        ("breach_notice_hours", None, {"max_breach_notice_hours": None}, None),
        ("deletion_days", 31, {}, "31 days"),
        ("deletion_days", None, {}, NOT_STATED),
        ("deletion_days", 90, {"max_deletion_days": 90}, None),
        ("subprocessor_notice_days", 10, {"min_subprocessor_notice_days": 30}, "10 days"),
        ("subprocessor_notice_days", 30, {"min_subprocessor_notice_days": 30}, None),
        ("subprocessor_notice_days", None, {"min_subprocessor_notice_days": 30}, NOT_STATED),
        ("subprocessor_notice_days", None, {}, None),
        ("objection_days", 7, {"min_objection_days": 14}, "7 days"),
        ("objection_days", None, {"min_objection_days": 14}, NOT_STATED),
        ("no_training", "silent", {}, NOT_STATED),
        ("no_training", "reserves", {}, "reserves the right to train"),
        ("no_training", "reserves", {"require_no_training": False}, None),
        ("audit_scope", "reports", {"require_onsite_audit": True}, "third-party reports only"),
        ("audit_scope", None, {"require_onsite_audit": True}, NOT_STATED),
        ("audit_scope", "reports", {}, None),
        ("data_locations", ["EU", "US"], {"require_eu_location": True}, "EU, US"),
        ("data_locations", [], {"require_eu_location": True}, NOT_STATED),
        ("data_locations", ["Germany", "Ireland", "EEA"], {"require_eu_location": True}, None),
        ("transfer_mechanisms", ["DPF"], {"accepted_transfer_mechanisms": ["SCC", "BCR"]}, "DPF"),
        ("transfer_mechanisms", [], {}, NOT_STATED),  # data also in the US, no transfer tool named
        ("transfer_mechanisms", [], {"accepted_transfer_mechanisms": None}, None),
    ],
)
def test_each_term(term: str, value: object, policy: dict, expected_actual: str | None) -> None:
    devs = by_term(report(**{term: value}), Policy(**policy))
    if expected_actual is None:
        assert term not in devs
    else:
        dev = devs[term]
        assert dev.actual == expected_actual
        assert expected_actual in dev.message and dev.request
        assert dev.requirement == TERM_REQUIREMENT[term]
    assert set(devs) <= {term}  # the other terms of GOOD stay within policy


def test_data_kept_in_eea_needs_no_transfer_mechanism() -> None:
    r = report(transfer_mechanisms=[], data_locations=["EU", "Norway"])
    assert evaluate_policy(r, Policy(require_eu_location=True)) == []


def test_severity_defaults_and_overrides() -> None:
    r = report(breach_notice_hours=None, deletion_days=365, no_training="reserves")
    devs = by_term(r, Policy())
    assert devs["breach_notice_hours"].severity is Severity.HIGH
    assert devs["deletion_days"].severity is Severity.MEDIUM
    assert devs["no_training"].expected == "commits not to train"
    devs = by_term(r, Policy(severity_overrides={"deletion_days": "high", "breach_notice_hours": "low"}))
    assert devs["deletion_days"].severity is Severity.HIGH
    assert devs["breach_notice_hours"].severity is Severity.LOW


def test_failed_report_has_no_deviations() -> None:
    failed = Report(file="x.pdf", status=DocStatus.ERROR, error="encrypted")
    assert evaluate_policy(failed, Policy(require_eu_location=True)) == []


def test_check_against_library() -> None:
    lib = load_library()
    Policy(severity_overrides={lib.ids[0]: "low", "deletion_days": "high"}).check_against(lib)
    with pytest.raises(ConfigError, match="no-such-requirement"):
        Policy(severity_overrides={"no-such-requirement": "low"}).check_against(lib)


@pytest.mark.parametrize("suffix", [".json", ".yaml", ".yml"])
def test_file_round_trip(tmp_path: Path, suffix: str) -> None:
    p = Policy(
        description="Strict EU procurement", max_breach_notice_hours=24, max_deletion_days=None,
        min_objection_days=14, require_eu_location=True,
        accepted_transfer_mechanisms=[Mechanism.SCC, Mechanism.ADEQUACY],
        severity_overrides={"audit": Severity.LOW},
    )
    path = policy_to_file(p, tmp_path / f"policy{suffix}")
    assert policy_from_file(path) == p
    text = path.read_text()
    assert "max_breach_notice_hours" in text and "adequacy" in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("max_breach_hours: 48\n", "max_breach_hours"),  # a typo is an error, not silently ignored
        ("max_breach_notice_hours: -1\n", "max_breach_notice_hours"),
        ("max_breach_notice_hours: soon\n", "max_breach_notice_hours"),
        ("accepted_transfer_mechanisms: [SCC, handshake]\n", "accepted_transfer_mechanisms"),
        ("severity_overrides: {audit: critical}\n", "severity_overrides"),
        ("- 72\n", "expected a mapping"),
        ("max_breach_notice_hours: [72\n", "not valid YAML"),
    ],
)
def test_invalid_yaml_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(content)
    with pytest.raises(ConfigError, match=message) as exc:
        policy_from_file(path)
    assert str(path) in str(exc.value)


def test_invalid_json_and_paths(tmp_path: Path) -> None:
    bad = tmp_path / "policy.json"
    bad.write_text('{"max_breach_notice_hours": 72,}')
    with pytest.raises(ConfigError, match="not valid JSON"):
        policy_from_file(bad)
    with pytest.raises(ConfigError, match="not found"):
        policy_from_file(tmp_path / "absent.yaml")
    with pytest.raises(ConfigError, match=r"\.json, \.yaml"):
        policy_to_file(Policy(), tmp_path / "policy.txt")
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    assert policy_from_file(empty) == Policy()  # an empty file means the defaults

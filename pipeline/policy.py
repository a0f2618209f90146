"""A company's procurement policy for DPAs, and how a report's key terms deviate from it.

The catalogue says whether a commitment exists; a policy says whether its *terms* are acceptable to
this company (e.g. breach notice within 72 hours, mirroring the controller's own 72-hour deadline
to the authority in Art. 33(1) GDPR). Policies are user input, so pydantic validates them strictly.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import ConfigError
from .library import Library, Severity
from .models import DocStatus, Report

log = logging.getLogger(__name__)

NOT_STATED = "not stated"


class Mechanism(str, Enum):
    """Transfer tools of Chapter V GDPR, as the terms extractor names them."""

    SCC = "SCC"  # Art. 46(2)(c)
    DPF = "DPF"  # EU-US Data Privacy Framework adequacy decision, Art. 45
    BCR = "BCR"  # Art. 47
    ADEQUACY = "adequacy"  # Art. 45


class Policy(BaseModel):
    """What the company accepts in a DPA's key terms. ``None`` switches a numeric check off."""

    model_config = ConfigDict(extra="forbid")

    description: str = ""
    max_breach_notice_hours: int | None = Field(
        72, ge=1, description="Vendor must notify breaches within this many hours (Art. 33)"
    )
    max_deletion_days: int | None = Field(
        30, ge=0, description="Data deleted or returned within this many days after the end of services"
    )
    min_subprocessor_notice_days: int | None = Field(
        None, ge=0, description="Advance notice of new sub-processors, in days (Art. 28(2))"
    )
    min_objection_days: int | None = Field(
        None, ge=0, description="Time the customer has to object to a new sub-processor, in days"
    )
    require_eu_location: bool = Field(False, description="Data stored and processed only in the EU/EEA")
    require_no_training: bool = Field(True, description="Vendor commits not to train models on the data")
    accepted_transfer_mechanisms: list[Mechanism] | None = Field(
        default_factory=lambda: list(Mechanism),
        description="Transfers outside the EEA must rest on one of these; None switches the check off",
    )
    require_onsite_audit: bool = Field(False, description="On-site inspections, not only SOC 2 / ISO reports")
    severity_overrides: dict[str, Severity] = Field(
        default_factory=dict, description="Severity per requirement id or term name, replacing the default"
    )

    def check_against(self, library: Library) -> None:
        """Fail fast on severity overrides that name neither a requirement nor a term."""
        known = set(library.ids) | set(TERM_REQUIREMENT)
        unknown = sorted(set(self.severity_overrides) - known)
        if unknown:
            raise ConfigError(f"policy: severity_overrides names unknown requirements or terms: {unknown}")

    def severity_of(self, key: str, default: Severity) -> Severity:
        """The override for a requirement id or term name, else ``default``."""
        return self.severity_overrides.get(key, default)


@dataclass(frozen=True)
class Deviation:
    """A key term of one document that the policy does not accept."""

    term: str
    expected: str
    actual: str
    message: str
    severity: Severity
    requirement: str  # the catalogue requirement the term belongs to
    request: str = ""  # what to ask the vendor for


# Which catalogue requirement each key term refines (for titles, sources and grouping in exports).
TERM_REQUIREMENT = {
    "breach_notice_hours": "breach-notification",
    "deletion_days": "deletion-return",
    "subprocessor_notice_days": "subprocessor-changes",
    "objection_days": "subprocessor-objection",
    "data_locations": "data-location",
    "no_training": "no-training",
    "transfer_mechanisms": "transfer-safeguards",
    "audit_scope": "audit",
}

# EU member states plus the EEA states (Iceland, Liechtenstein, Norway): GDPR applies there directly,
# so storage there needs no Chapter V transfer tool.
EEA = {
    "eu", "eea", "europe", "european union", "european economic area",
    "austria", "belgium", "bulgaria", "croatia", "cyprus", "czechia", "czech republic", "denmark",
    "estonia", "finland", "france", "germany", "greece", "hungary", "ireland", "italy", "latvia",
    "lithuania", "luxembourg", "malta", "netherlands", "the netherlands", "poland", "portugal",
    "romania", "slovakia", "slovenia", "spain", "sweden", "iceland", "liechtenstein", "norway",
}


def _in_eea(location: str) -> bool:
    loc = location.strip().casefold()
    return loc in EEA or loc.startswith(("eu-", "eu ", "europe"))


def evaluate_policy(report: Report, policy: Policy) -> list[Deviation]:
    """Every key term of ``report`` that ``policy`` does not accept, including terms not stated.

    A term the document leaves open counts as a deviation wherever the policy requires a value:
    an unstated breach deadline is no better, in negotiation, than a long one. A failed report has
    no terms to judge and yields nothing (the exports list the failure itself).
    """
    if report.status is not DocStatus.OK:
        return []
    t = report.terms
    out: list[Deviation] = []

    def add(term: str, expected: str, actual: str, message: str, severity: Severity, request: str) -> None:
        sev = policy.severity_of(term, severity)
        out.append(Deviation(term, expected, actual, message, sev, TERM_REQUIREMENT[term], request))

    def upper(term: str, limit: int | None, value: int | None, unit: str, what: str, sev: Severity) -> None:
        if limit is None or (value is not None and value <= limit):
            return
        actual = NOT_STATED if value is None else f"{value} {unit}"
        add(term, f"≤ {limit} {unit}", actual, f"{what}: {actual}, policy allows at most {limit} {unit}",
            sev, f"Commit to {what.lower()} within {limit} {unit}.")

    def lower(term: str, floor: int | None, value: int | None, what: str, sev: Severity) -> None:
        if floor is None or (value is not None and value >= floor):
            return
        actual = NOT_STATED if value is None else f"{value} days"
        add(term, f"≥ {floor} days", actual, f"{what}: {actual}, policy requires at least {floor} days",
            sev, f"Grant at least {floor} days of {what.lower()}.")

    upper("breach_notice_hours", policy.max_breach_notice_hours, t.breach_notice_hours, "hours",
          "Breach notification", Severity.HIGH)
    upper("deletion_days", policy.max_deletion_days, t.deletion_days, "days",
          "Deletion or return of data", Severity.MEDIUM)
    lower("subprocessor_notice_days", policy.min_subprocessor_notice_days, t.subprocessor_notice_days,
          "Notice of new sub-processors", Severity.MEDIUM)
    lower("objection_days", policy.min_objection_days, t.objection_days,
          "Objection period for new sub-processors", Severity.MEDIUM)

    if policy.require_no_training and t.no_training != "commits":
        reserves = t.no_training == "reserves"
        actual = "reserves the right to train" if reserves else NOT_STATED
        add("no_training", "commits not to train", actual,
            f"Use of customer data for model training: {actual}",
            Severity.HIGH, "Commit that customer personal data is not used to train or improve AI models.")

    if policy.require_eu_location:
        outside = [loc for loc in t.data_locations if not _in_eea(loc)]
        if not t.data_locations or outside:
            actual = ", ".join(t.data_locations) if t.data_locations else NOT_STATED
            add("data_locations", "EU/EEA only", actual, f"Data locations: {actual}, policy requires EU/EEA",
                Severity.HIGH, "Commit to store and process personal data only in the EU/EEA.")

    if policy.accepted_transfer_mechanisms is not None:
        accepted = {m.value for m in policy.accepted_transfer_mechanisms}
        stated = set(t.transfer_mechanisms)
        eea_only = bool(t.data_locations) and all(_in_eea(loc) for loc in t.data_locations)
        # Data kept in the EEA needs no transfer tool (Chapter V applies only to transfers out).
        if not (stated & accepted) and not eea_only:
            actual = ", ".join(sorted(stated)) if stated else NOT_STATED
            expected = "any of " + "/".join(m.value for m in policy.accepted_transfer_mechanisms)
            add("transfer_mechanisms", expected, actual,
                f"Transfer mechanism: {actual}, policy accepts {expected}", Severity.HIGH,
                f"Base any transfer outside the EEA on {expected} (Art. 44-46 GDPR).")

    if policy.require_onsite_audit and t.audit_scope != "onsite":
        actual = "third-party reports only" if t.audit_scope == "reports" else NOT_STATED
        add("audit_scope", "on-site audits", actual, f"Audit scope: {actual}, policy requires on-site audits",
            Severity.MEDIUM,
            "Allow on-site inspections by the customer or its mandated auditor (Art. 28(3)(h)).")
    return out


def policy_from_json(text: str, where: str = "policy") -> Policy:
    """Validate a policy given as JSON text; :class:`ConfigError` naming ``where`` if invalid."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{where} is not valid JSON: {exc}") from exc
    return _validate(data, where)


def _validate(data: object, where: str) -> Policy:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a mapping of policy settings, got {type(data).__name__}")
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or '(top)'}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"{where} is invalid: {problems}") from exc


def policy_to_file(policy: Policy, path: Path | str) -> Path:
    """Write a policy as JSON (``.json``) or YAML (``.yaml``/``.yml``); return the path."""
    p = Path(path)
    data = policy.model_dump(mode="json")
    suffix = p.suffix.lower()
    if suffix == ".json":
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    elif suffix in (".yaml", ".yml"):
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    else:
        raise ConfigError(f"{p}: policy files are .json, .yaml or .yml")
    p.write_text(text, encoding="utf-8")
    return p


def policy_from_file(path: Path | str) -> Policy:
    """Read and validate a JSON or YAML policy file; :class:`ConfigError` on any problem."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"policy file not found: {p}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"policy file {p} cannot be read: {exc}") from exc
    if p.suffix.lower() == ".json":
        return policy_from_json(text, where=f"policy file {p}")
    try:
        data = yaml.safe_load(text)  # YAML is a superset of JSON, so any other suffix reads too
    except yaml.YAMLError as exc:
        raise ConfigError(f"policy file {p} is not valid YAML: {exc}") from exc
    return _validate(data, f"policy file {p}")

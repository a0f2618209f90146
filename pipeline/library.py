"""The requirement library: ``clauses/requirements.yaml``, validated by pydantic on load.

Requirements are data (as presidio declares recognizers in YAML): the id and its meaning are fixed by
``shared/spec/requirements.md``; how each one is recognised (phrasings in our own words, cue patterns)
and the clause to request from a vendor are ours.
"""

from __future__ import annotations

import hashlib
import re
from enum import Enum
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import ConfigError

CLAUSES_DIR = Path(__file__).resolve().parent.parent / "clauses"
DEFAULT_LIBRARY = CLAUSES_DIR / "requirements.yaml"


class Group(str, Enum):
    """Catalogue section a requirement belongs to."""

    ART28 = "art28"  # A. GDPR Art. 28 mandatory obligations
    DETAILS = "details"  # B. processing details, Art. 28(3) first sentence
    BEYOND = "beyond"  # C. beyond the letter of Art. 28 (SaaS / AI procurement)


class Severity(str, Enum):
    """How much a gap matters in negotiation."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


GROUP_TITLES = {
    Group.ART28: "Art. 28 obligations",
    Group.DETAILS: "Processing details",
    Group.BEYOND: "Beyond Art. 28",
}


def _compile(patterns: list[str], where: str) -> list[str]:
    for p in patterns:
        try:
            re.compile(p)
        except re.error as exc:
            raise ValueError(f"{where}: invalid regex {p!r}: {exc}") from exc
    return patterns


class Requirement(BaseModel):
    """One requirement of the catalogue and how we recognise it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9-]+$")
    title: str
    group: Group
    source: str = Field(description="Legal source, e.g. 'Art. 28(3)(h) GDPR'")
    severity: Severity
    description: str = Field(description="What 'met' means, in one sentence (our words)")
    conflict_possible: bool = False
    phrasings: list[str] = Field(min_length=3, description="Processor commitments that meet it, our own words")
    negatives: list[str] = Field(
        default_factory=list, description="Near misses that must not meet it (controller duties, definitions)"
    )
    conflict_phrasings: list[str] = Field(default_factory=list, description="Reservations of the opposite")
    cues: list[str] = Field(default_factory=list, description="Regexes; a passage must match one to be met")
    conflict_cues: list[str] = Field(default_factory=list, description="Regexes that mark a reservation")
    disqualifiers: list[str] = Field(
        default_factory=list, description="Regexes; a passage matching one never meets this requirement"
    )
    definitions_meet: list[str] = Field(
        default_factory=list,
        description="Case-insensitive regexes; a definition (library `definitions`) matching one can meet it "
        "('\"Sub-processor List\" means …'); any other definition never does",
    )
    request: str = Field(description="Model clause to request from the vendor when the finding is a gap")

    @field_validator("cues", "conflict_cues", "disqualifiers", "definitions_meet")
    @classmethod
    def _valid_regex(cls, v: list[str]) -> list[str]:
        return _compile(v, "cue")

    @model_validator(mode="after")
    def _conflict_consistent(self) -> Requirement:
        if self.conflict_phrasings and not self.conflict_possible:
            raise ValueError(f"{self.id}: conflict_phrasings given but conflict_possible is false")
        return self


class Synonym(BaseModel):
    """A wording of translated or national drafting that the rule readers read as the GDPR's own words."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pattern: str = Field(description="Regex (case-sensitive unless it says (?i)) for the other wording")
    replace: str = Field(description="The GDPR's words the readers know, e.g. 'personal data breach'")

    @field_validator("pattern")
    @classmethod
    def _valid(cls, v: str) -> str:
        return _compile([v], "synonym")[0]


class Library(BaseModel):
    """The whole clause library."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str
    denials: list[str] = Field(
        default_factory=list,
        description="Regexes for a passage that denies a commitment ('is not obliged to'); never evidence of met",
    )
    definitions: list[str] = Field(
        default_factory=list,
        description="Regexes for a definition ('\"X\" means …'); evidence of met only where definitions_meet",
    )
    synonyms: list[Synonym] = Field(
        default_factory=list,
        description="Other drafting traditions' words for the GDPR's ('the Entrustor' for the controller), "
        "rewritten in what the rule readers read; evidence shows the passage as written",
    )
    requirements: list[Requirement]

    @field_validator("denials", "definitions")
    @classmethod
    def _valid_denials(cls, v: list[str]) -> list[str]:
        return _compile(v, "denial")

    @model_validator(mode="after")
    def _unique(self) -> Library:
        ids = [r.id for r in self.requirements]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            raise ValueError(f"duplicate requirement ids: {sorted(dup)}")
        return self

    @property
    def ids(self) -> list[str]:
        """Requirement ids in catalogue order (the order of findings in every report)."""
        return [r.id for r in self.requirements]

    def get(self, rid: str) -> Requirement:
        """The requirement with this id; :class:`ConfigError` if unknown."""
        for r in self.requirements:
            if r.id == rid:
                return r
        raise ConfigError(f"unknown requirement id {rid!r}")

    def fingerprint(self) -> str:
        """Short content hash, recorded in each report's provenance."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()[:12]


def load_library(path: Path | str | None = None) -> Library:
    """Load and validate a clause library (default: the bundled ``clauses/requirements.yaml``)."""
    p = Path(path) if path else DEFAULT_LIBRARY
    return _load(p.resolve())


@lru_cache(maxsize=4)
def _load(path: Path) -> Library:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"clause library not found: {path}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"clause library {path} is not valid YAML: {exc}") from exc
    try:
        return Library.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"clause library {path} is invalid:\n{exc}") from exc

"""Vendor profiles (``vendors/profiles/*.yaml``) and detection of the vendor behind a DPA.

Profiles carry public facts a buyer compares beside the clause findings (legal entity, hosting, EU-US
Data Privacy Framework status, EU data residency). They are data, validated by pydantic on load like the
clause library. :func:`detect_vendor` names the vendor of a document from its text, its party clause or,
for anonymised documents, its file name.
"""

from __future__ import annotations

import logging
import re
from enum import Enum
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import ConfigError

log = logging.getLogger(__name__)

PROFILES_DIR = Path(__file__).resolve().parent.parent / "vendors" / "profiles"

# How much of the document the alias search reads: the parties and the vendor's own name sit at the top,
# while sub-processor tables near the end name other companies (e.g. a cloud host), which must not win.
_ALIAS_WINDOW = 20_000
_PARTY_WINDOW = 3_000
_MIN_ALIAS_SCORE = 1.5


class DpfStatus(str, Enum):
    """Listing under the EU-US Data Privacy Framework (an adequacy basis, GDPR Art. 45)."""

    TRUE = "true"
    FALSE = "false"
    UNKNOWN = "unknown"


class EuResidency(str, Enum):
    """Whether personal data can be kept in the EU (relevant to GDPR Chapter V transfers)."""

    DEFAULT = "default"  # stored in the EU for every customer
    OPTION = "option"  # an EU region / data boundary can be chosen
    NONE = "none"  # not offered
    UNKNOWN = "unknown"


class DpfCertification(BaseModel):
    """DPF status with the month it was last checked (listings change)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    status: DpfStatus
    as_of: str = Field(pattern=r"^\d{4}-\d{2}(-\d{2})?$")

    @field_validator("status", mode="before")
    @classmethod
    def _yaml_bool(cls, v: object) -> object:
        # YAML reads an unquoted true/false as a bool; accept it as the matching status.
        if isinstance(v, bool):
            return "true" if v else "false"
        return v


class VendorProfile(BaseModel):
    """Public facts about one vendor, and the names under which it appears in documents."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list, description="Names and legal entities to detect in text")
    legal_entity: str
    hq_country: str
    hosting_regions: list[str] = Field(default_factory=list)
    dpa_url: str | None = None
    dpf_certified: DpfCertification
    eu_data_residency: EuResidency = EuResidency.UNKNOWN
    notes: list[str] = Field(default_factory=list, description="Cautious public facts; uncertain ones marked")
    last_reviewed: str = Field(pattern=r"^\d{4}-\d{2}$")
    category: str = ""
    fictional: bool = False

    @field_validator("dpa_url")
    @classmethod
    def _https(cls, v: str | None) -> str | None:
        if v is not None and not v.startswith("https://"):
            raise ValueError(f"dpa_url must be an https URL, got {v!r}")
        return v

    @property
    def names(self) -> list[str]:
        """The profile name followed by its aliases, without duplicates."""
        out: list[str] = []
        for n in [self.name, *self.aliases]:
            if n not in out:
                out.append(n)
        return out


def load_profiles(dir: Path | str | None = None) -> list[VendorProfile]:
    """Load and validate every ``*.yaml`` profile in ``dir`` (default: ``vendors/profiles``), sorted by name.

    Raises :class:`ConfigError` for invalid YAML, a profile failing validation, or a name used twice.
    """
    d = Path(dir) if dir else PROFILES_DIR
    return list(_load_dir(d.resolve()))


@lru_cache(maxsize=4)
def _load_dir(d: Path) -> tuple[VendorProfile, ...]:
    if not d.is_dir():
        raise ConfigError(f"vendor profile folder not found: {d}")
    profiles: list[VendorProfile] = []
    for path in sorted(d.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ConfigError(f"vendor profile {path.name} is not valid YAML: {exc}") from exc
        try:
            profiles.append(VendorProfile.model_validate(data))
        except ValidationError as exc:
            raise ConfigError(f"vendor profile {path.name} is invalid:\n{exc}") from exc
    seen: dict[str, str] = {}
    for p in profiles:
        key = _norm(p.name)
        if key in seen:
            raise ConfigError(f"vendor name {p.name!r} appears in two profiles")
        seen[key] = p.name
    return tuple(sorted(profiles, key=lambda p: p.name.lower()))


def profile_for(name: str | None, profiles: list[VendorProfile]) -> VendorProfile | None:
    """The profile whose name or an alias equals ``name`` (ignoring case, punctuation, legal form)."""
    if not name:
        return None
    key = _norm(name)
    if not key:
        return None
    for p in profiles:
        if any(_norm(n) == key for n in p.names):
            return p
    return None


def detect_vendor(text: str, filename: str, profiles: list[VendorProfile]) -> str | None:
    """Name the vendor of a DPA, or ``None`` when nothing points to one.

    Three signals, in order of trust:

    1. a known profile's alias in the first pages, scored by how early and how often it appears;
    2. a party clause in the first ~3000 characters ("between X and Customer", 'X ("Processor")',
       "X, Inc."), mapped to a profile when it names one;
    3. the file name ("tidio-dpa-2024.pdf" -> "Tidio"), via profile aliases, else its title-cased stem
       with DPA / version / date noise removed (anonymised documents end here).
    """
    best, first_pos = _best_alias(text[:_ALIAS_WINDOW], profiles)
    party = _party_name(text[:_PARTY_WINDOW])
    party_profile = profile_for(party, profiles) if party else None
    if party_profile:
        return party_profile.name
    # A known name that first shows up only after the opening pages is more likely a sub-processor or a
    # hosting provider than the vendor; a party named at the top then wins.
    if best and (first_pos < _PARTY_WINDOW or not party):
        return best
    if party:
        return party
    return _from_filename(filename, profiles)


# --- signal 1: known aliases -------------------------------------------------------------------------


def _alias_pattern(alias: str) -> re.Pattern[str]:
    body = re.escape(alias).replace(r"\ ", r"\s+")
    left = r"(?<![\w.])" if alias[:1].isalnum() else ""
    right = r"(?![\w])" if alias[-1:].isalnum() else ""
    return re.compile(left + body + right, re.IGNORECASE)


def _position_weight(pos: int) -> float:
    # The vendor's own name sits in the title and party clause; later mentions count less.
    if pos < 1_500:
        return 1.0
    if pos < 6_000:
        return 0.5
    return 0.25


def _best_alias(head: str, profiles: list[VendorProfile]) -> tuple[str | None, int]:
    """The best-scoring profile name (or ``None`` below the threshold) and its first position."""
    scores: dict[str, float] = {}
    first: dict[str, int] = {}
    lowered = head.lower()
    for p in profiles:
        spans: set[tuple[int, int]] = set()
        for alias in p.names:
            words = alias.lower().split()
            if not words or words[0] not in lowered:  # a plain substring test first: most aliases are absent
                continue
            for m in _alias_pattern(alias).finditer(head):
                hit = m.group(0)
                # A proper noun: "Plausible" or "SCALINGO" count, the adjective "plausible" does not.
                if any(c.isupper() for c in alias) and hit == hit.lower():
                    continue
                if any(s <= m.start() < e for s, e in spans):  # "OpenAI" inside "OpenAI, LLC"
                    continue
                spans.add((m.start(), m.end()))
        score = sum(_position_weight(s) for s, _ in spans)
        if score:
            scores[p.name] = score
            first[p.name] = min(s for s, _ in spans)
    if not scores:
        return None, -1
    name, score = max(scores.items(), key=lambda kv: kv[1])
    log.debug("vendor alias scores: %s", scores)
    return (name, first[name]) if score >= _MIN_ALIAS_SCORE else (None, -1)


# --- signal 2: party clause --------------------------------------------------------------------------

_LEGAL_FORM = (
    r"Inc|Incorporated|L\.?L\.?C|Ltd|Limited|GmbH|AG|SAS|S\.A\.S|SARL|SE|S\.A|AB|ApS|A/S|B\.V|BV|N\.V|"
    r"OÜ|Oy|PBC|Corp|Corporation|Plc|PLC|LLP|S\.r\.l|Srl|Sp\. z o\.o|KG|UG|"
    r"INC|LTD|LIMITED|GMBH|CORP|CORPORATION"  # all-caps notices ("CONTRACTING WITH SNAP INC.")
)
_NAME = r"[A-Z][\w&'’.-]*(?:[ -](?:[A-Z0-9][\w&'’.-]*|of|&|de|du)){0,4}"
_LOWER_NAME = r"(?<![\w.])[a-z][\w&'’.-]+"  # "fortrabbit GmbH": only with a legal form after it
_GENERIC = frozenset(
    """customer client controller processor company vendor supplier provider you we us party parties agreement
    addendum dpa licensee subscriber user this the general applicable eu european uk swiss standard services
    service contractor principal annex schedule section master commissioned model template sample mutual
    global enterprise saas software cloud online pty main framework international accountant""".split()
) | {"data processor", "data controller", "service provider"}
# Words that end a run-in of capitals before the name ("IF YOU ARE CONTRACTING WITH SNAP INC.").
_CUT = frozenset(
    """if you are with and or the by for to between from at on in is this that your our we a an as under
    customer client""".split()
)
_COUNTERPART = r"(?:the\s+)?(?:[Cc]ustomer|[Cc]lient|[Cc]ontroller|you|[Ll]icensee|[Ss]ubscriber|entity)"
_DOC_TITLE = (
    r"Data\s+Processing\s+(?:Agreement|Addendum|Terms|Exhibit)|DPA\b|"
    r"Data\s+Protection\s+(?:and\s+Security\s+)?(?:Addendum|Agreement|Exhibit)|Terms\s+of\s+Service|"
    r"Terms\s+and\s+Conditions|Subscription\s+Agreement|Customer\s+Agreement"
)
_PARTY_PATTERNS = [
    # "X, Inc." / "X GmbH" / "X SAS": a company with a legal form.
    re.compile(rf"(?P<name>{_NAME}),?\s+(?:{_LEGAL_FORM})\.?(?![\w])"),
    re.compile(rf"(?P<name>{_LOWER_NAME}),?\s+(?:{_LEGAL_FORM})\.?(?![\w])"),
    # 'X ("Processor")' / 'X (the "Vendor")' / 'X (as a processor)'.
    re.compile(
        rf"(?P<name>{_NAME})\s*\(\s*(?:the\s+|hereinafter\s+|as\s+(?:a|the)\s+)?[\"“”'‘]?\s*"
        r"(?:Processor|Data Processor|processor|Vendor|Supplier|Provider|Service Provider|Company|we|us)"
        r"\s*[\"“”'’]?\s*(?:\)|,|;|or\b)"
    ),
    # "X is its data processor".
    re.compile(rf"(?P<name>{_NAME})\s+(?:is|acts\s+as)\s+(?:its|the|a)\s+(?:data\s+)?processor"),
    # "between X and Customer" / "signed by X and the Client".
    re.compile(rf"(?:between|by)\s+(?:the\s+)?(?P<name>{_NAME})(?:,[^,]{{0,80}},)?\s+and\s+{_COUNTERPART}\b"),
    # "between you and X" / "between Customer and X".
    re.compile(rf"between\s+{_COUNTERPART}\s+and\s+(?P<name>{_NAME})"),
    # A title: "X Data Processing Agreement", "the X Terms of Service".
    re.compile(rf"(?P<name>{_NAME})\s+(?:{_DOC_TITLE})"),
    # "X's services".
    re.compile(rf"(?P<name>{_NAME})['’]s\s+(?:services?|platform|products?|software)\b"),
]


_NUMBERISH = re.compile(r"^(?:[\d.,/:-]+|No\.?|Nr\.?)$")


def _clean_party(name: str) -> str | None:
    name = re.sub(rf",?\s+(?:{_LEGAL_FORM})\.?$", "", name.strip(" ,.;:")).strip(" ,.;:")
    words = name.split()
    # Keep what follows the last function word or number:
    # "... WITH SNAP" -> "SNAP", "No. 123 GSGroup" -> "GSGroup".
    cut = max((i for i, w in enumerate(words) if w.lower() in _CUT or _NUMBERISH.match(w)), default=-1)
    words = words[cut + 1 :]
    name = re.sub(r"['’]s$", "", " ".join(words)).strip(" ,.;:'’")
    if re.match(r"(?i)(customer|client|controller|processor)\b", name):
        return None
    if len(name) < 2 or name.lower() in _GENERIC or re.fullmatch(rf"(?i)(?:{_LEGAL_FORM})\.?", name):
        return None
    if any(w.lower() in {"processing", "addendum", "agreement", "dpa", "terms", "protection"} for w in words):
        return None
    return name


def _party_name(head: str) -> str | None:
    head = re.sub(r"[*_`#]+", "", head)  # markdown emphasis in texts converted from HTML
    found: list[tuple[int, str]] = []
    for pat in _PARTY_PATTERNS:
        for m in pat.finditer(head):
            if (
                head[max(0, m.start("name") - 2) : m.start("name")].strip() == ","
                and pat is not _PARTY_PATTERNS[0]
            ):
                continue  # the tail of an address ("..., Norway (the "processor")"), not a party name
            cleaned = _clean_party(m.group("name"))
            if cleaned:
                found.append((m.start("name"), cleaned))
                break
    if not found:
        return None
    return min(found)[1]


# --- signal 3: file name ------------------------------------------------------------------------------

_NOISE = frozenset(
    """dpa data processing processor addendum agreement agreements terms gdpr avv final signed draft current
    latest copy legal pdf en de fr and the document doc file scan scanned untitled contract upload
    attachment""".split()
)
_NOISE_TOKEN = re.compile(r"^(?:v\d+(?:\.\d+)*|(?:19|20)\d\d|\d{6,8}|variant\d*|rev\d*|version)$")


def _from_filename(filename: str, profiles: list[VendorProfile]) -> str | None:
    stem = Path(filename).stem if filename else ""
    tokens = [t for t in re.split(r"[\s_.\-()+]+", stem.lower()) if t]
    tokens = [t for t in tokens if t not in _NOISE and not _NOISE_TOKEN.match(t)]
    if not tokens:
        return None
    # Longest leading run of tokens that names a profile: "aleph-alpha-..." -> "Aleph Alpha".
    for k in range(len(tokens), 0, -1):
        p = profile_for(" ".join(tokens[:k]), profiles)
        if p:
            return p.name
    return " ".join(t if any(c.isdigit() for c in t) else t.capitalize() for t in tokens)


def _norm(name: str) -> str:
    """Lower-case alphanumerics of a name without a trailing legal form ("OpenAI, L.L.C." -> "openai")."""
    s = re.sub(rf"[,\s]+(?i:{_LEGAL_FORM})\.?\s*$", "", name.strip())
    return re.sub(r"[^0-9a-zà-ÿ]+", "", s.lower())

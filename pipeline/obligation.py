"""Who is obliged: the party that is the grammatical subject of a sentence's duties and rights.

GDPR Art. 28(3) lists duties of the *processor*. "The Client shall give its instructions in writing" reads
almost like the processor's instruction duty (Art. 28(3)(a)) to a sentence embedding, yet it obliges the
controller and meets nothing. This module finds, for each modal verb of a sentence ("shall", "will",
"must", "may", "agrees to", "is entitled to", …), the party named just before it and whether the verb
states a duty or a right. :func:`obligation_features` turns that into a few columns the sentence scorer can
take as an extra feature block (``featurize(..., features=(..., "obligation"))``), so each requirement's head
learns how much the obliged party matters to it (a controller duty rarely meets a processor requirement; a
controller *right* does meet ``subprocessor-objection``). Measured on both corpora it moved as many decisions
wrong as right, so the bundled model does not use it (docs/accuracy.md); it is opt-in via
``scripts/train_matcher.py --features tfidf,embedding,obligation``.

Party names are generic contract roles, never one vendor's wording: the processor side ("Processor",
"Supplier", "Vendor", "Service Provider", "we"), the controller side ("Controller", "Customer", "Client",
"you"), sub-processors, data subjects, supervisory authorities, both parties, and any other capitalised
name (usually the vendor's own name in vendor-written DPAs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

import numpy as np


class Party(str, Enum):
    """The obliged (or entitled) party of a clause."""

    PROCESSOR = "processor"
    CONTROLLER = "controller"
    SUBPROCESSOR = "subprocessor"
    DATA_SUBJECT = "data_subject"
    AUTHORITY = "authority"
    PARTIES = "parties"
    NAME = "name"  # a capitalised name that is no role word (in vendor DPAs mostly the vendor itself)
    OTHER = "other"  # a non-party subject ("Personal data shall be …", "This DPA will …", "it")


class Modality(str, Enum):
    """Whether the modal verb imposes a duty or grants a right."""

    DUTY = "duty"
    RIGHT = "right"


# Checked in this order on the words just before the verb; the rightmost match wins, so "the Customer's
# sub-processor" is a sub-processor and "the Processor's personnel" is the processor.
_PARTY_RX: list[tuple[Party, re.Pattern]] = [
    (Party.SUBPROCESSOR, re.compile(
        r"(?i)\b(sub-?\s?processors?|sub-?\s?contractors?|(other|another|further)\s+processors?)\b")),
    (Party.CONTROLLER, re.compile(
        r"(?i)\b(controllers?|customers?|clients?|you|subscribers?|licensees?|data\s+exporters?|"
        r"responsible\s+part(y|ies)|principals?)\b")),
    (Party.PROCESSOR, re.compile(
        r"(?i)\b(processors?|suppliers?|vendors?|(service\s+)?providers?|contractors?|we|data\s+importers?|"
        r"licensors?)\b")),
    (Party.DATA_SUBJECT, re.compile(r"(?i)\b(data\s+subjects?|individuals?|end[-\s]users?|users?)\b")),
    (Party.AUTHORITY, re.compile(r"(?i)\b((supervisory|competent|public)\s+authorit(y|ies)|regulators?)\b")),
    (Party.PARTIES, re.compile(r"(?i)\b(the\s+parties|each\s+party|either\s+party|both\s+parties|"
                               r"neither\s+party|the\s+other\s+party)\b")),
]
# Modal verbs and their duty/right reading. "shall not"/"may not" stay duties (a prohibition binds the party).
_MODAL_RX = re.compile(
    r"(?i)\b(?P<duty>shall|must|will|undertakes?\s+to|agrees?\s+to|commits?\s+to|warrants?|"
    r"(is|are)\s+(obliged|required|responsible|obligated|bound)|has\s+to|have\s+to|ensures|guarantees)"
    r"|\b(?P<right>may(?!\s+not|\s+\d)|can(?!not)|(is|are)\s+(entitled|permitted|allowed|authori[sz]ed)|"
    r"(has|have|retains?|reserves?)\s+the\s+right)\b")
_MAY_NOT_RX = re.compile(r"(?i)\b(may\s+not|cannot|can\s+not)\b")
# "… shall be deleted by the Processor": the agent of a passive duty.
_PASSIVE_AGENT_RX = re.compile(r"(?i)\b(shall|will|must)\s+be\s+\w+ed\s+by\s+(the\s+)?(?P<agent>[\w-]+(\s+\w+)?)")
_BOUNDARY = re.compile(r"[,;:()\[\]]|\b(and|or|that|which|who|if|where|when|unless|whereas|provided)\b",
                       re.IGNORECASE)
# A name subject: capitalised words only, no article ("Acme shall", "Mistral AI will"); "the Security Annex
# shall" or "Personal Data shall" are defined terms, not parties.
_NAME_RX = re.compile(r"^([A-Z][\w&.'-]*\s*){1,4}$")
_NOT_NAMES = re.compile(
    r"(?i)\b(the|this|these|those|such|any|all|each|every|it|its|he|she|they|to|personal|data|agreement|dpa|addendum|"
    r"terms?|clauses?|section|article|annex|appendix|schedule|exhibit|services?|processing|member|states?|"
    r"law|laws|information|security|measures?|party|parties)\b")
WINDOW = 6  # words before the verb searched for the subject


@dataclass(frozen=True)
class Obligation:
    """One modal verb of a sentence: who it binds or entitles, and how."""

    party: Party
    modality: Modality
    verb: str


def _subject(before: str) -> Party:
    """The party named in the words just before a modal verb (after the last clause boundary)."""
    cut = list(_BOUNDARY.finditer(before))
    span = before[cut[-1].end():] if cut else before
    words = span.split()[-WINDOW:]
    tail = " ".join(words)
    best: tuple[int, Party] | None = None
    for party, rx in _PARTY_RX:
        for m in rx.finditer(tail):
            if best is None or m.end() > best[0]:
                best = (m.end(), party)
    if best:
        return best[1]
    if _NAME_RX.match(tail.strip()) and not _NOT_NAMES.search(tail):
        return Party.NAME
    return Party.OTHER


def _party_of(name: str) -> Party:
    for party, rx in _PARTY_RX:
        if rx.search(name):
            return party
    return Party.NAME if _NAME_RX.match(name) and not _NOT_NAMES.search(name) else Party.OTHER


def obligations(text: str) -> list[Obligation]:
    """Every modal verb of ``text`` with the party it binds or entitles, in reading order."""
    text = re.sub(r"\(s\)", "s", text)  # "Sub-processor(s)" is one word, not a parenthesis
    out: list[Obligation] = []
    passive = {m.start(): m for m in _PASSIVE_AGENT_RX.finditer(text)}
    for m in _MODAL_RX.finditer(text):
        modality = Modality.DUTY if m.group("duty") else Modality.RIGHT
        pm = passive.get(m.start())
        if pm is not None and _party_of(pm.group("agent")) != Party.OTHER:
            out.append(Obligation(_party_of(pm.group("agent")), modality, m.group(0).lower()))
            continue
        out.append(Obligation(_subject(text[: m.start()]), modality, m.group(0).lower()))
    for m in _MAY_NOT_RX.finditer(text):  # a prohibition is a duty of its subject
        out.append(Obligation(_subject(text[: m.start()]), Modality.DUTY, m.group(0).lower()))
    return out


def primary_party(text: str) -> Party | None:
    """The party bound by the sentence's first modal verb (None when it has none)."""
    obs = obligations(text)
    return obs[0].party if obs else None


# Feature columns: (party, modality) pairs that occur in the sentence, plus "no modal verb at all".
FEATURES: list[tuple[Party, Modality]] = [(p, m) for p in Party for m in Modality]
N_FEATURES = len(FEATURES) + 1


def obligation_features(texts: list[str]) -> np.ndarray:
    """(len(texts), N_FEATURES) multi-hot of the (party, duty/right) pairs in each text; last column: none."""
    col = {f: i for i, f in enumerate(FEATURES)}
    out = np.zeros((len(texts), N_FEATURES), dtype=np.float32)
    for i, t in enumerate(texts):
        obs = obligations(t)
        if not obs:
            out[i, -1] = 1.0
        for o in obs:
            out[i, col[(o.party, o.modality)]] = 1.0
    return out

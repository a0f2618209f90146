"""The parties as a DPA names them: role labels the document itself defines ("hereinafter "the Operator"").

A translated DPA often calls its parties by its own law's words and says in its preamble which is which: a
Brazilian one "ABC Ltda., as processor (hereinafter "the Operator")", a Romanian one "XYZ S.R.L., acting as
controller (hereinafter "the Operator")" — the same label, opposite roles, so no library-wide synonym can read it
(``clauses/requirements.yaml`` leaves "the Operator" out). :func:`defined_parties` reads the document's own
definitions and gives, for that document only, the label in the GDPR's words (Art. 4(7) controller, 4(8)
processor), which :mod:`pipeline.wording` applies before the library's synonyms.

Only labels the document introduces with "the" ("the "Operator"", ""the Operator"", "the Operator acts as
processor") or as "Party A" / "Party B" count: a company's short name (""Acme"") is the vendor, which the readers
already tell from the customer, and a label the readers know ("Customer", "Supplier", "Processor") needs no
reading. A label defined with both roles is left as it is.
"""

from __future__ import annotations

import re

from .models import Chunk

_ROLE = r"(?:the\s+|a\s+|an\s+)?(?:data\s+)?(?P<role>processor|controller)\b(?!['’]s)"
_AS_ROLE = (r"(?:,\s*)?(?:acting\s+|who\s+acts\s+|which\s+acts\s+)?(?:as|in\s+(?:its|the|their)\s+capacity\s+(?:as|of))"
            r"\s+" + _ROLE)
# The label itself: a capitalised word or three, in quotes after "the" or with "the" inside the quotes.
_LABEL = r"(?P<label>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,2})"
_QUOTED = r"(?:\bthe\s+[\"“]|[\"“]the\s+)" + _LABEL + r"[\"”]"
_HEREINAFTER = r"(?:\(?\s*(?:hereinafter|hereafter)\s+(?:(?:referred\s+to|called|designated|named)\s+as\s+)?)?"
_FORMS = [
    # "ABC Ltda., in its capacity as processor (hereinafter "the Operator")"
    # (right after it: not the next party's label, "acting as processor, and the "Beneficiary"")
    re.compile(_AS_ROLE + r"[\s,(]{0,4}" + _HEREINAFTER + _QUOTED, re.I),
    # "ABC Ltda. (hereinafter the "Operator"), acting as processor"; "the "Executor" shall act as processor"
    re.compile(_HEREINAFTER + _QUOTED + r"\)?\s*(?:,\s*)?(?:(?:shall|will)\s+act|acts|is\s+acting)?\s*" + _AS_ROLE,
               re.I),
    # "the Executor acts as the data processor" (capitalised, after "the")
    re.compile(r"\b[Tt]he\s+" + _LABEL + r"\s+(?:shall\s+act|will\s+act|acts|is\s+acting)\s+as\s+" + _ROLE),
    # '"Operator" means the processor engaged under …' / 'the "Executor" means the data processor.'; not '"Acme
    # Group" means the Processor and its Affiliates', '"SCCs" means the controller to processor clauses'
    re.compile(r"[\"“](?:the\s+)?" + _LABEL + r"[\"”]\s+(?:means|shall\s+mean|refers\s+to)\s+" + _ROLE
               + r"(?=\s*(?:[.;,)]|$)|\s+(?:under|in|of|for|pursuant|engaged|appointed|named|identified|that|who|"
               r"which)\b)",
               re.I),
    # "Party A (the Controller)", "Party B ("Processor")", "Party A, as the controller"
    re.compile(r"\b(?P<label>Party\s+[A-Z])\b\s*(?:\(\s*(?:hereinafter\s+)?(?:the\s+)?[\"“]?(?:data\s+)?"
               r"(?P<role>Controller|Processor)[\"”]?\s*\)|,?\s+as\s+" + _ROLE.replace("role", "role2") + ")",
               re.I),
]
# Labels the readers already know (textrx.CUSTOMER_NAMES and the processor's usual names), and the roles.
_KNOWN = re.compile(r"(?i)^(?:(?:data\s+)?(?:processor|controller|exporter|importer)|sub-?processor|customer|client|"
                    r"vendor|supplier|provider|service\s+provider|contractor|company|licensee|licensor|subscriber|"
                    r"merchant|parties|party|agreement|dpa|services?)$")
PREAMBLE_CHUNKS = 40  # the parties are defined at the start (and in a definitions clause there)


def party_roles(chunks: list[Chunk]) -> dict[str, str]:
    """Each party label the document's preamble defines, and its GDPR role ("Processor" or "Controller")."""
    roles: dict[str, set[str]] = {}
    for c in chunks[:PREAMBLE_CHUNKS]:
        for rx in _FORMS:
            for m in rx.finditer(c.text):
                label, role = m["label"], m.groupdict().get("role") or m.groupdict().get("role2")
                if label and role and not _KNOWN.match(label.strip()):
                    roles.setdefault(" ".join(label.split()), set()).add(role.lower())
    return {label: found.pop().capitalize() for label, found in roles.items() if len(found) == 1}


def defined_parties(chunks: list[Chunk]) -> tuple[tuple[str, str], ...]:
    """(pattern, replacement) pairs that read this document's own party labels (:func:`party_roles`) as
    "Processor" / "Controller".

    Each pattern matches the label as a whole word, capitalised as defined, with or without quotes; they go
    before the library's synonyms (``pipeline.wording``), longest label first.
    """
    out = []
    for label, role in sorted(party_roles(chunks).items(), key=lambda kv: -len(kv[0])):
        words = r"\s+".join(re.escape(w) for w in label.split())
        out.append((rf"(?<![\w-])[\"“]?{words}[\"”]?(?![\w-])", role))
    return tuple(out)

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

A DPA that defines no party (an extract, a school's or a research institute's template, a one-page rider) still
says whom the processor works for: "on behalf of the School", "the Institution's instructions", "assist the
School". :func:`served_parties` reads such a label as the controller, for that document only, unless the document
also has it process or engage sub-processors itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable

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


# The party a processor acts for (Art. 28(3)(a) "on documented instructions from the controller") and helps (Art.
# 28(3)(e)-(f) "assists the controller"): a label in one of these places is the customer whatever its name ("the
# School", "the Institution", "the Principal"). A capitalised label after "the", not followed by another
# capitalised word ("the Mistral AI Services" is a product) nor by a unit's name ("the Operations team").
_SLOT_LABEL = (r"(?P<label>[A-Z][\w]*(?:\s+[A-Z][\w]*)?)"
               r"(?![\w-]|\s+[A-Z]|\s+(?:team|department|unit|staff|function|division|desk)\b)")
_SERVED = [re.compile(p) for p in (
    r"\bon\s+behalf\s+of\s+the\s+" + _SLOT_LABEL,
    r"\b[Tt]he\s+" + _SLOT_LABEL + r"['’]s?\s+(?:documented\s+|written\s+|lawful\s+)?instructions?\b",
    r"\binstructions?\s+(?:of|from|given\s+by|issued\s+by)\s+the\s+" + _SLOT_LABEL,
    # "at the Practice's request" (thirty-fourth session, set z)
    r"\b(?:[Aa]t|[Uu]pon|[Oo]n)\s+the\s+" + _SLOT_LABEL + r"['’]s\s+(?:\w+\s+)?request\b",
    # "shall be helping the Administrator" (a Czech DPA translated, thirty-fifth session, set aa)
    r"\b(?:assists?|assisting|help|helps|helping|support|supports|supporting|notify|notifies|inform|informs|"
    r"cooperate\s+with|make\s+available\s+to|"
    # "supply the information … to the School" (not "provide access to the Facilities", "information relating to
    # the Security Incident")
    r"(?:supply|supplies|provide|provides|deliver|delivers)\s+(?:\w+\s+){0,3}?(?:information|assistance|cooperation|"
    r"help|support|notices?|details|copies|documentation|records|reports?)\s+to)\s+the\s+" + _SLOT_LABEL,
    # "the information and cooperation the School reasonably needs"
    # … or "supply what the School needs" (thirty-fifth session, set ab)
    r"\b(?:information|assistance|co-?operation|help|support|documentation|what|whatever)\s+(?:that\s+|which\s+)?the\s+"
    + _SLOT_LABEL + r"\s+(?:\w+\s+)?(?:needs|requires|requests)\b",
    # "give the School the information", "provide the School with" (not "provide the Services")
    r"\b(?:give|gives|giving|provide|provides|providing)\s+the\s+" + _SLOT_LABEL
    + r"(?=\s+(?:with|the|a|an|any|all|such|its|reasonable|sufficient|information|assistance|notice|access|details|"
    r"copies)\b)",
    # the party named only in a condition, the processor's help in the main clause: "Should the Employer need to
    # consult the regulator before …, the Provider will help …" (thirty-fourth and thirty-fifth sessions, sets z and
    # aa); another label than the helper's
    r"(?:^|[.;:]\s+)\W*(?:[Ii]f|[Ww]here|[Ss]hould|[Ww]hen|[Ww]henever|[Ii]n\s+case)\s+the\s+" + _SLOT_LABEL
    + r"\s+(?:needs?|has\s+to|have\s+to|must|is\s+required|is\s+obliged|wishes|decides|intends)\b[^.;]{0,200},\s*"
    r"the\s+(?!(?P=label)\b)[A-Z]\w*\s+(?:will|shall|must)\s+(?:\w+\s+)?(?:help|assist|support|co-?operate)\b",
)]
# ... but the processor itself where it processes or has sub-processors ("the Agent shall process", "the
# Agent's sub-processors"): a label used so is not the served party.
_SERVES = re.compile(r"\b[Tt]he\s+" + _SLOT_LABEL + r"(?:\s+(?:shall|will|may|must)(?:\s+only)?\s+process|\s+processes|"
                     r"['’]s?\s+sub-?(?:processors?|contractors?))\b")
# Not parties: authorities (Art. 51), data subjects, the services, groups of companies, documents and sub-processors.
_NOT_A_PARTY = re.compile(
    r"(?i)^(?:.*\b(?:authority|authorities|commission|commissioner|regulator|court|board|office|ombudsman|agency|dpc|"
    r"subjects?|users?|services?|products?|solution|platform|software|affiliates?|group|agreement|contract|"
    r"addendum|annex|schedule|appendix|clause|section|article|terms|data|information|"
    r"sub-?processors?|sub-?contractors?|controllers|processors|customers|clients)|member\s+states?|union|eu)$")


def served_parties(chunks: list[Chunk]) -> list[str]:
    """Each label the document uses where the processor acts for or helps its customer ("on behalf of the
    School", "help the School respond") and never as the one that processes, not a label the readers know.

    A DPA that never says who the controller is (no preamble, an extract, a template with the school's name in
    it) still says whom the processor serves; reading that label as "Controller" lets the readers tell the
    customer's help from the processor's own duty ("the Provider will assist the School" is Art. 28(3)(f)).
    """
    served: dict[str, None] = {}
    serving: set[str] = set()
    for c in chunks:
        for rx in _SERVED:
            for m in rx.finditer(c.text):
                served.setdefault(" ".join(m["label"].split()), None)
        serving.update(" ".join(m["label"].split()) for m in _SERVES.finditer(c.text))
    return [label for label in served
            if label not in serving and not _KNOWN.match(label) and not _NOT_A_PARTY.match(label)]


def defined_parties(chunks: list[Chunk], known: Callable[[str], bool] = lambda label: False
                    ) -> tuple[tuple[str, str], ...]:
    """(pattern, replacement) pairs that read this document's own party labels (:func:`party_roles`) as
    "Processor" / "Controller", then each label it uses only for the party served (:func:`served_parties`) as
    "Controller", unless the preamble gave it a role or ``known`` says the library's synonyms already read it
    ("the Processing Entity").

    Each pattern matches the label as a whole word, capitalised as defined, with or without quotes; they go
    before the library's synonyms (``pipeline.wording``), longest label first.
    """
    roles = party_roles(chunks)
    for label in served_parties(chunks):
        if label not in roles and not known(label):
            roles[label] = "Controller"
    out = []
    for label, role in sorted(roles.items(), key=lambda kv: -len(kv[0])):
        words = r"\s+".join(re.escape(w) for w in label.split())
        out.append((rf"(?<![\w-])[\"“]?{words}[\"”]?(?![\w-])", role))
    return tuple(out)

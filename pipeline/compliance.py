"""The rule reader for Art. 28(3)(h), first half: the processor "makes available to the controller all information
necessary to demonstrate compliance with the obligations laid down in this Article".

:func:`compliance_info_chunks` works as the readers of :mod:`pipeline.duties` do, which registers it in
``duties.RULES``: it takes a document's chunks and returns the passages in which the processor (not the controller)
provides that information or demonstrates its compliance itself, with the facts they state.
"""

from __future__ import annotations

import re

from pipeline.models import Chunk

from .assist import list_leads
from .textrx import ANSWER, CUSTOMER_NAMES, SUBPROC, THE_CUSTOMER, has, norm, subject_does

# Art. 28(3)(h), first half: "makes available … all information necessary to demonstrate compliance".
# "make accessible" is a translation's "make available" (zpřístupnit, thirty-fifth session, set aa).
_SHOW = (r"\b(?:make|makes|making|made)\b(?: [^.;]{0,80})? (?:available|accessible)\b|\bprovid\w*\b|"
         r"\bsuppl(?:y|ies|ied)\b|\bhand(?:s|ing|ed)?\s+over\b|"  # "we hand over all info …" (set ab)
         r"\bgiv(?:e|es|ing)\b|\bfurnish\w*\b|\bshar(?:e|es|ing)\b|"
         r"\b(?:will|shall|must|to)\s+present\b|\bpresent(?:s|ed|ing)\b|"  # not "the present Agreement"
         # "… shall be placed at the data exporter's disposal" (the SCC's wording)
         r"\b(?:plac|put|kept|keep)\w*\b[^.;]{0,60}\bat\b[^.;]{0,40}\b(?:disposal|disposition)\b|"
         # a questionnaire's row answered yes: "Info to demonstrate Art. 28 compliance? - Yes, on request"
         # (thirty-fourth session, set y)
         rf"{ANSWER}yes\b|"
         # … or a cover page's row: "Compliance information: all information needed to demonstrate Art. 28
         # compliance, on request" (thirty-fourth session, set z)
         r"^\W*[\w -]{1,40}:[^.;]*\b(?:on|upon)\s+(?:written\s+)?request\b")
# "Customer shall provide … information": the controller's duty, not this one.
_CONTROLLER_PROVIDES = subject_does(CUSTOMER_NAMES, "shall|will|must") + r"[^.;]{0,20}\b(?:provide|make)"
# Documentation that evidences the measures or the compliance is that information (Art. 28(3)(h), 32(3)),
# however it is named: "documentation reasonably evidencing the implementation of the … measures".
_COMPLIES = r"\bcompl(?:y|ies|iance|iant)\b"
# What carries that information, each alternative below adding its own nouns ("evidence", "reports", …).
_RECORDS = r"information|info|documentation|documents?|records?"
_TO_DEMONSTRATE = (rf"\binformation\b[^.;]{{0,120}}\bdemonstrat\w*\b[^.;]{{0,40}}{_COMPLIES}|"
                   rf"\binformation\b[^.;]{{0,20}}\b(?:regarding|about|on|concerning|relating to|as to)\b[^.;]{{0,30}}"
                   rf"{_COMPLIES}|"
                   # "the reports and certifications that show our compliance", "documentation needed to establish
                   # that the requirements of Article 28 are satisfied"
                   rf"\b(?:{_RECORDS}|evidence|reports?|certificat\w+)\b[^.;]{{0,60}}"
                   r"\b(?:evidenc\w+|demonstrat\w+|prov(?:e|es|ing)|show\w*|verif\w*|establish\w*)\b[^.;]{0,60}"
                   # ("… information you need to show that we are keeping our processor commitments", set ad)
                   rf"(?:{_COMPLIES}|\b(?:implementation|measures|obligations|requirements|commitments|duties)\b|"
                   r"\bArt(?:icle|\.)?\s*28\b)|"
                   # "Acme will make these records available on request …, such as to help Customer demonstrate
                   # its compliance": what is made available, then what for.
                   rf"\b(?:{_RECORDS}|reports?)\b[^.;]{{0,20}}\bavailable\b[^.;]{{0,80}}"
                   rf"\bdemonstrat\w*\b[^.;]{{0,30}}{_COMPLIES}|"
                   # "To demonstrate compliance with its obligations, Acme will make its documentation available",
                   # "To evidence compliance with this DPA, Acme will share its SOC 2 report"
                   rf"\bto (?:demonstrate|evidence|prove|show|verify|confirm)\b[^.;]{{0,30}}{_COMPLIES}[^.;]{{0,100}}"
                   rf"\b(?:{_RECORDS}|reports?|certificat\w+)\b|"
                   # "proof of compliance", "copies of its audit reports to confirm that it complies with this DPA"
                   rf"\b(?:proofs?|evidence)\s+(?:of|that)\b[^.;]{{0,40}}{_COMPLIES}|"
                   rf"\b(?:{_RECORDS}|evidence|reports?|certificat\w+|copies)\b"
                   rf"[^.;]{{0,60}}\b(?:confirm\w*|attest\w*)\b[^.;]{{0,40}}{_COMPLIES}")
# Or the processor demonstrates it to the controller itself: "Acme shall, on request, demonstrate to the Customer
# its compliance with this DPA" (a controller that demonstrates is `_CONTROLLER_DEMONSTRATES`).
_TO_THE_CONTROLLER = rf"\bto\s+(?:the\s+)?{THE_CUSTOMER}"  # THE_CUSTOMER names the data exporter too
_DEMONSTRATES_TO = (rf"\bdemonstrat\w*\s+{_TO_THE_CONTROLLER}[^.;]{{0,60}}{_COMPLIES}|"
                    rf"\bdemonstrat\w*\b[^.;]{{0,50}}{_COMPLIES}[^.;]{{0,60}}{_TO_THE_CONTROLLER}")
_CONTROLLER_DEMONSTRATES = subject_does(CUSTOMER_NAMES, "shall|will|must|may|can|is|are")


# "Acme is not required to provide any information about its compliance" takes the duty back.
_NOT_SHOW = (r"\b(?:not|no|never)\b[^.;]{0,25}\b(?:obliged|required|provid\w*|make available|suppl\w*|furnish\w*)|"
             r"\bnothing\b[^.;]{0,40}\b(?:requires?|obliges?)\b|"
             # "… may be shared at the Provider's discretion": no duty to share
             r"\bat (?:the \w+['’]s|its|our) (?:sole |own |absolute )?discretion\b")


# A proviso that carves some information out ("…, provided that Acme shall not be required to disclose privileged
# information") does not take the duty back.
_PROVISO = r",?\s*\b(?:provided(?:,)? (?:that|however)|save (?:that|where|for)|except (?:that|where|for))\b"


def _takes_back(text: str) -> bool:
    """The (normalised) sentence takes the duty back before any proviso."""
    return has(_NOT_SHOW, re.split(_PROVISO, text, maxsplit=1, flags=re.I)[0])


def _processor_shows(text: str) -> bool:
    """The (normalised) sentence has someone other than the controller provide, and does not take it back."""
    return has(_SHOW, text) and not has(_CONTROLLER_PROVIDES, text) and not _takes_back(text)


# "Acme keeps documentation that proves its compliance. The documentation shall be available to Customer on
# request.": the next sentence makes it available, naming it again.
_THAT_IS_AVAILABLE = (rf"^\W*(?:the|this|such|that|these|those|said)\s+(?:{_RECORDS}|evidence)\b[^.;]{{0,40}}"
                      r"\b(?:available|provided|furnished|supplied|presented|disclosed)\b")


def compliance_info_chunks(chunks: list[Chunk]) -> list[tuple[Chunk, list[str]]]:
    """Passages in which the processor (not the controller) provides the information that shows compliance:
    in one sentence, as an item under a lead-in that provides ("Upon request, Acme shall provide: (a) …"), in
    the next sentence of the same section, which names it again ("The documentation shall be available …"), or
    by demonstrating its compliance to the controller itself."""
    out = []
    for i, (c, lead) in enumerate(zip(chunks, list_leads(chunks))):
        text = norm(c.text)
        # Art. 28(3)(h) asks for the processor's own compliance: "a third-party audit report concerning the
        # Subprocessor's operations … to verify compliance" is about another processor's.
        demonstrates = has(_DEMONSTRATES_TO, text)
        records = any(not has(SUBPROC, m.group(0)) for m in re.finditer(_TO_DEMONSTRATE, text, re.I))
        if not (demonstrates or records) or _takes_back(text):
            continue
        if _processor_shows(text) or (lead and _processor_shows(norm(lead))):
            out.append((c, ["information to demonstrate compliance"]))
        elif demonstrates and not has(_CONTROLLER_DEMONSTRATES, text):
            out.append((c, ["its compliance demonstrated"]))
        # Only information that shows compliance can be what the next sentence makes available: a controller that
        # demonstrates its own compliance leaves nothing for "The documentation shall be available …" to refer to.
        elif records and i + 1 < len(chunks) and chunks[i + 1].section == c.section:
            nxt = chunks[i + 1]
            then = norm(nxt.text)
            if has(_THAT_IS_AVAILABLE, then) and not _takes_back(then) and not has(_CONTROLLER_PROVIDES, then):
                out += [(c, ["information to demonstrate compliance"]), (nxt, ["made available"])]
    return out

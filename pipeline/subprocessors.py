"""Rule readers for the sub-processor requirements (GDPR Art. 28(2) and 28(4), catalogue C): the flow-down of the
obligations, the processor's liability, the list, the notice of changes and the right to object.

They work as the readers of :mod:`pipeline.duties` do, which registers them in ``duties.RULES``: each takes a
document's chunks and returns the chunks that state the fact, with the facts they state.
"""

from __future__ import annotations

import re

from .models import Chunk
from .textrx import (
    CUSTOMER_NAMES,
    OWN_DISCRETION,
    SUBPROC,
    THE_CUSTOMER,
    has,
    norm,
    sentence_reader,
    subject_does,
)

# Art. 28(4): the same data protection obligations bind the sub-processor, by contract.
# The document that sets them out, also a schedule or annex by name ("… the terms set out in this Joint Schedule",
# a UK public-sector call-off, thirty-second session, set x).
_THIS_DOC = r"(?:this|the) (?:[\w-]+ ){0,2}?(?:agreement|dpa|addendum|schedule|annex|appendix|exhibit)"
_BOUND = r"\b(?:bound by|contract\w*|agreements?|written|impos\w*|requir\w*|obligat\w*|terms)\b"
_SAME = (r"\b(?:same|equivalent|similar|substantially|no less|at least|comparable|consistent)\b[^.;]{0,60}"
         r"\b(?:protect\w*|obligations?|terms|restrictive|standards?|requirements?)|"
         r"\b(?:obligations|terms)\b[^.;]{0,25}\b(?:comparable|equivalent|similar|no less)\b|"
         # "obligations for the protection of personal information equivalent to those imposed on the Consignee"
         # (a Japanese entrustment agreement, thirty-fourth session, set y)
         r"\b(?:equivalent|comparable|similar|identical|corresponding)\s+to\s+those\s+(?:imposed|set|laid|"
         r"contained|agreed|stipulated|provided)\b|"
         # "impose the obligations arising from this Agreement on them", "the terms of this DPA apply to it"
         r"\b(?:impos|appl(?:y|ies)|giv\w* effect)\w*\b[^.;]{0,15}\b(?:obligations|terms)\b(?: \w+){0,3} "
         r"(?:in|under|of|from) " + _THIS_DOC + r"\b|"
         r"\b(?:obligations|terms)\b(?: \w+){0,3} (?:in|under|of|from) " + _THIS_DOC + r"\b"
         r"[^.;]{0,40}\bapply\b|"
         # "ensures that the subcontractor fulfils the processor's duties under this DPA"
         rf"(?:{SUBPROC})\w*\s+(?:(?:shall|will|must|also|fully|duly)\s+){{0,2}}"
         r"(?:fulfil\w*|compl(?:y|ies) with|meets?|observes?)\b[^.;]{0,30}\b(?:duties|obligations)\b[^.;]{0,20}"
         r"\b" + _THIS_DOC + r"\b|"
         r"\bdata protection (?:agreements?|obligations|terms|requirements)\b|\bprotective\b")


# Art. 28(4), last sentence: the initial processor remains fully liable for its sub-processors.
_LIABLE = (r"\b(?:remains?|be|is|are|stays?|continues? (?:to be|being))\s+(?:held\s+)?"
           r"(?:fully\s+|wholly\s+|entirely\s+|primarily\s+|directly\s+|completely\s+)?"
           r"(?:liable|responsible|accountable|answerable)\b|"
           # a questionnaire's terse answer: "Yes, fully liable for subprocessor acts/omissions as for own"
           # (thirty-fourth session, set y)
           r"\b(?:fully|wholly|entirely)\s+(?:liable|responsible|accountable)\b|"
           r"\b(?:bears?|carr(?:y|ies)|assumes?)\s+(?:full\s+)?(?:responsibility and\s+)?liability\b|"
           # "We stay fully on the hook to you for anything our sub-processors do" (thirty-sixth session, set ad)
           r"\b(?:remains?|stays?|is|are|be)\s+(?:fully\s+|entirely\s+)?on\s+the\s+hook\b|"
           r"\b(?:bears?|assumes?)\s+(?:the\s+)?(?:full|entire|sole)\s+responsibility\b|"
           # the Italian GDPR's Art. 28(4) ("conserva … l'intera responsabilità") translated: "conserves towards
           # the Owner the entire responsibility" (thirty-sixth session, set ac)
           r"\b(?:retains?|keeps?|conserves?|preserves?|maintains?)\b[^.;]{0,70}\b(?:the\s+)?"
           r"(?:full|entire|whole|complete)\s+(?:responsibility|liability)\b|"
           # "Full liability to Customer is retained by Vendor for …" (thirty-first session, set v)
           r"\b(?:liability|responsibility)\b[^.;]{0,30}\b(?:is|are|shall be|will be|remains?)\s+"
           r"(?:retained|borne|assumed|kept)\s+by\b")

# Auditing the sub-processors' compliance with "the data protection obligations hereunder" binds them to nothing:
# "Customer shall have the right to audit …", "… may use auditors to verify compliance with …" (not "bound by the
# same obligations, including access for the Customer's auditors"). Nor does the liability sentence of Art. 28(4)
# ("where the sub-processor fails to fulfil its data protection obligations, the processor remains liable"), unless
# it also imposes the obligations (SnT labels it liability alone in 39 of 45 sentences).
_NOT_FLOWDOWN = (subject_does(CUSTOMER_NAMES, "shall|will|may|must|has|have")
                 + r"|\b(?:use|engage|appoint|instruct)\w*\b[^.;]{0,30}\bauditors?\b"
                 + rf"|^(?=[\s\S]*{_LIABLE})(?![\s\S]*\b(?:impos\w*|bind\w*|bound|enter\w* into|requir\w*|mandat\w*|"
                 r"flow\w*[- ]down)\b)")


_flowdown_sentences = sentence_reader(
    "bound by contract to the same data protection obligations", [SUBPROC, _BOUND, _SAME], _NOT_FLOWDOWN)


def _binds_the_named(text: str) -> bool:
    """The same obligations are in the clause (between semicolons) that names the sub-processors, or come after
    them: "… consistent with the requirements of this DPA; and c. notify Customer of any breach by … its
    Subprocessors" binds nobody; "Sub-processors agree to (a) …; and (b) protect the data to a standard
    consistent with this DPA" does."""
    if any(all(has(rx, part) for rx in (SUBPROC, _BOUND, _SAME)) for part in text.split(";")):
        return True
    first = re.search(SUBPROC, text, re.I)
    return bool(first) and any(m.start() > first.start() for m in re.finditer(_SAME, text, re.I))


def flowdown_chunks(chunks: list[Chunk]) -> list[tuple[Chunk, list[str]]]:
    """Sentences that bind sub-processors by contract to the same (or equally protective) obligations."""
    return [(c, fact) for c, fact in _flowdown_sentences(chunks) if _binds_the_named(norm(c.text))]


# Art. 28(4), last sentence (``_LIABLE`` above): liable for what the sub-processor does or fails to do.
_FOR_WHAT = (r"\b(?:acts?|actions?|activit(?:y|ies)|omissions?|performance|obligations|compliance|failures?|breach\w*|"
             r"conduct|faults?|negligen\w*|misconduct|damages?|work|mistakes?|errors?|mess(?:es)? up)\b|"
             # "… for anything our sub-processors do, or fail to do" (thirty-second session, set u)
             # … "for what our subprocessors do with your data" (thirty-third session, set w)
             r"\b(?:anything|everything|whatever|what)\b[^.;]{0,40}\b(?:do|does|did)\b|\bfail\w*\s+to\s+do\b|"
             # "We're responsible for our sub-processors. If one of them gets it wrong, …" (thirty-sixth session,
             # set ae)
             r"\bgets?\s+(?:it|things|something|anything)\s+wrong\b|"
             r"\b(?:liable|responsible|accountable|answerable)\s+for\s+(?:our|its|their|any|all|the|each)\s+(?:own\s+)?"
             + rf"(?:{SUBPROC})")
# "responsible for ensuring that sub-processors are bound …" is the flow-down (Art. 28(4), first sentence).
_NOT_LIABLE = (r"\bnot\s+(?:be\s+)?(?:held\s+)?(?:liable|responsible)|"
               # "Each Subprocessor shall be (remain) liable to Acme …", also a clause bank's "[Each Sub-processor]"
               r"^\W*(?:each|every|any|the|a|such|our|its|their)\s+(?:" + SUBPROC + r")\w*\]?\s+"
               r"(?:shall|will|is|are|must)\s+(?:be\s+|remain\s+)?(?:held\s+)?(?:fully\s+|directly\s+|solely\s+|"
               r"itself\s+|themselves\s+)?(?:liable|responsible|on\s+the\s+hook)|"
               r"\bresponsible for (?:ensuring|requiring|imposing)|"
               # liable "only for damages arising from its own fault" takes the sub-processors' out (thirty-fourth
               # session, set z)
               r"\b(?:liable|responsible)\b[^.;]{0,40}\bonly\b[^.;]{0,40}\b(?:its|our) own\b|"
               rf"\b(?:{CUSTOMER_NAMES})\s+(?:is|are|shall|will|remains?)\b[^.;]{{0,20}}"
               r"\b(?:liable|responsible)")


liability_chunks = sentence_reader(
    "liable for its sub-processors", [SUBPROC, _LIABLE, _FOR_WHAT], _NOT_LIABLE,
    "Sentences in which the processor stays liable to the controller for its sub-processors' performance.")


# Catalogue (sub-processors): the DPA lists them, or says where the list is.
# A lead-in ending in a colon counts only as "… are:" / "… include:", not "the following obligations:". "Are set
# forth in Schedule 3" says where they are; "(except) as (otherwise) set forth in the DPA" refers to a rule.
_LISTED = (rf"(?:{SUBPROC})\w*[^.;]{{0,60}}(?:\b(?:list|listed|lists)\b|\bhttps?://|"
           r"\bare (?:as follows|the following)\b|"
           r"(?<!\bas )(?<!\botherwise )\b(?:set (?:out|forth)|named|identified|specified|designated|enumerated)\b"
           r"[^.;]{0,40}"
           r"\b(?:in|on|at|below|are)\b|"
           r"\b(?:are|include|includes)\s*:\s*$)|\b(?:list|lists|listed)\b[^.;]{0,30}(?:" + SUBPROC + ")|"
           # further off, only "are listed" or "set out": "The subcontractors engaged by the Contractor at the time
           # of conclusion of the contract are listed … in Annex 3"
           # or "… are as described in the attached sheet 3" (a Japanese contract's 別紙, thirtieth session, set s)
           # "The Subprocessors authorized as of the Amendment Effective Date are exclusively those set out in
           # Appendix A" (thirty-third session, set w)
           rf"(?:{SUBPROC})\w*[^.;]{{0,120}}\b(?:are|is) (?:(?:\w+ )?those )?"
           r"(?:(?:listed|set (?:out|forth)|named|identified|specified|indicated)\b|"
           r"(?:as )?described\b[^.;]{0,20}\b(?:annex|schedule|appendix|exhibit|attachment|"
           r"(?:attached|separate) sheet)\b)")


# Not the list withheld: "we do not publish or disclose the identity of our sub-processors" (thirty-first session,
# set t; the library's subprocessor-list disqualifier says the same to the scorer).
_NOT_LISTED = (r"\b(?:do|does|will|shall|may|can)\s*(?:not|n't)\s+(?:\w+\s+(?:or|and)\s+)?(?:publish|disclose|share|"
               rf"reveal|provide|make\s+available)\b[^.;]{{0,40}}\b(?:identit\w*|names?|list)\b[^.;]{{0,20}}(?:{SUBPROC})|"
               # … or given only at the processor's discretion ("a list …, which the Vendor may provide at its
               # discretion", thirty-fourth session, set z)
               rf"\bmay\b[^.;]{{0,30}}{OWN_DISCRETION}")
subprocessor_list_chunks = sentence_reader(
    "listed", [_LISTED], _NOT_LISTED,
    "Sentences that list the sub-processors, point to the list, or introduce it.")


# Art. 28(2): the controller may object to a new sub-processor. The right is often stated in the sentence after
# the notice of changes ("… notify the customer of new sub-processors. The customer may object …"), so the
# sub-processor may be named in the clause rather than in the sentence itself. Only the customer objects to a
# processor's sub-processor, so here the customer is also the Company it may be called, and a "principal" in any
# case, besides the names every reader knows (textrx.CUSTOMER_NAMES, which has the capitalised Principal).
# A Romanian DPA's "the Operator" (the controller there; a Brazilian one's operador is the processor, which
# objects to no sub-processor of its own, thirty-first session, set v).
_OBJECTOR = rf"(?:{THE_CUSTOMER}|\b(?:company|principal|operator)\b)"
# A clause number's dot ("a notice under clause 9.3") ends no sentence.
_NO_END = r"(?:[^.;]|(?<=\d)\.(?=\d))"
_MAY_OBJECT = (_OBJECTOR + r"[^.;]{0,60}\b(?:may|can|(?:shall |will )?ha(?:s|ve) the right to|"
               r"(?:is|are|(?:shall|will) be) (?:(?:entitled|free|able) to|at liberty)|reserves? the right to)\b"
               rf"{_NO_END}{{0,80}}"
               r"\b(?:object|reject|oppose|veto|refuse)|"
               # "Customer has 30 days after the notice to object", "You have 30 days … to tell us that you object"
               + _OBJECTOR + r"[^.;]{0,20}\b(?:has|have)\s+(?:\w+\s+){0,2}\(?\d+\)?\s+(?:business\s+|calendar\s+|"
               r"working\s+)?days\b[^.;]{0,80}\bobject|"
               # "… shall have a period of fifteen (15) days from receipt of this information to present its objections"
               # (a French DPA's "disposes of a minimum delay of fifteen days", délai, thirty-fifth session, set ab)
               + _OBJECTOR + r"[^.;]{0,20}\b(?:has|have|dispos(?:es|e)\s+of)\s+a\s+(?:\w+\s+)?"
               r"(?:period|window|term|delay|time\s+limit)\s+of\b[^.;]{0,30}"
               r"\b(?:days?|weeks?)\b[^.;]{0,80}\bobject|"
               # the 2021 SCC's clause 7.7(a): "… giving the controller sufficient time to be able to object"
               + _OBJECTOR + r"[^.;]{0,20}\b(?:sufficient|enough|reasonable|adequate) time to "
               r"(?:be able to )?object|"
               # "The Institution may object to a proposed sub-processor": a party the DPA names in its own words
               # (only the customer objects to a processor's sub-processor), thirty-second session, set u; not "the
               # officer responsible for …"
               r"(?-i:\b[Tt]he\s+(?!(?:Processor|Supplier|Vendor|Provider|Contractor|Sub)\b)"
               r"[A-Z][\w-]+(?:\s+[A-Z][\w-]+){0,2}"
               # … "The Owner of the Processing may oppose itself to the addition … of a further Manager" (an
               # Italian DPA translated, thirty-sixth session, set ac)
               r"(?:\s+of\s+(?:the\s+)?[A-Z][\w-]+)?)"
               # … or "is entitled to raise an objection against the engagement of a new sub-processor" (a Czech
               # DPA translated, thirty-fifth session, set aa)
               r"\s+(?:may|can|(?:is|shall\s+be)\s+entitled\s+to|(?:has|shall\s+have)\s+the\s+right\s+to)\s+"
               r"(?:\w+\s+)?(?:object|oppose(?:\s+itself)?|veto|(?:raise|lodge|file|submit|make)\s+(?:an?\s+)?"
               r"objections?)\s+(?:to\s+|against\s+)?"
               r"(?:the\s+(?:engagement|appointment|use|addition|substitution|replacement)"
               r"(?:\s+or\s+(?:the\s+)?\w+)?\s+of\s+)?"
               # "any proposed new Sub-processor" (a UK hospital trust's contract, thirty-sixth session, set ac)
               r"(?:a|any|the|such|that)\s+(?:(?:new|proposed|additional|intended|replacement)\s+){0,2}"
               rf"(?:{SUBPROC})|"
               # the customer told, in the imperative, how to object: "Not happy with a new sub-processor? Object
               # within 14 days of our notice …" (a we / you DPA, thirty-sixth session, set ac)
               r"(?:^|[?!:]\s*|\.\s+)(?:please\s+|just\s+|simply\s+)?(?:object|raise\s+(?:an?\s+)?objection|"
               r"tell\s+us\s+(?:that\s+)?you\s+object)\b(?!\s*(?::|of\b|and\b|&))[^.;]{0,40}\bwithin\b|"
               # … or after the question: "Not happy with a new sub-processor? Tell us within 30 days" (set ad)
               r"\b(?:not\s+happy|unhappy|disagree|concerns?|(?:don't|do\s+not)\s+like)\s+(?:with\s+|about\s+)?"
               r"[^.;?]{0,40}\?\s*(?:just\s+)?"
               r"(?:tell|let)\s+us\b[^.;]{0,30}\bwithin\b|"
               # "Objections to new sub-processors may be lodged by the Principal in writing"
               r"\bobjections?\b[^.;]{0,60}\b(?:may|can)\s+be\s+(?:lodged|raised|made|submitted|filed|sent|notified)\b")
# The right in other words: "granted an option to object … within 15 days", "If Customer sends a written objection
# notice, the parties will try to resolve it". Art. 28(2) needs the objection to have an effect, so these need a
# window or a consequence in the sentence ("giving the controller the opportunity to object" alone is not enough).
# A right given: "Clause 9.3 gives the customer a 15-day right to object …, with termination as the remedy" (a
# reviewer's memo, thirty-sixth session, set ad), not one the customer "shall exercise … only in good faith".
_OBJECTION_OFFERED = (_OBJECTOR + r"[^.;]{0,80}\b(?:opportunity|option|chance|possibility)\s+to\s+object|"
                      r"\b(?:gives?|grants?|offers?)\s+(?:the\s+)?" + _OBJECTOR
                      + r"\s+(?:an?\s+)?(?:[\w-]+\s+)?right\s+to\s+object|"
                      + _OBJECTOR + r"[^.;]{0,40}\b(?:sends?|submits?|gives?|raises?|provides?|makes?|lodges?|"
                      r"notif(?:y|ies)|has|have)\b[^.;]{0,40}\bobjection")
# … or as a condition: "If Customer objects … within 30 days", "If the client does not agree with a new
# subcontractor, the right to immediate termination exists", "… if Customer does not object within that time",
# "Customer shall notify Acme if it objects … within 5 days", "c. Customer objects to a new subprocessor and no
# alternative is found within 90 days" (a ground for termination).
_OBJECTS_IF = (r"(?:\b(?:if|where|should|in the event(?: that)?)\b[^.;]{0,20}" + _OBJECTOR + r"[^.;]{0,30}|"
               # a termination ground listed under its lead-in: "e. Customer objects to a subprocessor …"
               r"^\W*(?:\(?\w{1,3}[.)]\s+)?(?:the\s+)?" + _OBJECTOR + r"\s+|"
               + _OBJECTOR + r"[^.;]{0,60}\b(?:if|where|should)\s+(?:it|they)\s+(?:\w+\s+)?)"
               r"\b(?:objects?|rejects?|opposes?|disagrees?|"
               r"(?:does|do) not (?:\w+ )?(?:object|agree|approve|accept))\b")
_OBJECTION_EFFECT = (r"\bwithin\b|\bterminat\w*|\bperiod\b|\bdays?\b|\bmonths?\b|\bresolv\w*|\bgood faith\b|"
                     r"\bstop (?:using|the use)\b|\bceas\w* (?:to use|using)\b|\bnot (?:use|engage|appoint)\b|"
                     # "… propose an alternative", "… a change in the Services that avoids processing by it"
                     r"\balternatives?\b|\bavoid\w*\b|\bchanges? (?:in|to) (?:the\s+)?services\b")
# A data subject's right to object (Art. 21) is another right; "may not object" or "does not have the right to
# object" denies it, a condition such as "if Customer does not object within 30 days" does not.
_NOT_OBJECTING = (r"\bdata subjects?\b[^.;]{0,40}\bobject|"
                  # not a consequence that follows it: "if the parties cannot resolve the objection, …" (thirty-third
                  # session, set w)
                  r"\b(?:(?<!does )(?<!do )not|no|cannot|without)\b"
                  r"(?!\s+(?:\w+\s+)?(?:resolve|settle|reconcile|address)\w*\s+(?:the|an?|such|that|this|its|any)\s+"
                  r"objection)[^.;]{0,30}\bobject|"
                  # "… without the Client having any right of objection" (thirty-first session, set t)
                  r"\bwithout\b[^.;]{0,50}\b(?:right|option|possibility|opportunity)\s+(?:of|to)\s+object|"
                  r"\b(?:does|do) not\b(?! (?:\w+ )?object)[^.;]{0,30}\bobject")


# Art. 28(2), second sentence: the processor tells the controller of an intended addition or replacement of a
# sub-processor ("notify Customer of any new Sub-processor", "engages a sub-processor only after informing the
# Client"), not the controller telling the processor, and not "without notice".
# "communicate to the Controller any intended inclusion or substitution" (a Brazilian DPA, thirty-second session)
_INFORMS = r"\b(?:(?:inform|notif|tell|advis|announc)\w*|communicat(?:e|es|ed|ing))\b"
_CHANGE = r"\b(?:new|additional|changes?|replac\w*|additions?|add(?:s|ing|ed)?|intend\w*)\b"
_BEFORE_USE = r"\b(?:before|prior to) (?:engag|appoint|add|us)\w*"
# The processor as the one told: a notice to it is the customer's, not the processor's.
_TO_PROCESSOR = r"(?:the\s+)?(?:processor|vendor|supplier|provider|us)\b"
_INFORMS_CHANGE = (rf"{_INFORMS}[^.;]{{0,80}}(?:{_CHANGE}|{_BEFORE_USE})|"
                   rf"(?:{_CHANGE}|{_BEFORE_USE})[^.;]{{0,80}}{_INFORMS}|\bonly after (?:first )?(?:inform|notif)\w*")
# Notice given rather than a notifying verb ("will provide Customer reasonable notice of the new Subprocessor"), but
# not the customer's notice that terminates or objects ("may terminate … by providing written notice to Acme"), nor
# a reference to a notice stated elsewhere ("within 14 days of Acme providing such notice, Customer may object").
# ("give the Merchant no less than thirty (30) days' written notice", thirty-sixth session, set ad)
_GIVES_NOTICE = r"\b(?:provid|giv|send)\w*\b(?:\s+(?!such\b)\S+){0,10}?\s+notices?\b"
_NOTICE_OF_CHANGE = (rf"{_GIVES_NOTICE}[^.;]{{0,80}}(?:{_CHANGE}|{_BEFORE_USE})|"
                     rf"(?:{_CHANGE}|{_BEFORE_USE})[^.;]{{0,80}}{_GIVES_NOTICE}")
_CUSTOMERS_NOTICE = (rf"\b(?:terminat|object)\w*\b[^.;]*{_GIVES_NOTICE}|"
                     rf"{_GIVES_NOTICE}[^.;]{{0,40}}\bto\s+{_TO_PROCESSOR}")
# "… may replace sub-processors without notice" takes it back; "shall not engage … without (or unless) informing"
# does not.
_WITHOUT_NOTICE = r"\bwithout (?:any |prior |further )?(?:notice|notif\w*|inform\w*)"
# "shall be under no obligation to give the Authority notice of any such change" (thirtieth session, set s)
# … also contracted: "we don't send individual notices of changes" (thirty-sixth session, set ac)
_NO_NOTICE = (r"(?:\b(?:no|not)\b(?!\s+(?:less|later|fewer)\b)|n't\b)"
              r"(?:(?!\b(?:without|unless|until)\b)[^.;]){0,30}\b(?:notice|notif\w*|inform\w*)|"
              r"\bno (?:obligation|duty)\b[^.;]{0,40}\b(?:notice|notif\w*|inform\w*)|"
              # "… and is not required to give the Organisation advance notice" (thirty-first session, set t)
              r"\bnot\s+(?:be\s+)?(?:required|obliged|obligated|bound)\s+to\s+(?:give|provide|send|serve)\b"
              r"[^.;]{0,40}\bnotice\b|"
              r"\bdata subjects?\b|"
              # a notice after the fact, "… within 30 days after such Subprocessor has commenced Processing"
              # (thirty-third session, set w; the library's subprocessor-changes disqualifier says it to the scorer)
              r"\bafter\b[^.;]{0,40}\b(?:has|have)\s+(?:commenced|started|begun)\s+(?:processing|to\s+process|"
              r"performing)\b|"
              rf"\b(?:notif|inform)\w*\s+{_TO_PROCESSOR}|"
              + subject_does(CUSTOMER_NAMES, "shall|will|must|agrees?|may|can")
              # "The controller shall be informed in advance of …" is the processor's notice, in the passive
              + r"(?!\s+(?:be|get)\s+(?:\w+\s+)?(?:inform|notif|told|advis))"
              + rf"(?:[^.;]{{0,30}}|[^.;]{{0,80}}\bby ){_INFORMS}")


def changes_chunks(chunks: list[Chunk]) -> list[tuple[Chunk, list[str]]]:
    """Sentences in which the processor tells the controller of new or replaced sub-processors."""
    out = []
    for c in chunks:
        text = norm(c.text)
        if not has(SUBPROC, text):
            continue
        informs = has(_INFORMS_CHANGE, text) or any(has(_NOTICE_OF_CHANGE, part) and not has(_CUSTOMERS_NOTICE, part)
                                                     for part in text.split(";"))
        if informs and not has(_NO_NOTICE, text) \
                and not (has(_WITHOUT_NOTICE, text) and not has(r"\b(?:not|never|no)\b[^.;]*\bwithout\b", text)):
            out.append((c, ["of intended changes of sub-processors"]))
    return out


def objection_chunks(chunks: list[Chunk]) -> list[tuple[Chunk, list[str]]]:
    """Sentences in which the customer may object, in a clause about sub-processors."""
    out = []
    for c in chunks:
        text = norm(c.text)
        offered = has(_MAY_OBJECT, text) or ((has(_OBJECTION_OFFERED, text) or has(_OBJECTS_IF, text))
                                             and has(_OBJECTION_EFFECT, text))
        if offered and not has(_NOT_OBJECTING, text) \
                and (has(SUBPROC, text) or has(SUBPROC, norm(c.context))):
            out.append((c, ["the customer may object"]))
    return out

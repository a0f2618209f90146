"""Key-term extraction (catalogue section D): rules over sentence chunks, no model.

Each term has a cue that selects candidate sentences and a rule that reads the value out of one
sentence. Scalar terms take the first value found in the matcher's evidence for the related
requirement, then in the whole document; list and stance terms are decided over the whole document.

Day counts keep the document's unit: "ten business days" is 10, as the dev labels count them.
Hours convert days at 24 h per day, business and working days included ("two business days" is
48): the breach clock runs from awareness, so a working-day promise is read at its shortest.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pipeline.models import Chunk, Terms

from .stance import mentions_training, no_training_stance
from .textrx import CUSTOMER_OR_COMPANY as _CUSTOMER
from .textrx import SUBPROC as _SUBPROC
from .textrx import has as _has
from .textrx import norm as _norm
from .transfers import _MECHANISMS, located_chunks, mechanism_chunks

log = logging.getLogger(__name__)

_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_WORDS = {w: i for i, w in enumerate(f"{_UNITS}|{_TEENS}".split("|"), 1)}
_WORDS.update({w: 10 * i for i, w in enumerate(_TENS.split("|"), 2)})
_WORD_NUM = rf"(?:(?:{_TENS})(?:[\s-](?:{_UNITS})\b)?|one hundred|{_TEENS}|{_UNITS})"
# "seventy-two (72) hours", "10 (ten) days’ notice", "five business days", "a 30-day period"
_DURATION = re.compile(
    rf"\b(?P<num>\d{{1,4}}|{_WORD_NUM})\b(?:\s*\((?P<alt>[^)]{{1,20}})\))?[\s-]*"
    r"(?P<qual>(?:calendar|business|working)[\s-]+)?(?P<unit>hours?|days?|weeks?|months?)\b",
    re.I,
)


@dataclass(frozen=True)
class Duration:
    """A number with a time unit found in a sentence."""

    value: int
    unit: str  # hour | day | week | month
    start: int
    end: int

    def days(self) -> int | None:
        """The duration in days (business and calendar days alike); ``None`` for hours."""
        return {"day": 1, "week": 7, "month": 30}.get(self.unit, 0) * self.value or None

    def hours(self) -> int:
        """The duration in hours (a day counts 24 h, see the module docstring)."""
        return self.value * {"hour": 1, "day": 24, "week": 168, "month": 720}[self.unit]


def parse_number(token: str) -> int | None:
    """Read "72", "seventy-two", "Forty eight" or "one hundred" as an integer."""
    token = token.strip().lower()
    if token.isdigit():
        return int(token)
    if token == "one hundred":
        return 100
    parts = re.split(r"[\s-]+", token)
    return sum(_WORDS[p] for p in parts) if all(p in _WORDS for p in parts) else None


def durations(text: str) -> list[Duration]:
    """Every "<number> <unit>" in ``text``, numbers in digits or words, in reading order."""
    found = []
    for m in _DURATION.finditer(text):
        value = parse_number(m["num"])
        alt = parse_number(m["alt"]) if m["alt"] else None
        if value is None or (alt is not None and not m["num"].isdigit()):
            value = alt  # the digits in "thirty (30)" win over the words
        if value:
            found.append(Duration(value, m["unit"].lower().rstrip("s"), m.start(), m.end()))
    return found


# --- breach notice -----------------------------------------------------------------------------

_BREACH = r"\b(?:breach|incident)"
_NOTIFY_CUSTOMER = rf"\b(?:notif\w*|inform\w*|alert\w*|report\w*|tell)\s+(?:the\s+)?{_CUSTOMER}\b"


def _breach_hours(sent: str, ctx: str) -> int | None:
    if not _has(_BREACH, f"{sent} {ctx}") or not _has(r"\b(?:notif|notice|inform|report|alert|tell)", sent):
        return None
    # Art. 33 gives the *controller* 72 h towards the authority; a vendor DPA often restates it.
    # That clock is not the vendor's promise to the customer, so skip it.
    if _has(rf"\b{_CUSTOMER}\s+(?:first\s+)?(?:becomes|became|has become|is|being)\s+aware", sent):
        return None
    if _has(r"authorit|regulator|supervisory|agency|commissioner", sent) and not _has(_NOTIFY_CUSTOMER, sent):
        return None
    if _has(r"\bdata subjects?\b|\bindividuals\b", sent) and not _has(_NOTIFY_CUSTOMER, sent):
        return None  # the controller telling data subjects (Art. 34) is no notice to the customer
    for d in durations(sent):
        lead = sent[max(0, d.start - 120) : d.start]
        if _has(r"authorit|regulator|supervisory|commissioner", lead[-60:]) and _has(
                r"\b(?:so that|so as to|enabl\w*|allow\w*|help\w*|assist\w*|its own|their own)\b", lead):
            continue  # "… so that Customer can notify the authority within 72 hours": the controller's clock
        if d.unit in ("hour", "day", "week") and d.hours() <= 240:
            return d.hours()
    return None


# --- deletion after termination ----------------------------------------------------------------

_DELETE = r"\b(?:delet\w*|destr\w*|eras\w*|purg\w*|return\w*|remov\w*|provide a copy|export\w*|download\w*)"
_END = (r"\b(?:terminat\w*|expir\w*|end of|ending|ends|ended|cessation|ceas\w*|after which|"
        r"(?:is|are|was|been|being) closed|clos(?:ure|ing) of (?:the |an? |your |its )?(?:\w+ )?account|"
        r"(?:return|deletion) period)")
_NOT_A_DELETION_WINDOW = (r"\bterminat\w*[^.;]{0,40}$|\b(?:pa(?:y|ys|id|yments?)|invoices?|fees?)\b[^.;]{0,40}$|"
                          # "upon a request made within 30 days after termination, … delete within 90 days"
                          r"\brequest\w*\s+(?:made|submitted|received|sent)\s+(?:within|no later than)\s+$")
_NOT_DELETION = r"\b(?:object\w*|resol\w*|notice of (?:the )?objection|audit)"
# "Customer instructs X to delete all data at the end of the Term. X will comply with this instruction within 180
# days": the period's sentence names the deletion only by referring back to it.
_THAT_DELETION = r"\b(?:this|that|such) (?:instruction|request|deletion|obligation)\b"


def _deletion_days(sent: str, ctx: str, section: str, loose: bool = False) -> int | None:
    """Days to delete after the end of the contract; ``loose`` (a second pass over the document, when no
    sentence names the end near its period): the end may be named anywhere in the sentence or its paragraph
    ("Upon termination, X will delete … X will complete deletion of active copies within 30 days")."""
    # The deletion named outside the sentence: by a lead-in ("… Acme will:") or, on the second pass, by the
    # paragraph the sentence refers back to ("… comply with this instruction within 180 days").
    lead_in = sent.rstrip().endswith(":") and _has(_DELETE, section + " " + ctx)
    elsewhere = lead_in or (loose and _has(_THAT_DELETION, sent) and _has(_DELETE, ctx))
    ended = _has(_END, sent) or (loose and _has(_END, ctx))
    if not (_has(_DELETE, sent) or elsewhere) or not ended or _has(_NOT_DELETION, sent):
        return None
    start = 0  # the clause a period belongs to reaches back to the previous period, so a long sentence
    for d in durations(sent):  # "At the end of the Services, … return … and delete it, … within 30 days" counts
        near, start = sent[min(start, max(0, d.start - 150)) : d.end + 150], d.end
        if _has(_NOT_A_DELETION_WINDOW, sent[: d.start]):
            continue  # "may terminate by giving 90 days' notice", "pay invoices within 30 days"
        if d.days() and (elsewhere or _has(_DELETE, near)) and (loose or _has(_END, near)):
            return d.days()
    return None


# --- sub-processor notice and objection --------------------------------------------------------

# "30 days' prior written notice", "at least 15 days before", "14 days in advance"
_NOTICE_BEFORE = r"^[\s's]*(?:(?:(?:prior|advanced?|written)\s+)*notice|before|prior to|in advance|ahead of)"


def _notice_days(sent: str, ctx: str, section: str) -> int | None:
    if _has(r"\bclause 9\s*\.?\s*\(?a\)", sent) and _has(r"\b(?:time )?period\b", sent):
        # the SCCs' blank filled in: "for Clause 9(a), option 2, the time period is 30 calendar days"
        found = [d.days() for d in durations(sent) if d.days()]
        return found[0] if found else None
    if not _has(_SUBPROC, sent) and not (_has(_SUBPROC, section) and _has(r"\bnew\b|\bchange", sent)):
        return None
    for d in durations(sent) if not _has(r"\baudit", sent) else []:
        after = sent[d.end : d.end + 40]
        if _has(r"\bterminat\w*[^.;]{0,30}$", sent[: d.start]):
            continue  # "may terminate with three months' notice" is an exit, not the change notice
        if d.days() and _has(_NOTICE_BEFORE, after):
            return d.days()
    return _period("notice", sent)


def _period(word: str, sent: str) -> int | None:
    """ "a notice period of thirty (30) days", "an objection period of 10 days" """
    m = re.search(rf"{word} period (?:of|is|shall be|will be) (?:at least )?(\S+(?: \(\d+\))? (?:\w+ )?"
                  r"(?:days?|weeks?|months?))", sent, re.I)
    found = durations(m.group(1)) if m else []
    return found[0].days() if found else None


_OBJECT = r"\bobject\w*|\bcontest\w*|\bnot (?:wish to )?consent|\boppos\w*|\bveto"
_OBJECTION_SKIP = (r"\bresol\w*|\bnegotiat\w*|\bdiscuss\w*|\bcannot reach|\bterminat\w*|\bdiscontinu\w*|"
                   r"\balternative|\bsolution|\bworkaround|\bunable|\bnot been able|\brespond\w*|\breply|\breplies|"
                   r"\banswer\w*")
# What stands before the number of an objection window: "within ten days", "no later than 20 days",
# "within a period of ten (10) working days", "Customer has 10 days to object".
_WINDOW_LEAD = (r"\b(?:within|during|in|no later than|not later than|up to|ha(?:ve|s)|(?:be|is|are) given)\s+"
                r"(?:the\s+|a\s+)?(?:(?:period|time) of\s+)?(?:(?:at least|not less than|no less than)\s+)?$")


def _objection_days(sent: str, ctx: str, section: str) -> int | None:
    if not _has(_OBJECT, sent) or not _has(_SUBPROC, f"{sent} {ctx} {section}"):
        return None
    for d in durations(sent):
        before = sent[: d.start]
        clause = re.split(r"[;:]|\.\s", before)[-1]
        # "If, within ten (10) business days of receipt of that notice, the Customer notifies X in writing of
        # any objections": the objection may stand a long clause after its window
        after = re.split(r"[;:]|\.\s", sent[d.end :])[0][:120]
        if not d.days() or not re.search(_WINDOW_LEAD, before, re.I):
            continue
        if re.match(r"\s*(?:of|after|from) (?:\w+['’]s )?(?:receipt|receiving) of (?:the )?(?:\w+['’]s )?"
                    r"(?:written )?objection", sent[d.end :], re.I):
            continue  # the time to resolve an objection, not the window to raise one
        # "… has 14 days to object": the words up to the objection belong to the window, what follows does not
        obj = re.search(_OBJECT, after, re.I)
        if re.search(r"\b(?:ha(?:ve|s)|given)\s+(?:\S+\s+){0,3}$", before, re.I) and not obj:
            continue  # "Vendor will then have 30 days to propose an alternative": only "… days to object" counts
        scope = f"{clause} {after[: obj.end()] if obj else ''}"
        if _has(_OBJECT, scope) and not _has(_OBJECTION_SKIP, scope):
            return d.days()
    return _period("objection", sent)


_OBJECT_IN_NOTICE = (r"\bobject\w*\b[^.;]{0,120}\b(?:within|during|before the end of)\s+"
                     r"(?:this|that|such|the|the applicable)\s+notice period")


def _objection_from_notice(sent: str, ctx: str, section: str) -> int | None:
    """Fallback: "N days' prior notice, during which Customer may object" sets both windows."""
    # SCC Clause 9(a), option 2: "at least 30 days in advance, thereby giving the controller sufficient time to be
    # able to object to such changes" (Commission Implementing Decision (EU) 2021/915 and 2021/914).
    if _has(r"during which[^.]{0,60}\bobject|\bobject\w*[^.;]{0,40}\b(?:during|within) (?:that|this|such|the notice) "
            r"period|\bthereby giving\b[^.;]{0,80}\bobject", sent):
        return _notice_days(sent, ctx, section)
    return None


# --- audit scope -------------------------------------------------------------------------------

_ONSITE = [
    r"\baudits,? including inspections",
    r"\bfacilities for (?:an )?audit",
    r"(?<!no )(?<!not )\b(?:on[- ]?site|physical)\s+(?:audit|inspection|visit)",
    r"\binspections?\b[^.;]{0,40}\bpremises",
    rf"\b{_CUSTOMER}\b[^.;]{{0,80}}?\b(?:may|can|(?:is|shall be) entitled to|(?:has|shall have) the right to)"
    r"(?! not)[\s,]+(?:[\w',]+\s+){0,6}?(?:audit|inspect|conduct|perform|carry out)\b",
    rf"\b(?:permit|allow|enable)s?\s+(?:the\s+)?{_CUSTOMER}\b[^.;]{{0,60}}\bto\s+(?:audit|inspect|conduct)",
    rf"\b(?:audits?|inspections?),?\s+(?:or\s+inspections?\s+)?by,?\s+(?:or on behalf of,?\s+)?"
    rf"(?:the\s+)?{_CUSTOMER}",
    rf"\baudit[^.;]{{0,90}}(?:conducted|performed|carried out|undertaken|initiated|requested)\s+by\s+"
    rf"(?:or on behalf of\s+)?(?:the\s+)?{_CUSTOMER}",
    rf"\bauditors?\s+(?:appointed|mandated|designated|selected|chosen|engaged|nominated)\s+by\s+(?:the\s+)?{_CUSTOMER}",
]
_REPORTS = (r"\breports?\b|\bcertif\w*|\bSOC ?[123]\b|\bISO(?:/IEC)? ?2700\d|\battestation|\bsummar\w*|"
            r"\barrang\w* for an? (?:qualified |independent |third[- ]party )*auditor|"
            r"\bby,?\s+(?:[\w',]+\s+){0,4}providing")
_BARE_AUDIT = r"\ballow(?:s|ing)?\s+(?:for\s+)?(?:and contribute to\s+)?(?:\w+\s+){0,3}(?:audits|inspections)"


# "Customer exercises its audit right by instructing / requesting / reviewing …": someone else audits.
_PROXY_VERBS = "instructing|requesting|reviewing|receiving|relying"
# The customer gives up its own audits: "will only exercise its audit rights … by instructing Provider to
# comply with the reporting requirements" overrides an earlier "allow for … audits, including inspections"
# (unless that very sentence keeps an inspection: "only by requesting an on-site audit").
_BY_ASKING = rf"by (?:asking|{_PROXY_VERBS})"
_ONLY_BY_PROXY = (rf"\b(?:only|solely|exclusively)\b[^.;]{{0,40}}\baudit rights?\b[^.;]{{0,160}}\b{_BY_ASKING}|"
                  rf"\baudit rights?\b[^.;]{{0,80}}\b(?:only|solely|exclusively) {_BY_ASKING}")
# Information handed to the customer's auditor ("present information … to Customer and/or an independent auditor
# appointed by Customer, including audit questionnaires") is a report, not an audit the auditor carries out.
_INFO_TO_AUDITOR = (rf"\binformation\b[^.;]{{0,80}}\b(?:to|with)\s+(?:the\s+)?(?:{_CUSTOMER}\s+(?:and/or|or|and)\s+)?"
                    r"(?:an?\s+)?(?:independent\s+)?(?:third[- ]party\s+)?auditors?\b")


def _audit_scope(chunks: Iterable[Chunk]) -> str | None:
    """``onsite`` if the customer (or its auditor) may audit or inspect; ``reports`` if the audit
    clause offers only reports and certifications; ``None`` without an audit clause."""
    sents = [(c, _norm(c.text)) for c in chunks]
    if any(_has(_ONLY_BY_PROXY, t) and not _has(r"on[- ]?site|\binspect|\bpremises", t) for _, t in sents):
        return "reports"
    scope = None
    for c, sent in sents:
        by_proxy = _has(rf"\bby (?:{_PROXY_VERBS})|\bsatisf\w* by", sent)
        by_proxy = by_proxy or _has(_INFO_TO_AUDITOR, sent)
        # "will not permit on-site audits", "nothing … grants the right to physical inspections"
        by_proxy = by_proxy or _has(r"\b(?:will|shall|does|do|is|are|may)\s+not\s+(?:\w+\s+){0,3}?(?:permit|allow|"
                                    r"grant|conduct|carry out|be entitled)|\bnothing\b[^.;]{0,60}\b(?:grants?|"
                                    r"entitles?|permits?|allows?)\b", sent)
        if _has(r"\baudit|\binspect", sent) and any(_has(p, sent) for p in _ONSITE) and not by_proxy:
            return "onsite"
        # The bare Art. 28(3)(h) duty "allow for and contribute to audits" means the controller's own
        # audits, unless the same sentence says they are met by information or a vendor-chosen auditor.
        if _has(_BARE_AUDIT, sent) and not _has(_REPORTS, sent):
            return "onsite"
        if _has(r"\baudit|\binspect", f"{sent} {c.context} {c.section}") and _has(_REPORTS, sent):
            scope = "reports"
    return scope


# --- assembly ----------------------------------------------------------------------------------

def _first(rule: Callable[[str, str, str], int | None], candidates: Iterable[Chunk]) -> int | None:
    for c in candidates:
        value = rule(_norm(c.text), _norm(c.context), c.section or "")
        if value is not None:
            return value
    return None


def extract_terms(chunks: list[Chunk], evidence: dict[str, list[Chunk]] | None = None) -> Terms:
    """Read the key terms of catalogue section D out of a document's sentence chunks.

    ``evidence`` maps requirement ids to the chunks the matcher judged relevant; numbers are taken
    from those first, then from every chunk. Lists and stances are decided over the whole document.
    """
    evidence = evidence or {}

    def pool(*reqs: str) -> list[Chunk]:
        seen, out = set(), []
        for c in [c for r in reqs for c in evidence.get(r, [])] + list(chunks):
            if id(c) not in seen:
                seen.add(id(c))
                out.append(c)
        return out

    terms = Terms()
    terms.breach_notice_hours = _first(lambda s, x, _h: _breach_hours(s, x), pool("breach-notification"))
    deletion = pool("deletion-return")
    terms.deletion_days = (_first(_deletion_days, deletion)
                           or _first(lambda s, x, h: _deletion_days(s, x, h, loose=True), deletion))
    sub = pool("subprocessor-changes", "subprocessor-objection")
    terms.subprocessor_notice_days = _first(_notice_days, sub)
    objection = pool("subprocessor-objection", "subprocessor-changes")
    terms.objection_days = _first(_objection_days, objection) or _first(_objection_from_notice, objection)
    if terms.objection_days is None and terms.subprocessor_notice_days is not None and any(
            _has(_OBJECT_IN_NOTICE, _norm(c.text)) for c in objection):
        # "The controller may object … within this notice period", the period set in another sentence
        terms.objection_days = terms.subprocessor_notice_days

    terms.audit_scope = _audit_scope(pool("audit"))
    transfer = pool("transfer-safeguards", "data-location", "no-training")
    texts = [_norm(c.text) for c in transfer]
    named = {m for _, ms in mechanism_chunks(transfer) for m in ms}
    terms.transfer_mechanisms = [m for m in _MECHANISMS if m in named]  # one reading with the finding's rule
    terms.data_locations = list(dict.fromkeys(p for _, ps in located_chunks(pool("data-location")) for p in ps))
    stances = {no_training_stance(t) for t in texts if mentions_training(t)}
    terms.no_training = next((s for s in ("reserves", "commits") if s in stances), "silent")
    log.debug("terms: %s", terms)
    return terms

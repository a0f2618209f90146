"""Art. 28(3)(f) read literally: which of the controller's duties under Articles 32 to 36 the processor helps with.

The processor must "assist the controller in ensuring compliance with the obligations pursuant to Articles 32
to 36". DPAs say this duty by duty, as items under one assistance lead-in ("… provide reasonable assistance to
Customer with: (a) … impact assessments; (b) prior consultation …"), or in one sentence naming several duties.
The sentence scorer gives such a passage to one requirement and misses the others (docs/accuracy.md, error
class 4), so this reader names every duty a passage covers, by article number or in the duty's own words.
An umbrella that cites only the range "Articles 32 to 36" is read apart (:func:`umbrella_chunks`).

A passage counts when it (or the lead-in of the list it is an item of) is an assistance commitment towards the
controller, not taken back by a negation and not made by the controller, and the passage itself names the duty.
Like the other rule readers (:mod:`pipeline.duties`) it turns a ``missing`` finding into ``met``, never the reverse.
"""

from __future__ import annotations

import re

from pipeline.models import Chunk

from .textrx import ANSWER, CUSTOMER_NAMES, has, norm, subject_does

_ASSIST = r"\b(?:assist\w*|co-?operat\w*|collaborat\w*|support\w*|help(?:s|ing)?)\b"
_NOT_ASSIST = (r"\b(?:not|no)\b[^.;]{0,25}\b(?:assist\w*|co-?operat\w*|support\w*|help\w*|obliged|required)\b|"
               rf"{ANSWER}no\b")  # a questionnaire's "… support our DPIA? No, …"
_BREACH = r"\b(?:breach\w*|incidents?|leak(?:s|age)?)\b"  # "a leakage incident", a Japanese DPA's term
# The help goes to the controller ("assist Customer", "help you", "cooperate with the Controller") …
# "the Organisation" (Canadian, Australian contracts); a Romanian DPA's "the Operator" (its controller; the processor
# helps no one of its own kind, thirty-first session, set v)
_CONTROLLER = (rf"\b(?:(?:{CUSTOMER_NAMES})s?|him|compan(?:y|ies)|principals?|buyers?|"
               r"organi[sz]ations?|operators?)\b")
_TO_CONTROLLER = (rf"{_ASSIST}[^.;]{{0,60}}{_CONTROLLER}|"
                  # in the passive: "Customer is supported by Vendor in …" (thirty-first session, set v)
                  rf"{_CONTROLLER}\s+(?:is|are|shall be|will be)\s+(?:\w+\s+)?(?:assisted|supported|helped)\b|"
                  # the controller named in a condition first: "If you must consult an authority, we'll help …"
                  # ("In case the Consignor must report …, the Consignee shall provide the necessary information and
                  # cooperation", thirty-third session, set n)
                  rf"\b(?:if|where|when|whenever|should|to the extent|in case|in the event)\s+(?:that\s+)?"
                  rf"(?:the\s+)?{_CONTROLLER}[^.;]{{0,200}},[^.;]{{0,80}}{_ASSIST}|"
                  rf"\b(?:provid|giv|offer|render|afford)\w*\s+(?:the\s+)?{_CONTROLLER}[^.;]{{0,40}}{_ASSIST}|"
                  # "… shall, at the Client's request, provide reasonable assistance in …": to whom goes unsaid
                  r"\b(?:provid|giv|offer|render|afford|lend)\w*\s+(?:(?:all|any|such|reasonable|reasonably|"
                  r"necessary|appropriate|commercially|full|timely|prompt|the)\s+){0,3}"
                  r"(?:assistance|support|co-?operation|help)\b|"
                  # … or to a party the passage names in its own words: "give the Institution all assistance
                  # reasonably required to …" (thirty-second session, set u)
                  r"\b(?:provid|giv|offer|render|afford|lend)\w*\s+(?:the\s+)?"
                  r"(?!(?:processor|vendor|supplier|provider|us)\b)[a-z]+\s+"
                  r"(?:(?:all|any|such|reasonable|reasonably|necessary|appropriate|full|timely|prompt)\s+){1,3}"
                  r"(?:assistance|support|co-?operation|help)\b|"
                  r"\b(?:assistance|support|co-?operation|help)\s+(?:shall|will|must)\s+be\s+(?:provided|given|"
                  r"rendered|offered)\b|"
                  # "… provide Licensee with such documentation as Licensee reasonably requires to complete a DPIA"
                  # … or "we'll give you the information you need about how we process your data"
                  rf"\b(?:provid|giv|suppl|furnish)\w*\s+(?:the\s+)?{_CONTROLLER}\s+(?:with\s+)?(?:\w+\s+){{0,3}}?"
                  r"(?:information|documentation|details)\b[^.;]{0,60}\b(?:requir\w*|need\w*|necessary)\b|"
                  # … or what it needs: "the Provider will supply what the School needs for it" (thirty-fifth
                  # session, set ab)
                  rf"\b(?:provid|giv|suppl|furnish)\w*\s+(?:(?:the\s+)?{_CONTROLLER}\s+)?(?:with\s+)?what(?:ever)?\s+"
                  rf"(?:the\s+)?(?:{_CONTROLLER}|it)\s+(?:\w+\s+)?(?:needs|requires)\b|"
                  # "we help with Art. 34 notices": the processor's help, to whom unsaid, as "provide assistance"
                  # above (a negotiation summary, thirty-fifth session, set ab)
                  r"\b(?:we|the\s+(?:processor|vendor|supplier|provider))\s+(?:will\s+|shall\s+)?"
                  rf"(?:\w+\s+)?{_ASSIST}\s+(?:with|in)\b|"
                  # a row whose label is the help and whose value commits to it: "DPIA support: we supply the data-flow
                  # information" (set ab)
                  rf"^\W*(?:agreed\W+)?(?:[\w/()-]+\s+){{0,4}}?(?:support|assistance|help|co-?operation)\s*[:—–]\s*"
                  r"(?:yes\b|agreed\b|compliant\b|we\s|(?:the\s+)?(?:processor|vendor|supplier|provider)\s+(?:will|shall)\b)|"
                  # a questionnaire's answer: "Will you help us with …? Yes — …"
                  rf"\b(?:will|would|do|does|can|could)\s+(?:you|the\s+\w+)\s+(?:\w+\s+){{0,2}}?{_ASSIST}[^?]{{0,200}}"
                  rf"{ANSWER}yes\b|"
                  # … or a sheet's row with no subject: "Assist with notifying affected data subjects (Art. 34)? -
                  # Yes, …", "DPIA support? - Yes, …" (thirty-fourth session, set y)
                  rf"^\W*(?:[\w/()-]+\s+){{0,4}}?{_ASSIST}[^?]{{0,200}}{ANSWER}yes\b")
# "This includes assistance concerning …": the help offered in the clause's first sentence, spelled out.
_THIS_INCLUDES = (rf"^\W*(?:this|these|such \w+)\s+(?:shall\s+|will\s+|may\s+)?(?:includ|compris|cover)\w*\b"
                  rf"[^.;]{{0,20}}{_ASSIST}")
# … and the sentence does not make the controller the one who helps ("Customer shall cooperate with Vendor").
_CONTROLLER_ACTS = (subject_does(CUSTOMER_NAMES, "shall|will|must|agrees?|undertakes?")
                    + r"(?!\s+be\s+(?:\w+\s+)?(?:assisted|supported|helped)\b)[^.;]{0,30}" + _ASSIST)
# Art. 33 and 34 are the controller's breach-notification duties, so help with "breach notification
# procedures" is help with both.
_BREACH_DUTIES = (r"\bobligations?\b[^.;]{0,80}\b(?:in respect of|relating to|related to|in relation to|regarding|"
                  r"concerning|with respect to|arising from|in connection with)\b[^.;]{0,50}" + _BREACH + "|"
                  r"\b(?:breach|incident)\w*[- ]notification (?:procedures?|obligations?|duties|requirements?|"
                  r"process\w*)\b")
# "the relevant authority" names the authority only in a breach passage, which the breach duties require anyway; a
# commissioner is the UK's (ICO), Canada's or Australia's authority.
_AUTHORITY = (r"\b(?:supervisory|data protection|competent|regulatory|relevant|appropriate|responsible|control)\s+"
              r"authorit\w*|\bregulators?\b|\b(?:information|privacy) commissioner\b")
# The people a breach may have to be told of, by who they are (plural; "users" only with a determiner, see below).
_PEOPLE_TOLD = (r"pupils|students|parents|guardians|patients|employees|staff|members|end[- ]users|consumers|"
                r"subscribers|learners|residents|citizens|applicants|candidates|donors|callers")
_SUBJECTS = (r"(?:\b(?:data subjects?|individuals|affected persons|end[- ]users)\b|"
             # "affected Employees" (an HR product's data subjects, thirtieth session, set r)
             r"\b(?:affected|impacted|concerned)\s+(?:users|end[- ]users|persons|people|customers|consumers|"
             r"employees|staff|members|patients|students|subscribers)\b|"
             r"\b(?:users|persons|people|individuals)\s+(?:concerned|affected|in question)\b|"
             # "… needs to tell pupils and their parents about a breach": the people the data is about, told
             # (thirty-third session, set w); not "customers", which may be the controllers themselves
             rf"\b(?:its|their|your|the|affected)\s+(?:users|{_PEOPLE_TOLD})\b)")

# Each duty by its article (Art. 32 security of processing, 33 notifying the authority of a breach, 34 telling
# the data subjects, 35 the impact assessment, 36 prior consultation) or by its own words.
_DUTIES: dict[str, tuple[int, str]] = {
    "assist-security": (32, r"\bsecurity of (?:the )?(?:processing|personal data)\b|"
                            r"\b(?:obligations?|duties|requirements?)\b[^.;]{0,30}\b(?:relating|related|with respect|"
                            r"in relation|regarding|as regards|concerning|pertaining)\b[^.;]{0,20}\bsecurity"
                            r"(?!\s+(?:incidents?|breach))|"
                            r"\bsecurity (?:obligations?|duties|responsibilit(?:y|ies))\b|"
                            # "… its obligations under the law to implement appropriate security measures"
                            r"\b(?:obligations?|duties)\b[^.;]{0,80}\bto (?:implement|take|adopt|maintain)\b"
                            r"[^.;]{0,60}\b(?:technical and organi[sz]ational|security) measures\b|"
                            # "… in meeting its own obligations to keep pupil data secure" (thirty-third session,
                            # set w), "its own legal duty to keep employee data secure" (thirty-fifth, set aa)
                            r"\b(?:obligations?|dut(?:y|ies))\b[^.;]{0,30}\bto (?:keep|hold|store|maintain)\b"
                            r"[^.;]{0,60}\b(?:secure|securely|safe)\b"),
    "assist-breach-authority": (33, rf"\b(?:notif|report|inform|communicat)\w*\b[^.;]{{0,100}}(?:{_AUTHORITY})"),
    "assist-breach-subjects": (34, rf"\b(?:communicat\w*|notif\w*|notices?|inform\w*|tell\w*|warn\w*)\b[^.;]{{0,80}}"
                                   rf"{_SUBJECTS}|"
                                   # the people told named bare: "must notify patients about a breach" (thirty-
                                   # fourth session, set z)
                                   rf"\b(?:notify|inform|tell|warn|contact)\s+(?:the\s+)?(?:{_PEOPLE_TOLD})\b|"
                                   # … or in the passive: "If employees have to be told about a breach …" (thirty-
                                   # sixth session, set aa)
                                   rf"(?:{_SUBJECTS}|\b(?:{_PEOPLE_TOLD}))\s+(?:\w+\s+){{0,3}}?(?:be|are|is|being)\s+"
                                   r"(?:\w+\s+)?(?:told|notified|informed|warned|contacted)\b"),
    # "evaluations of impact related to the data protection (EIPD)": a Spanish or Italian DPA translated.
    "assist-dpia": (35, r"\b(?:data protection|privacy) (?:impact )?assessments?\b|\bD?PIAs?\b|\b[EA]IPDs?\b|"
                        r"\b(?:evaluations?|assessments?|analys[ie]s) of (?:the )?impact\b[^.;]{0,30}"
                        r"\b(?:data protection|privacy|personal data)\b"),
    # "prior consultation", "prior regulatory consultations" (the authority named by an adjective).
    "assist-prior-consultation": (36, rf"\bprior (?:(?:regulatory|supervisory) )?consultations?\b|"
                                      rf"\bconsult\w*\b[^.;]{{0,40}}(?:{_AUTHORITY})|"
                                      # "If your regulator must be consulted before …" (thirty-sixth session, set ae)
                                      rf"(?:{_AUTHORITY})\s+(?:\w+\s+){{0,2}}?(?:be|is|are|being)\s+consulted\b"),
}
DUTY_IDS = tuple(_DUTIES)
_NAMES = dict(zip(DUTY_IDS, ("security of processing", "notifying the authority of a breach",
                             "telling data subjects of a breach", "impact assessments", "prior consultation")))
# "Article 32", "Art. 33 GDPR", "Articles 32 to 36", "Arts. 32-36", "Articles 33 and 34", "Article 28(3)(f)" (no).
_ARTICLES = re.compile(r"\bart(?:icle)?s?\.?\s*((?:\d{2}(?:\(\d+\))?(?:\s*(?:,|and|to|through|-|–|/)\s*)?)+)", re.I)


def cited_articles(text: str) -> set[int]:
    """The GDPR article numbers a passage cites one by one ("Article 32", "Articles 33 and 34").

    A range ("Articles 32 to 36") is not read here but by :func:`umbrella_chunks`, as a weaker rule: the SnT
    labellers count such an umbrella sentence for a given duty only 15 times in 60, and as a full rule it lowered
    snt-train accuracy by meaning from 0.768 to 0.760 through the thresholds (docs/accuracy.md, sixth and
    thirteenth sessions).
    """
    out: set[int] = set()
    for m in _ARTICLES.finditer(text):
        spec = m.group(1)
        if not re.search(r"\b\d{2}(?:\(\d+\))?\s*(?:to|through|-|–)\s*\d{2}\b", spec):
            out.update(int(n) for n in re.findall(r"\b(\d{2})(?:\(\d+\))?", spec))
    return out


def _assists(text: str) -> bool:
    """An assistance commitment towards the controller that no negation takes back."""
    return (has(_TO_CONTROLLER, text) and not has(_NOT_ASSIST, text)
            and not has(_CONTROLLER_ACTS, text))


def _offers_help(text: str, lead: str, context: str = "") -> bool:
    """The passage (normalised), the lead-in of the list it is an item of, or (for "This includes assistance …")
    the clause it continues, commits to assisting the controller."""
    return _assists(text) or bool(lead and _assists(lead)) \
        or bool(context and has(_THIS_INCLUDES, text) and _assists(context))


def assisted_duties(text: str, context: str = "", lead: str = "") -> list[str]:
    """The assist-* requirement ids a passage commits the processor to help with (catalogue order).

    ``lead`` is the sentence that introduces the list the passage is an item of ("… assist Customer with:").
    """
    text, context, lead = norm(text), norm(context), norm(lead)
    if not _offers_help(text, lead, context):
        return []
    articles = cited_articles(text)
    out = []
    for rid, (article, words) in _DUTIES.items():
        if article in articles or has(words, text):
            # A notice to the authority or to data subjects only counts in a breach passage (Art. 33, 34).
            if rid in ("assist-breach-authority", "assist-breach-subjects") and article not in articles \
                    and not has(_BREACH, f"{text} {context} {lead}"):
                continue
            out.append(rid)
    if has(_BREACH_DUTIES, text):
        # Helping the controller with "its obligations in respect of the breach" is help with Art. 33 and 34,
        # the controller's only duties about a breach.
        out += [r for r in ("assist-breach-authority", "assist-breach-subjects") if r not in out]
    return [r for r in _DUTIES if r in out]


def list_leads(chunks: list[Chunk]) -> list[str]:
    """Per chunk, the list lead-in it belongs to: the last sentence ending in a colon earlier in its section."""
    out, lead, section = [], "", None
    for c in chunks:
        if c.section != section:
            lead, section = "", c.section
        out.append(lead)
        text = c.text.rstrip()
        if text.endswith((":", "—", ":-")):
            lead = text
    return out


def assist_chunks(rid: str):
    """A ``match._met_by_rule`` finder for one assist-* requirement: chunks naming that duty, with the article."""
    article = _DUTIES[rid][0]

    def find(chunks: list[Chunk]) -> list[tuple[Chunk, list[str]]]:
        return [(c, [f"{_NAMES[rid]} (Art. {article})"]) for c, lead in zip(chunks, list_leads(chunks))
                if rid in assisted_duties(c.text, c.context, lead)]

    return find


_RANGE = re.compile(r"\bart(?:icle)?s?\.?\s*(3[2-6])(?:\(\d+\))?\s*(?:to|through|-|–)\s*(3[2-6])\b", re.I)


def umbrella_chunks(chunks: list[Chunk], rid: str) -> list[Chunk]:
    """Assistance commitments that cite the duties only as a range, "Articles 32 to 36" (the words of Art.
    28(3)(f) itself) or "Articles 32 to 34", in a range that includes the article of ``rid``'s duty.

    :func:`cited_articles` leaves the range out, so these passages are not read as naming each duty; the
    matcher meets an assist-* gap with them as a weaker rule (``match.WEAK_RULES``).
    """
    out = []
    for c, lead in zip(chunks, list_leads(chunks)):
        text = norm(c.text)
        spans = [(int(m[1]), int(m[2])) for m in _RANGE.finditer(text)]
        if any(a <= _DUTIES[rid][0] <= b for a, b in spans) and _offers_help(text, norm(lead)):
            out.append(c)
    return out


def umbrella_finder(rid: str):
    """A ``match`` finder for one assist-* requirement met only by the Art. 28(3)(f) umbrella."""
    def find(chunks: list[Chunk]) -> list[tuple[Chunk, list[str]]]:
        return [(c, ["only in the general words of Art. 28(3)(f) (Articles 32 to 36); the duty is not spelled out"])
                for c in umbrella_chunks(chunks, rid)]
    return find


# "… provide sufficient information to allow the Customer to meet any obligations to report or inform data
# subjects of the breach": the information the controller needs for its Art. 33 and 34 notices (the eval
# convention counts a breach notice that must carry what the authority needs).
_INFO_TO_NOTIFY = (r"\b(?:information|details)\b[^.;]{0,80}\b(?:allow|enabl|permit|help|assist)\w*\b[^.;]{0,60}"
                   r"\b(?:meet|compl|fulfil|satisf|discharg)\w*\b[^.;]{0,40}\b(?:report|notif|inform|communicat)\w*|"
                   # "… shall be supplied to the Controller to support that notification", "We'll give you the
                   # details you need … so that you can notify the regulator"
                   r"\b(?:information|details)\b[^.;]{0,100}\b(?:to support|so that|in order that|to enable)\b"
                   r"[^.;]{0,40}\b(?:report|notif|inform|communicat)\w*")
_REPORTS = r"\breport\w*|" + _AUTHORITY


def breach_info_finder(rid: str):
    """A ``match`` finder: breach information given so that the controller can make its own notices."""
    who = _REPORTS if rid == "assist-breach-authority" else _SUBJECTS

    def find(chunks: list[Chunk]) -> list[tuple[Chunk, list[str]]]:
        out = []
        for c in chunks:
            text = norm(c.text)
            m = re.search(_INFO_TO_NOTIFY, text, re.I)
            if m and has(who, text[m.start():]) and has(_BREACH, f"{text} {norm(c.context)}") \
                    and not has(_NOT_ASSIST, text) and not has(_CONTROLLER_ACTS, text):
                out.append((c, [f"information for {_NAMES[rid]}"]))
        return out
    return find


# Art. 28(3)(e): the processor helps the controller answer the data subjects' requests. Named as a request or a
# right of the people the data is about ("requests from data subjects", "DSARs", "the rights of the persons
# concerned", "a parent … asks to delete pupil records", "one of your end users asks to see their data").
# ("If someone asks you to see, fix or delete their data", thirty-sixth session, set ad; "a caller", set ae)
_PEOPLE = (r"(?:data subjects?|individuals?|persons?(?: concerned)?|people|someone|somebody|anyone|anybody|"
           r"end[- ]?users?|users?|consumers?|employees?|"
           r"pupils?|students?|parents?|guardians?|patients?|members?|subscribers?|applicants?|candidates?|callers?|"
           r"visitors?|citizens?|residents?|learners?)")
_THEIR_REQUEST = (r"\b(?:requests?|demands?|enquir\w*|inquir\w*|applications?)\b[^.;]{0,40}\b(?:from|by|of)\s+"
                  rf"(?:an?\s+|the\s+|any\s+|its\s+|their\s+|your\s+)?(?:\w+\s+)?{_PEOPLE}\b|"
                  rf"\b{_PEOPLE}\s+(?:\w+\s+){{0,3}}?(?:asks?|requests?|wants?|seeks?)\s+(?:\w+\s+){{0,2}}?to\s+"
                  r"(?:see|access|review|obtain|correct|rectify|amend|delete|erase|export|port|restrict|object)\b|"
                  # "a patient asks the Practice for access to, correction of or deletion of …" (thirty-fourth
                  # session, set z)
                  rf"\b{_PEOPLE}\s+(?:\w+\s+){{0,3}}?(?:asks?|requests?|applies)\s+(?:\w+\s+){{0,2}}?for\s+"
                  r"(?:an?\s+|the\s+)?(?:access|copy|copies|correction|rectification|amendment|deletion|erasure|"
                  r"export|portability|restriction)\b|"
                  rf"\brights?\s+(?:of|granted to)\s+(?:the\s+)?{_PEOPLE}|\b{_PEOPLE}['’]?s?\s+rights\b")
# … and the help is with answering them: "respond", "answer", "fulfil", "deal with", or the rights by article.
_ANSWER = (r"\b(?:respond\w*|answer\w*|reply\w*|fulfil\w*|comply\w*|deal\w* with|handl\w*|address\w*|satisf\w*)\b|"
           r"\bprocess(?:es|ing)?\s+(?:the|such|those|these|any|their|its|all)\s+(?:\w+\s+)?requests?\b|"
           r"\bchapter iii\b|\bart(?:icle)?s?\.?\s*(?:1[2-9]|2[0-2])\b")
# Named outright, the request needs no answering verb: "assist Customer with any data subject access or erasure
# requests", "… with its obligations in connection with such data subject requests".
_RIGHT = r"(?:access|rectification|erasure|portability|correction|deletion|restriction|objection|blocking)"
_DSR = (r"\bDSARs?\b|\bdata subjects?['’]?\s+(?:[\w-]+,?\s+){0,6}?requests?\b|"
        r"\brequests?\b[^.;]{0,40}\b(?:from|by|of)\s+(?:an?\s+|the\s+|any\s+)?data subjects?\b|"
        rf"\b{_RIGHT}(?:,?\s+(?:or\s+|and\s+)?{_RIGHT})*\s+requests?\b")
# A request from an authority (a subpoena, a disclosure order) is government-access; a breach notice's contents
# and the data subjects' own rights stated are not the processor's help.
_NOT_THEIR_REQUEST = (r"\b(?:law enforcement|subpoena|court order|government\w*|public authorit\w*|supervisory "
                      r"authorit\w*|regulators?)\b|\b(?:breach\w*|incidents?)\b")


def request_help_chunks(chunks: list[Chunk]) -> list[tuple[Chunk, list[str]]]:
    """Sentences (or items under an assistance lead-in) in which the processor helps the controller answer the
    data subjects' requests (``data-subject-rights``, Art. 28(3)(e))."""
    out = []
    for c, lead in zip(chunks, list_leads(chunks)):
        text = norm(c.text)
        if _offers_help(text, norm(lead)) and (has(_DSR, text) or (has(_THEIR_REQUEST, text) and has(_ANSWER, text))) \
                and not has(_NOT_THEIR_REQUEST, text):
            out.append((c, ["with the data subjects' requests (Art. 28(3)(e))"]))
    return out

"""Text helpers shared by the rule readers (duties, sub-processors, assist, key terms, transfers, locations) and the
matcher's gate: one normalisation, one search, the patterns several readers need, the sentence reader they are
built from, and what counts as a bare label."""

from __future__ import annotations

import functools
import re

from .models import Chunk, Finder

# The numbers or letters before a clause or list item: "(b) ", "3.2 ", "iv. " (any number of them).
ITEM_NUMBERS = r"(?:(?:\(?\w{1,3}[.)]|\d+(?:\.\d+)*\.?)\s+)*"
# The controller, as the rule readers name it in a sentence ("Customer may object", "chosen by the client"): the
# GDPR's and most DPAs' words, the SCC's "data exporter", and what other contracts and translations call it
# ("Subscriber", "Licensee", "Merchant", a Polish DPA's "Entrusting Party", a Japanese one's "Consignor", a Spanish
# one's "the Responsible" for "el responsable del tratamiento": capitalised, as a role, not "responsible for").
CUSTOMER_NAMES = (r"customer|controller|client|you|data exporter|subscriber|licensee|merchant|entrusting party|"
                  r"consignor|(?-i:Responsible)(?!\s+for\b)|"
                  # a translated German DPA's Auftraggeber, not the "Principal Agreement" a DPA forms part of
                  r"(?-i:Principal)(?!\s+(?:[Aa]greement|[Cc]ontract|[Pp]lace|[Oo]ffice|[Ss]ervices?|[Aa]mount)\b)")
THE_CUSTOMER = rf"\b(?:{CUSTOMER_NAMES})\b"
# The processor's own discretion ("at its sole discretion", "in our discretion"): what it may do so, it need not do.
OWN_DISCRETION = r"\b(?:at|in)\s+(?:its|our)\s+(?:sole\s+|own\s+|absolute\s+)?discretion\b"
# A questionnaire's answer after its question, before the "yes" or "no": "…? Yes", "…? A: No", "…? - Yes, …".
ANSWER = r"\?\s*[-–—:]?\s*(?:A\s*[:.]\s*)?"
# The customer as the key-term rules name it ("Company" too, which names the customer in some DPAs; the readers of
# a no-training stance tell it from the vendor, pipeline/stance.py).
CUSTOMER_OR_COMPANY = r"(?:customer|(?:data\s+)?(?:controller|exporter)|client|you|company|licensee|subscriber)"
# A sub-processor named in any of the ways DPAs do: "Sub Data Processor", "third-party service provider",
# "third-party vendor", "third-party processor" or "downstream processor", and
# Art. 28(2) and (4)'s "another processor" / "that other processor" / "a further processor"; a Japanese DPA's
# "re-consignee" ("re-entrusts the handling").
SUBPROC = (r"\bsub-?\s?(?:data[- ]?)?(?:processor|processing|contractor)|\bsubprocessor|\bre-?(?:consign|entrust)\w*|"
           r"\bthird[- ]party (?:service )?(?:provider|model|vendor)|\bthird[- ]party (?:data )?processor|"
           r"\bdownstream (?:data )?processor|\b(?:another|other|further)\s+(?:data\s+)?processors?\b")



def subject_does(subjects: str, verbs: str) -> str:
    """A sentence whose subject (within its first few words, "the" optional) is one of ``subjects`` and whose
    verb soon after is one of ``verbs``: "Customer shall …", "(b) the Controller will …". Rule readers use it to
    tell a duty of the controller (or of another party) from the processor's own."""
    # The subject of a conditional clause or of an object clause is not the sentence's: "If Customer subscribes,
    # Acme shall …", "Whenever you ask, we will …" (thirty-fourth session, set w), "You agree that Acme may …"; nor
    # is a possessive: "At the Customer's request, Acme will …".
    return (r"^\W*(?:(?!(?:if|when|whenever|where|wherever|once|unless|should|after|before|until)\b)\S+\s+){0,3}?"
            r"(?:the\s+)?"
            rf"(?:{subjects})\b(?!['’]s)(?:(?!\b(?:that|if|when|where|whether)\b)[^.;]){{0,25}}\b(?:{verbs})\b")


# The controller telling the processor ("Customer shall notify Acme if its instructions …", "The Client will inform
# the Contractor of any legal requirement …"): the controller's own duty, which meets none of the processor's
# notice duties (Art. 28(3)(a) and its last subparagraph). Not the passive "The Controller shall promptly be
# informed …": that is the processor's duty worded from the other side.
CUSTOMER_TELLS = (subject_does(CUSTOMER_NAMES, "shall|will|must|should|agrees?")
                  + r"(?:(?!\b(?:be|been|get)\b)[^.;]){0,30}\b(?:inform|notify|alert|tell|advise)\w*\b")


_REF_DOT = re.compile(r"\b((?i:arts?|secs?|nos?|paras?|cl|subs?))\.\s?(?=\(?\d)")
# A pronoun's contraction in a we / you DPA: "You're responsible for …" reads as "You are …", "we'll" as "we will",
# so the readers' subject patterns see the verb (thirty-fourth session, set y); a questionnaire's "w/" is "with".
_CONTRACTION = re.compile(r"\b((?i:we|you|they))'((?i:re|ll))\b")
_CONTRACTED = {"re": "are", "ll": "will"}
_WITH = re.compile(r"\b([Ww])/\s?(?!(?:o|in)\b)(?=\w)")  # not "w/o" (without), "w/in" (within)


@functools.lru_cache(maxsize=8192)  # each rule pass re-reads the same chunks and clause contexts
def norm(text: str) -> str:
    """Soft hyphens removed, curly apostrophes straightened, whitespace collapsed, a pronoun's contraction spelled
    out ("you're" → "you are"), "w/" read as "with", and the dot of an abbreviated reference dropped ("Art. 28" →
    "Art 28", "Sec. 4", "No. 2"), so the readers' sentence spans do not end there."""
    text = text.replace("\u00ad", "").replace("’", "'").replace("‘", "'")
    text = _CONTRACTION.sub(lambda m: f"{m[1]} {_CONTRACTED[m[2].lower()]}", text)
    text = _WITH.sub(lambda m: f"{m[1]}ith ", text)
    return _REF_DOT.sub(r"\1 ", re.sub(r"\s+", " ", text).strip())


def has(pattern: str, text: str) -> bool:
    """Case-insensitive search."""
    return re.search(pattern, text, re.I) is not None


# A label, not a statement: fewer than five words, no sentence end, not a table row ("Encryption",
# "Types of Personal Data", "5. Confidentiality", "Sub-processors:"; the parser takes headings set in body type
# for paragraphs). It names a topic, so it scores high for it, but commits to nothing (eval labels never cite one).
_WORD = re.compile(r"[^\W\d_]{2,}")
_SENTENCE_END = re.compile(r"[^\W\d_]{2,}[.!?][\"'”’)]*\s*$")


# A numbered heading in title case is a label too, however long: "8. Data Protection Impact Assessment and Prior
# Consultation", "5.3 Vendor's Compliance with Instructions." (snt-train: 60 such lines, one labelled).
# An annex may be numbered in Roman numerals or letters ("Annex II – Technical and Organisational Measures").
_NUMBERED = re.compile(r"^\W*(?:(?:section|article|clause|annex|schedule|appendix|exhibit)\s+"
                       r"(?:[IVX]{1,5}|[A-Z])\b\.?\s*[-–—:]?\s+(?=\S)|"
                       r"(?:(?:section|article|clause|annex|schedule|appendix|exhibit)\s+)?"
                       r"\d+(?:\.\d+)*\.?\s+(?=\S))", re.I)
# A title may end in a short aside or an empty placeholder: "Schedule 8 - Security Measures (see overleaf)",
# "Annex 3 - Sub-processors: [to be completed by the parties]".
_TITLE_TAIL = re.compile(r"\s*(?::\s*)?(?:\[[^\]]{0,60}\]|\((?:[^\W\d_]+\s*){1,3}\))\s*\.?$")
_TITLE_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_MINOR = frozenset("a an and as at by for from in its of on or per the their to under with".split())


def _numbered_title(text: str) -> bool:
    head = _NUMBERED.match(text)
    if not head or len(text) > 120:
        return False
    rest = _TITLE_TAIL.sub("", text[head.end():].strip()).strip().rstrip(".:")
    words = _TITLE_WORD.findall(rest)
    return (0 < len(words) <= 12 and not re.search(r"[,;:!?|]|\.\s", rest)
            and all(w[0].isupper() or w in _MINOR for w in words))


# Three more kinds of label (twenty-first session; each kept a deleted clause met on vendors-dev; of the 66
# snt-train sentences they add, 5 carry a requirement: three Annex headings and two questions of a breach form):
# a heading in capitals of up to 16 words ("SCHEDULE 2: TECHNICAL AND ORGANISATIONAL SECURITY MEASURES"; longer
# capitals are a disclaimer's sentence), a question (an FAQ heading, a checklist item: it asks, it does not
# commit), and an empty field of the description of processing, Art. 28(3)'s list as the SCC Annex I template
# prints it ("Categories of data subjects whose personal data is processed ...", "7.3. Duration of the
# processing of personal data").
_LOWER = re.compile(r"[a-z]")
_CAPS_WORD = re.compile(r"[A-Z]{2,}")
_QUESTION = re.compile(r"^[^.!;]*\?[\"'”’)]*$")
_FIELD_NUMBER = re.compile(r"^\W*(?:(?:section|article|clause|annex|schedule|appendix|part)\s+)?" + ITEM_NUMBERS,
                           re.I)
_FIELD = re.compile(r"(?:(?:special|sensitive)\s+)?(?:categor(?:y|ies)|types?|kinds?|nature|purposes?|purpose\(s\)"
                    r"|duration|frequency|subject[- ]matter|retention(?:\s+period)?)\s+(?:of|and)\b", re.I)
_FIELD_WORDS = frozenset("""the of and or by be is are will which whose if any personal data subject subjects
    individual individuals persons users processed processing transferred transfer transfers concerned collected
    further special sensitive category categories type types kind kinds nature purpose purposes duration frequency
    matter retention period periods sub processor processors appropriate relevant applicable""".split())


def _empty_field(text: str) -> bool:
    rest = text.replace("#", "").strip()
    rest = rest[_FIELD_NUMBER.match(rest).end():]
    if not _FIELD.match(rest):
        return False
    # "Purpose(s) of the data transfer …" (SCC 2021 Annex I.B): the plural mark is no word of its own
    words = re.findall(r"[^\W\d_]+", rest.lower().replace("(s)", "s"))
    return all(w in _FIELD_WORDS for w in words)


# A template's empty field: "Nature and Purpose of the Processing: [to be completed by Customer]", "Annex III – List
# of Sub-processors: [intentionally left blank]" (twenty-sixth session, blind paraphrase sets h and i), "[Customer to
# complete]", a line of underscores to write on (twenty-seventh session, set k), "[to be specified by Customer]" and a
# bare "TBD" or dash after the label (twenty-eighth session, sets m and n); the same in round brackets at the end
# ("… (to be completed)"), or unbracketed after the label ("Categories of data subjects: to be determined by the
# Customer"), and a pointer to an annex left blank ("Approved Sub-processors: see Annex [__]") (twenty-ninth session,
# sets p and q).
_BLANK_VERB = r"(?:complet|insert|agree|add|confirm|provid|fill|specif|determin|defin|decid)\w*"
_TO_BE = rf"to (?:be )?{_BLANK_VERB}"
_PLACEHOLDER = re.compile(rf"\[\s*(?:[^\]]{{0,30}}\b{_TO_BE}|insert|(?:intentionally )?left blank|tb[cd]|n/?a|none)\b"
                          r"[^\]]{0,60}\]|\[[●•…_x.\s]*\]|_{4,}|(?<=[:|])\s*(?:tb[cd]|[—–-]+)\s*$|"
                          rf"\(\s*{_TO_BE}\b[^)]{{0,40}}\)\W*$|(?<=[:|])\s*to be {_BLANK_VERB}"
                          r"[^.;:|]{0,80}$", re.I)
_POINTER = re.compile(r"\b(?:see|in|at|per|refer to)\s+(?:the\s+)?(?:annex|schedule|appendix|exhibit|attachment)$",
                      re.I)


def is_placeholder(text: str) -> bool:
    """A field whose value is a template's placeholder: the label states nothing, and nor does the blank.
    As a table row: "Duration of processing | [●]", "Categories of data subjects | —"."""
    stated = text.replace("*", "").strip().rstrip(" .")
    rest = _PLACEHOLDER.sub("", stated).strip().rstrip(" .")
    return rest != stated and (not rest or rest[-1] in ":-–|" or bool(_POINTER.search(rest)))


def is_label(text: str) -> bool:
    """A passage that states no commitment: a heading, field label or question the parser kept as a paragraph."""
    text = text.replace("*", "").strip()  # markdown emphasis some PDF exports keep
    if is_placeholder(text):
        return True
    if "|" in text:  # a table row states what its cells say
        return False
    if not _SENTENCE_END.search(text) and (
            len(_WORD.findall(text)) < 5 or (not _LOWER.search(text) and 2 <= len(_CAPS_WORD.findall(text)) <= 16)):
        return True  # a short label, or a heading in capitals
    return _numbered_title(text) or bool(_QUESTION.match(text)) or _empty_field(text)


def sentence_reader(fact: str, needs: list[str], denies: str | None = None, doc: str = "") -> Finder:
    """A reader that takes each sentence matching every pattern of ``needs`` and not ``denies``, stating ``fact``."""
    def find(chunks: list[Chunk]) -> list[tuple[Chunk, list[str]]]:
        texts = ((c, norm(c.text)) for c in chunks)
        return [(c, [fact]) for c, text in texts
                if all(has(rx, text) for rx in needs) and not (denies and has(denies, text))]
    find.__doc__ = doc
    return find

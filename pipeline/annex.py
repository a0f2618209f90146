"""The description of processing (GDPR Art. 28(3), first subparagraph; SCC Annex I.B): labelled fields such as
"Categories of personal data: …", "Nature of the processing …", "Duration: …".

Art. 28(3) asks the contract to "set out the subject-matter and duration of the processing, the nature and purpose
of the processing, the type of personal data and categories of data subjects". Most DPAs do so in an annex of
labelled fields, in one of three layouts: "Label: value", a table row "Label Value" (the label as its own cell),
or the label as a heading with the value below it. A field states the fact whatever the wording of its value, so
the scorer, which ranks sentences by wording, misses some (a plain list of data under the label scores low).

Four kinds of reader, all registered by requirement id:

- :func:`field_chunks`: a field with a value → the requirement is met (``duties.RULES``).
- :func:`period_chunks`: the duration stated in a sentence instead ("will process … for the term of the
  Agreement", "This DPA remains in effect as long as …") → ``duration`` is met (``duties.RULES``).
- :func:`listed_types_chunks`, :func:`listed_subjects_chunks`, :func:`stated_nature_chunks`: the data types, the
  data subjects or the nature or purpose stated in a sentence instead ("The personal data processed include names,
  …", "Data subjects include …", "The purpose of the processing is …") → met (``duties.RULES``).
- :func:`deferred_chunks`: the field for the data types or data subjects leaves them to the customer ("Determined
  by Customer"). By the labelling convention (shared/eval/README.md) such a DPA does not list them, so where no
  field lists them either, the requirement is a gap even if the scorer met it on some other passage
  (``VETOES``, applied by ``match.decide``).
"""

from __future__ import annotations

import functools
import re

from pipeline.models import BlockKind, Chunk, Finder

from .textrx import norm

# An optional bullet, item number ("B.2.", "4.", "(a)") and emphasis mark before the label.
# ("Annex 1 (d) Categories of Personal Data: …", the annex's own name before the item, thirty-sixth session, set ae)
_LEAD = (r"^\s*(?:[-•*–·]\s*)?(?:(?:Annex|Schedule|Appendix|Exhibit)\s+[\w.]{1,4}\s+)?"
         r"(?:\(?[A-Z0-9]{1,3}(?:\.\d+)*[.)]?\s+)?_?")
# "processed", "transferred", or both as the SCC annexes of 2021 print them ("processed / transferred").
_VERB = r"(?:transferred|processed)(?:\s*/\s*(?:transferred|processed))?"
# The field labels, as Art. 28(3) and SCC Annex I.B word them and as DPAs vary them.
LABELS = {
    # Not "special categories of personal data" (a separate field, mostly "None"), not "data subjects".
    "data-types": (r"(?<!special )(?<!sensitive )(?:categor(?:y|ies)|types?|kinds?)\s+of\s+(?:customer\s+)?"
                   rf"(?:personal\s+)?data(?!\s+subject)(?:\s+(?:{_VERB}|concerned))?"),
    "data-subjects": (r"(?:categor(?:y|ies)\s+of\s+)?(?:data\s+subjects|individuals)(?:\s+whose\s+personal\s+data\s+"
                      rf"(?:is|are)\s+{_VERB})?"),
    "nature-purpose": (r"(?:(?:the\s+)?nature(?:\s+and\s+purposes?)?|purposes?(?:\s*\(s\))?|subject[- ]matter)"
                       r"(?:\s+of\s+(?:the\s+)?(?:data\s+)?(?:processing|transfer)(?:\s+and\s+further\s+processing)?)?"),
    "duration": r"(?:duration|term|period)(?:\s+of\s+(?:the\s+)?(?:data\s+)?processing)?",
}
# A value that states nothing: "None", "N/A", "see above", a template's placeholder ("Insert …", "[…]"), or the
# next field's label (a table's header row read as one line). A deferral to the customer is `_deferred`.
_NO_VALUE = re.compile(
    r"^\W*(?:(?:none|n/?a|not applicable|tbd|see|as (?:set out|described|specified)|insert|please|this should|"
    r"to be (?:completed|specified|agreed)|type|categor\w*|nature|purpose|duration|subject)\b|[\[<])", re.I)
# The customer decides what the field should have listed (labelling convention: such a DPA lists nothing) …
_CUSTOMER = r"(?:the\s+)?(?:customer|client|controller|data exporter|you)\b"
_DEFERRED = re.compile(
    rf"^\W*(?:(?:as\s+)?(?:determined|decided|specified|chosen|selected|defined|controlled)\s+by\s+{_CUSTOMER}|"
    rf"{_CUSTOMER}\s+(?:controls|determines|decides|chooses|selects)\b|"
    r"(?:any|all)\s+(?:personal\s+data|categories|data|types)\b[^.;]{0,80}\b(?:submit|upload|provid|determin|chos|"
    r"decid)\w*\s+by\b|"
    # A value that only restates the label: "Customer Personal Data that is Processed under the Terms", "Data
    # subjects whose personal data is processed", "Individuals about whom data is provided to the Processor".
    r"(?:customer\s+)?(?:personal\s+)?data\s+(?:that|which)\s+(?:is|are|will\s+be)\s+processed\b|"
    r"(?:data\s+subjects|individuals|persons)\b[^.;]{0,60}\b(?:whose|about\s+whom)\b[^.;]{0,50}\bdata\s+"
    r"(?:is|are|will\s+be)\s+(?:processed|provided|submitted|uploaded)\b)", re.I)
# … unless the value goes on to list some ("determined by the Customer, and may include names, emails").
_LISTS = re.compile(r",|\bsuch as\b|\binclud\w*|\be\.g\.|\bfor example\b", re.I)


def _deferred(value: str) -> bool:
    return bool(_DEFERRED.search(value)) and not _LISTS.search(value)


@functools.cache  # compiled once per field, not per document
def _patterns(rid: str) -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    label = LABELS[rid]
    # "Label: value", "_Label_ value", or a ruled table's row "Label | value" (pipeline/parse.py joins cells so).
    # Also a run-in heading "* Types of Personal Data. Names and emails of users." (a full stop, then a capital);
    # not for "Duration." / "Term.", as often the heading of the DPA's own term clause (see ``alone``).
    run_in = r"|\.\s+(?=(?-i:[A-Z]))" if rid != "duration" else ""
    colon = re.compile(_LEAD + label + rf"(?:\s*(?::|_\s|\|){run_in})\s*(?P<v>\S.*)", re.I | re.S)
    # "Nature of the processing The performance of …": a table row whose value starts with a capital.
    bare = re.compile(_LEAD + label + r"\s+(?P<v>(?-i:[A-Z])\S*\s.*)", re.I | re.S)
    # The label alone, as a heading or a table's first cell; "Duration" or "Term" alone is just as often the
    # heading of the DPA's own term clause, so that one needs its colon.
    alone = re.compile(_LEAD + label + (r"\s*:\s*$" if rid == "duration" else r"\s*:?\s*$"), re.I)
    return colon, bare, alone


# A table written out as text ("| Label | value | | Label 2 | value 2 |", as Markdown prints one) reaches the parser
# as lines, not a ruled table, so its rows come out as one paragraph; "| |" is where one row ends and the next begins.
_ROW_END = re.compile(r"\|\s+\|")


def _rows(text: str) -> list[str]:
    """The passage, or its rows (each "Label | value", outer pipes dropped) when it is a text table."""
    if not text.lstrip().startswith("|"):
        return [text]
    return [r for r in (r.strip(" |") for r in _ROW_END.split(text)) if r] or [text]


def _run_on_rows(c: Chunk, rid: str) -> list[str]:
    """Rows of a two-column "Label | value" table that the PDF printed as one run-on paragraph (the eval
    corpora's layout, pipeline/tables.py), from each capitalised label followed by ":" or " | " onwards:
    "… casual workers Categories of personal data processed: | Names, logins …" (Spacelift's SCC annex).
    Not in a table row: a header row is labels after labels ("Nature of Processing | Legal base | …")."""
    if " | " not in c.text or c.kind == BlockKind.TABLE_ROW:
        return []
    return [c.text[m.start():] for m in _table_patterns(rid)[0].finditer(c.text)]


# A table whose columns list sub-processors describes their processing, not the DPA's own (Art. 28(3) vs 28(4)).
_SUBPROCESSOR_TABLE = re.compile(r"sub-?\s?processor|subcontractor|vendor|provider|company|entity|\bname\b", re.I)
# "Retention period" heads the duration column of a description table (SCC Annex I.B: the period for which the
# data will be retained); alone in a sentence it is just as often the deletion clause, so only as a header.
# A column header may also be singular ("Data Subject").
_HEADER_EXTRA = {"duration": r"|retention(?:\s+(?:period|time))?", "data-subjects": r"|data\s+subject"}


@functools.cache  # compiled once per field, as _patterns
def _table_patterns(rid: str) -> tuple[re.Pattern, re.Pattern]:
    """A label inside a run-on text table (capitalised, then ":" or " | "), and a column header naming it."""
    mid = re.compile(rf"(?<=\s)(?=(?-i:[A-Z]))(?:{LABELS[rid]})\s*(?::\s*\|?|\|)", re.I)
    header = re.compile(rf"^\W*(?:{LABELS[rid]}{_HEADER_EXTRA.get(rid, '')})\s*:?\s*$", re.I)
    return mid, header


def _column_values(c: Chunk, rid: str) -> list[tuple[str, str]]:
    """(header, cell) where a table row's column is headed by the ``rid`` label (the header is the chunk's
    context's first line, ``pipeline/chunk.py``), in a description table, not a sub-processor list."""
    head, sep, _ = c.context.partition("\n")
    if c.kind != BlockKind.TABLE_ROW or not sep or _SUBPROCESSOR_TABLE.search(head):
        return []
    header, cells = head.split(" | "), c.text.split(" | ")
    if len(header) != len(cells) or len(header) < 2:
        return []
    return [(h, v) for h, v in zip(header, cells, strict=True) if _table_patterns(rid)[1].match(h)]


def _fields(chunks: list[Chunk], rid: str) -> list[tuple[Chunk, str, str]]:
    """(chunk, label, value) for each passage that is a field ``rid`` labels, in any of the layouts: the value
    after its label in the passage (or in a row of a text table), under the label as the section heading, or in
    the passage after the label."""
    colon, bare, alone = _patterns(rid)
    out = []
    for i, c in enumerate(chunks):
        rows = [(row, m) for row in _rows(c.text) if (m := colon.match(row) or bare.match(row))] \
            or [(row, m) for row in _run_on_rows(c, rid) if (m := colon.match(row))]
        if rows:
            out += [(c, row[: m.start("v")].strip(" _:|"), m.group("v").lstrip(" |")) for row, m in rows]
        elif cols := _column_values(c, rid):
            out += [(c, h, v) for h, v in cols]
        elif alone.match(c.section or ""):
            out.append((c, c.section.strip(" _:"), c.text))
        elif alone.match(c.text) and i + 1 < len(chunks) and chunks[i + 1].section == c.section:
            out.append((chunks[i + 1], c.text.strip(" _:"), chunks[i + 1].text))
    return out


def _stated(value: str) -> bool:
    """The field gives a value: at least three words, not a placeholder or a deferral."""
    return len(value.split()) >= 3 and not _NO_VALUE.search(value) and not _deferred(value)


def field_chunks(rid: str) -> Finder:
    """A reader of the fields that give ``rid`` a value (:func:`_stated`)."""
    def find(chunks: list[Chunk]) -> list[tuple[Chunk, list[str]]]:
        return [(c, [label]) for c, label, value in _fields(chunks, rid) if _stated(value)]
    find.__doc__ = f"Description-of-processing fields that state the {rid} value."
    return find


def deferred_chunks(rid: str) -> Finder:
    """A reader of the fields that leave ``rid`` to the customer, unless another field states a value."""
    def find(chunks: list[Chunk]) -> list[tuple[Chunk, list[str]]]:
        fields = _fields(chunks, rid)
        if any(_stated(value) for _, _, value in fields):
            return []
        return [(c, [label]) for c, label, value in fields if _deferred(value)]
    find.__doc__ = f"Description-of-processing fields that leave the {rid} to the customer."
    return find


# Art. 28(3)'s "duration of the processing" is as often a sentence as an annex field (the spec's own example is
# "for the term of the Agreement"), read by :func:`period_chunks`: the processing lasts for a period …
# The period itself, as the finding's why shows it: up to 8 words, after an aside between commas ("until, and
# automatically expire upon, the deletion of all Customer Data").
_PERIOD_WORDS = r"(?:,[^,.;]{1,40},|,)?(?:\s+[^\s.;,()]+){1,8}"
_PROCESSING_LASTS = re.compile(
    r"(?:\bprocess(?:es|ed)?\b|\bprocessing\b(?!\s+services))[^.;]{0,60}?\b(?P<when>(?:for|during|throughout|over)\s+"
    rf"(?:(?:the\s+)?(?:entire\s+|whole\s+|full\s+)?(?:term|duration|period|life(?:time)?)\s+"
    rf"(?:of|during which|in which|for which){_PERIOD_WORDS}|"
    # "… for as long as we provide the Services"; not the SCC's "… only process it … for as long as required under
    # that local law" (a retention the law forces, clause 8.5)
    rf"(?:as|so)\s+long\s+as(?!\s+(?:is\s+)?(?:required|permitted|allowed)\s+(?:by|under)\b){_PERIOD_WORDS}|"
    # "… only during the subscription term", "for the Term": a term named without "of"
    r"(?:the|its|your|our)\s+(?:[\w-]+\s+){0,2}?(?:term|subscription(?:\s+(?:period|term))?)\b(?!\s+of))|"
    # "… only while this Agreement is in effect" (thirty-fifth session, set ab)
    r"while\s+(?:this|the)\s+(?:[\w-]+\s+){0,2}?(?:agreement|contract|dpa|addendum|subscription)\s+"
    r"(?:is|remains|stays)\s+in\s+(?:effect|force)\b)", re.I)
# … or the DPA itself stays in force for one ("This DPA shall remain in effect as long as …", "This Agreement is
# entered into for the term of …"). Sentence-initial "This/These/The" (case-sensitive): the DPA is the subject.
_DPA_LASTS = re.compile(
    r"(?-i:\b(?:This|These|The))\s+(?:data\s+processing\s+)?(?:DPA|addendum|agreement|terms|clauses)\b"
    r"(?:\s*\([^)]{0,40}\))?\s+(?:(?:shall|will|is|are)\s+)?(?:(?:remains?|continues?|stays?|be|appl(?:y|ies))\b"
    r"[^.;]{0,40}?|(?:is|are)\s+entered\s+into\s+(?=for\s+the\s+(?:term|duration|period)\b)"
    r"|(?:commences?|starts?|begins?|takes?\s+effect|be\s+effective)\b[^.;]{0,150}?\b(?:continues?|remains?)\b"
    r"[^.;]{0,30}?)"
    # not "… entered into for the purpose of the Agreement" (the DPA's scope, not its term)
    r"\b(?P<when>(?:for|until|as\s+long\s+as|so\s+long\s+as|during|throughout)\b(?!\s+(?:the\s+)?purposes?\b)"
    rf"{_PERIOD_WORDS})", re.I)
# "… has instructed and throughout the duration of the processing services will instruct …" (the 2010 SCCs'
# exporter warranty) and "further instructions throughout the duration of the contract" time the instructions.
_INSTRUCTS = re.compile(r"\binstruct", re.I)


def period_chunks(chunks: list[Chunk]) -> list[tuple[Chunk, list[str]]]:
    """Sentences that state how long the processing lasts, with the period they give ("for the duration of the
    Agreement"): the processing happens for a period, or the DPA stays in force for one."""
    out = []
    for c in chunks:
        text = norm(c.text)
        if _INSTRUCTS.search(text):
            continue
        if m := _PROCESSING_LASTS.search(text) or _DPA_LASTS.search(text):
            out.append((c, [m.group("when").strip()]))
    return out


# The data types as often in a sentence as in a field: "The Research Data comprise participant study ID, year of
# birth, sex, postcode district, …" (thirty-second session, set u). The sentence names the data as its subject and
# lists at least three kinds; not "all data, content and information submitted by …" (what the customer chooses,
# as a field's deferral, ``_DEFERRED``), nor the data subjects.
# A Japanese entrustment agreement's "The items of personal information to be entrusted shall be as follows: name,
# address, …" (個人情報の項目, thirty-fourth session, set y).
_TYPES_LISTED = re.compile(
    r"^\W*(?:\(?\w{1,3}[.)]\s+)?(?:the\s+)?(?:[A-Za-z-]+\s+){0,2}?"
    r"(?:personal\s+data|data|personal\s+information)\b(?!\s+subjects?)"
    r"(?:\s+(?:(?:to\s+be\s+|that\s+(?:is|are|will\s+be)\s+)?"
    r"(?:processed|transferred|shared|collected|concerned|entrusted|handled))|"
    # an Italian DPA's "oggetto del trattamento": "The categories of personal data object of processing are: …"
    # (thirty-sixth session, set ac)
    r"\s+(?:that\s+(?:is|are)\s+)?(?:the\s+)?(?:object|subject)\s+of\s+(?:the\s+)?(?:processing|treatment))?"
    r"(?:\s+under\s+this\s+\w+)?\s+(?:(?:shall|will|may)\s+)?"
    r"(?:comprises?|consists?\s+of|includes?|cover|covers|(?:be|is|are)\s+as\s+follows|"
    r"(?:be|is|are)(?:\s+the\s+following)?\s*(?=:))\s*:?\s+"
    r"(?!(?:any|all|such|the|whatever)\b)(?P<v>[^.;]+)", re.I)
# Or the processor named as the one that processes them: "The Processor shall process these categories of personal
# data: name, surname, …" (a Czech DPA translated, thirty-fifth session, set aa).
_PROCESSES_TYPES = re.compile(
    r"\bprocess(?:es)?\s+(?:only\s+)?(?:the\s+following|these|the)\s+(?:categories|types|kinds)\s+of\s+"
    r"(?:personal\s+)?(?:data|information)(?!\s+subjects?)\s*(?::|,?\s+(?:namely|in\s+particular)\b)\s*"
    r"(?!(?:any|all|such|the|whatever)\b)(?P<v>[^.;]+)", re.I)
# … nor the terms a definition includes ('Personal Data includes "personal data", "personal information" … as
# defined in …'). What the customer submits, chooses or defines, or a quoted term, is no list of kinds.
_CHOSEN_OR_QUOTED = r"\b(?:submit|upload|provid|determin|chos|select|decid|defin)\w*\b|[\"“”]"
_NOT_A_LIST = re.compile(rf"{_CHOSEN_OR_QUOTED}|\bdata\s+subjects?\b", re.I)


def listed_types_chunks(chunks: list[Chunk]) -> list[tuple[Chunk, list[str]]]:
    """Sentences that list the kinds of personal data processed (at least three, not left to the customer)."""
    out = []
    for c in chunks:
        text = norm(c.text)
        m = _TYPES_LISTED.match(text) or _PROCESSES_TYPES.search(text)
        if m and m["v"].count(",") >= 2 and not _NOT_A_LIST.search(m["v"]):
            out.append((c, ["the kinds of data processed"]))
    return out


# The data subjects in a sentence too: "The persons whose personal information is entrusted shall be the members of
# the loyalty programme and the persons who contact customer service" (thirty-fourth session, set y). The sentence
# names them as its subject, with whose data it is when it only says "are" / "shall be" ("Data subjects are
# entitled to …" names no one), and lists at least two kinds, not left to the customer.
_SUBJECTS_LISTED = re.compile(
    r"^\W*(?:\(?\w{1,3}[.)]\s+)?(?:the\s+)?(?:categories\s+of\s+)?"
    r"(?:data\s+subjects|individuals|persons(?:\s+in\s+question)?|people)\b"
    r"(?P<whose>\s+(?:whose|about\s+whom)\s+(?:the\s+)?(?:personal\s+)?(?:data|information)\s+"
    r"(?:is|are|will\s+be|shall\s+be)\s+(?:processed|transferred|entrusted|handled|collected))?"
    r"(?:\s+under\s+this\s+\w+)?\s+(?:(?:shall|will|may)\s+)?"
    r"(?P<verb>comprises?|consists?\s+of|includes?|be|are)\s*:?\s+"
    r"(?!(?:any|all|such|whatever|those|as|determined|decided|specified|defined|entitled|informed|notified)\b)"
    r"(?P<v>[^.;]+)", re.I)
_NOT_SUBJECTS = re.compile(_CHOSEN_OR_QUOTED, re.I)
# … or the data named as the subject, and whom it is about: "The data covered by this Agreement is about the School's
# enrolled students, their parents and its teachers" (thirty-fifth session, set ab); the value must name people.
_DATA_ABOUT = re.compile(
    r"^\W*(?:\(?\w{1,3}[.)]\s+)?(?:the\s+)?(?:personal\s+)?(?:data|information)\b[^.;]{0,60}?\s"
    r"(?:(?:is|are)\s+(?:about|(?:related|relating)\s+to)|concerns?|relates?\s+to|pertains?\s+to)\s+(?P<v>[^.;]+)",
    re.I)
_PEOPLE_NOUNS = re.compile(
    r"\b(?:students|pupils|parents|guardians|teachers|employees|staff|workers|contractors|customers|clients|users|"
    r"end[- ]users|patients|members|visitors|applicants|candidates|subscribers|consumers|individuals|persons|people|"
    r"contacts|suppliers|volunteers|donors|residents|citizens|children|learners|prospects|leads)\b", re.I)


def listed_subjects_chunks(chunks: list[Chunk]) -> list[tuple[Chunk, list[str]]]:
    """Sentences that name the kinds of data subjects (at least two, not left to the customer)."""
    out = []
    for c in chunks:
        text = norm(c.text)
        m = _SUBJECTS_LISTED.match(text)
        about = _DATA_ABOUT.match(text)
        if (m and (m["whose"] or m["verb"].lower() not in ("be", "are"))
                and re.search(r",|\b(?:and|or)\b", m["v"]) and not _NOT_SUBJECTS.search(m["v"])) \
                or (about and len(_PEOPLE_NOUNS.findall(about["v"])) >= 2 and not _NOT_SUBJECTS.search(about["v"])):
            out.append((c, ["the kinds of data subjects"]))
    return out


# The nature or purpose stated in a sentence of its own: "The purpose of the processing is the management of the
# payroll", "… and the nature of the operations is the collection, the recording and the erasure" (a French DPA
# translated, thirty-fifth session, set ab: "finality" is the library's synonym for purpose). A value of three words
# or more that is not deferred to another place or party.
_NATURE_STATED = re.compile(
    r"(?:^|[.;]\s+|,\s+and\s+)\W*(?:the\s+)?(?:(?:nature|purposes?|subject[- ]matter)(?:\s+and\s+(?:the\s+)?"
    r"(?:nature|purposes?))?\s+of\s+(?:the\s+)?(?:data\s+)?(?:processing|operations)\b[^.;:]{0,40}?\s"
    r"(?:is|are|shall\s+be|consists?\s+of|comprises?)|"
    # … or the processing itself: "…; the Processing consists of collecting, storing and analysing transaction
    # data" (thirty-sixth session, set ad)
    r"processing\s+(?:consists?\s+of|comprises?|involves?))\s+"
    r"(?!(?:determined|defined|set\s+out|described|specified|as|to\s+be|not|available|subject|limited)\b)"
    r"(?P<v>[^.;]+)", re.I)


# A value that only points elsewhere ("the operations set out in Annex 1") states nothing; one that names something
# first ("the Application Services ordered by Customer …, as described in the Agreement") does.
_ELSEWHERE = re.compile(r"^\W*(?:the|such|those|any|all)?\s*(?:[\w-]+\s+)?(?:set\s+out|described|specified|listed|"
                        r"determined|defined|decided|instructed)\s+(?:in|by|under)\b", re.I)


def stated_nature_chunks(chunks: list[Chunk]) -> list[tuple[Chunk, list[str]]]:
    """Sentences that state the nature or purpose of the processing (not a field, :func:`field_chunks`)."""
    out = []
    for c in chunks:
        m = _NATURE_STATED.search(norm(c.text))
        if m and len(m["v"].split()) >= 3 and not _deferred(m["v"]) and not _ELSEWHERE.search(m["v"]):
            out.append((c, ["the nature or purpose of the processing"]))
    return out


FIELD_IDS = tuple(LABELS)
# One reader per field, registered in ``duties.RULES``; ``train.rule_hits`` recognises them by identity.
FIELD_READERS = {rid: field_chunks(rid) for rid in FIELD_IDS}
# Requirement id → reader whose passages make a finding `missing` whatever the scorer says, and the reason shown.
VETOES: list[tuple[str, Finder, str]] = [
    (rid, deferred_chunks(rid), "the description of processing leaves this to the customer")
    for rid in ("data-types", "data-subjects")
]

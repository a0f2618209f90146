"""Chapter V readers: where the data is stored or processed, and which transfer mechanism a DPA names.

Rules over sentence chunks, no model. ``match`` uses them to decide ``data-location`` and
``transfer-safeguards`` (a stated fact is met; a transfer abroad with no safeguard is a conflict), and
``terms`` reads the same passages for the key terms, so a finding and its key term cannot disagree.
"""

from __future__ import annotations

import re

from pipeline.models import BlockKind, Chunk

from .textrx import CUSTOMER_NAMES as _CUSTOMER_NAMES
from .textrx import SUBPROC as _SUBPROC
from .textrx import has as _has
from .textrx import norm as _norm

# --- transfer mechanisms -----------------------------------------------------------------------

_MECHANISMS = {
    "SCC": r"\bstandard (?:contractual|data protection) clauses|\bSCCs?\b|\bmodel clauses|"
    r"\b(?:controller|processor)[- ]to[- ](?:processor|controller) clauses|international data transfer "
    r"(?:agreement|addendum)|\bIDTA\b",
    # The invalidated Privacy Shield (Schrems II) is not a current safeguard, so it is not read as DPF.
    "DPF": r"\bdata privacy framework|\bDPF\b",
    "BCR": r"\bbinding corporate rules|\bBCRs?\b",
    # Art. 45: an adequacy decision about a country. "Adequate protection/safeguards" alone is the
    # generic Art. 46 wording and does not name the mechanism.
    "adequacy": r"\badequacy\b|\b(?:country|countries|jurisdictions?|territor\w*|commission)\b[^.]{0,120}"
    r"\badequate (?:level of (?:data )?protection|jurisdictions?|countr)|\bdeemed adequate",
}
_SAFEGUARD = (
    r"standard contractual|\bSCCs?\b|adequa|binding corporate|\bBCRs?\b|privacy framework|\bDPF\b|safeguard|"
    r"article 4[4-9]|chapter v\b|transfer mechanism|in (?:accordance|compliance) with (?:applicable )?"
    r"(?:data protection )?law|comply with (?:applicable )?(?:data protection )?law"
)
_ABROAD = (
    r"anywhere in the world|any (?:other )?(?:country|countries|jurisdiction|location)|outside (?:of )?the "
    r"(?:EEA|EU|European|UK|United Kingdom|country)|third countr|other countries|globally|worldwide"
)


def transfer_without_safeguard(text: str) -> bool:
    """True where a sentence lets the vendor move data abroad and names no Chapter V safeguard.

    That is the ``conflict`` of ``transfer-safeguards`` (GDPR Art. 44: a transfer needs Art. 45-47).
    """
    text = _norm(text)
    if not (_has(r"\btransfer|\bprocess|\bstor|\baccess|\bmov", text) and _has(_ABROAD, text)):
        return False
    if _has(r"without (?:any |additional |further |appropriate )*(?:safeguards|protections?|"
            r"transfer mechanisms?)", text):
        return True
    if _has(_SAFEGUARD, text) or _has(r"\b(?:not|never|only|unless|subject to|provided that)\b", text):
        return False
    return _has(r"\b(?:may|can|authori[sz]\w*|consents?|agrees?|acknowledges?|permitted|is entitled)\b", text)


# --- data locations ----------------------------------------------------------------------------

_PLACES = {
    "EU": r"European Union|European Economic Area|EEA|EU|Europe",
    "US": r"United States(?: of America)?|USA|U\.S\.A?\.?|US",
    "UK": r"United Kingdom|UK|Great Britain",
    "Worldwide": r"worldwide|global(?:ly)?",
    "Czechia": r"Czech Republic|Czechia",
    "United Arab Emirates": r"United Arab Emirates|UAE",
    "Turkey": r"Türkiye|Turkiye|Turkey",  # the country's name in English since 2022 (thirty-fourth session, set z)
}
_PLACES.update({c: c for c in (
    "Germany|France|Ireland|Netherlands|Belgium|Luxembourg|Austria|Switzerland|Italy|Spain|Portugal|Poland|"
    "Sweden|Finland|Denmark|Norway|Iceland|Estonia|Latvia|Lithuania|Romania|Bulgaria|Greece|Hungary|Croatia|"
    "Slovakia|Slovenia|Canada|Mexico|Brazil|Argentina|Chile|Colombia|Japan|South Korea|Korea|China|Hong Kong|"
    "Taiwan|Singapore|India|Indonesia|Malaysia|Philippines|Vietnam|Thailand|Australia|New Zealand|"
    "South Africa|Israel|Saudi Arabia|Ukraine|Serbia|Egypt|Nigeria|Kenya").split("|")})
# Data-centre cities that DPAs name instead of the country ("hosted in Frankfurt"); reported as the country.
for _country, _cities in {
        "Germany": "Frankfurt|Falkenstein|Nuremberg|Nürnberg|Munich|München|Berlin",
        "Ireland": "Dublin", "Netherlands": "Amsterdam|Eemshaven", "France": "Paris|Roubaix|Gravelines|Strasbourg",
        "UK": "London", "Sweden": "Stockholm", "Finland": "Helsinki|Hamina", "Italy": "Milan", "Spain": "Madrid",
        "Switzerland": "Zurich|Zürich|Geneva", "Belgium": "Brussels", "Poland": "Warsaw", "Austria": "Vienna",
        "Denmark": "Copenhagen", "Norway": "Oslo", "Japan": "Tokyo|Osaka", "Australia": "Sydney|Melbourne",
        "India": "Mumbai", "Canada": "Montreal|Montréal|Toronto", "Brazil": "São Paulo|Sao Paulo"}.items():
    _PLACES[_country] += "|" + _cities
_PLACE_RE = {name: re.compile(rf"(?<![\w-])(?:{pat})(?![\w-])", 0 if name in ("EU", "US", "UK") else re.I)
             for name, pat in _PLACES.items()}
_STORAGE = (r"\b(?:stor(?:e|ed|es|age|ing)|host(?:ed|s|ing)?|data ?cent(?:er|re)s?|servers?|infrastructure|"
            r"regions?|process(?:es|ed)?|processing operations|takes? place|located|resides?|housed|kept|"
            r"(?:carr(?:y|ies|ied) out|perform(?:s|ed)?|conduct(?:s|ed)?) (?:the |all |any )?processing)\b")
_LOC_SKIP = (r"\blaws?\b|\bcourts?\b|jurisdiction|governed|registered|incorporat|headquarter|principal place|"
             r"subjects?|customers? (?:is |are )?located|originat|residents?|citizens?|outside|transfer|"
             r"\bfrom\b|\bcompan(?:y|ies) (?:is|are) located")

_CUSTOMER_BEFORE = rf"\b(?:{_CUSTOMER_NAMES}|exporter)\s+(?:\w+\s+){{0,2}}$"  # "Customer may process"
_DATA_THING = (r"\bdata\b(?! (?:importer|exporter|subject))|server|cent(?:er|re)|infrastructure|storage|"
               r"hosting|facilit|backup")


_ENTITY_RX = re.compile(
    r"\b(?:[A-Z][\w&.-]*\s+){1,4}(?:Limited|Ltd|Inc|LLC|L\.L\.C|GmbH|SAS|SARL|S\.A|SA|B\.V|BV|AG|plc|PLC|Pty|Oy|AB|ApS|"
    r"S\.r\.l|Srl|Corp|Corporation|Company)\b\.?")


# "in Germany", "within the EU", "in Frankfurt, Germany" (a capitalised city may stand before the country).
# "… in the eu-central-1 region (Frankfurt)": a place in brackets after a cloud region.
# "within the territory of the Member States of the European Union"; "in the Republic of Türkiye" (thirty-fourth
# session, set z), "the Federal Republic of Germany", "the Grand Duchy of Luxembourg"
_IN_PLACE = re.compile(r"(?:\b(?i:in|within|at)\s+(?i:the\s+)?(?:(?i:territory\s+of\s+(?:the\s+)?))?"
                       r"(?:(?i:(?:federal\s+)?(?:republic|kingdom|principality|grand\s+duchy)\s+of\s+(?:the\s+)?))?"
                       r"(?:(?i:(?:a|any|one of the)\s+)?(?i:member\s+states?\s+of\s+the)\s+)?"
                       r"(?:[A-Z][\w.-]+(?:\s+[A-Z][\w.-]+)?,?\s+)?|"
                       r"\b(?i:regions?)\s*\(\s*)$")
_LIST_SEP = re.compile(r"\s*(?:,|(?i:and|or)|&|/|,\s*(?i:and))\s*(?i:in\s+)?(?i:the\s+)?(?:[A-Z][\w.-]+,?\s+)?")


# "Data location: Ireland, United States.", "Location of processing: Sweden" (a field, in any section).
_LOC_FIELD = re.compile(r"\b(?:(?:data|server|hosting|storage|processing)\s+locations?|locations?\s+of\s+(?:the\s+)?"
                        r"(?:data|processing|hosting|storage|servers?)[\w ]{0,30})\s*:\s*(?P<v>[^.;]{2,100})", re.I)
# "shall not process Personal Data outside the EU/EEA", "are not transferred and/or processed outside of the EEA":
# a promise to keep the data in Europe. A bare "shall not transfer … outside the EEA unless …" is the transfer
# condition of Art. 44 and says nothing about where the data is kept, so a processing or storage verb is needed.
_ONLY_IN_EU = re.compile(r"\bnot\b[^.;]{0,50}?\b(?:process|stor|host)\w*[^.;]{0,40}?\boutside\s+(?:of\s+)?(?:the\s+)?"
                         r"(?:EU|EEA|European Union|European Economic Area|Europe)\b")


def _places_in(text: str) -> list[str]:
    return [name for name, rx in _PLACE_RE.items() if rx.search(text)]


def _sentence_locations(sent: str) -> list[str]:
    found = []
    for cue in re.finditer(_STORAGE, sent, re.I):
        lead = sent[max(0, cue.start() - 40) : cue.end()]
        near = sent[max(0, cue.start() - 25) : cue.start()]
        if _has(_LOC_SKIP, lead) or (_has(r"located|resides?", cue[0]) and not _has(_DATA_THING, near)):
            continue  # "the customer / a third party located in …" says nothing about the data
        if _has(r"^takes? place", cue[0]) and not _has(r"process", near):
            continue  # "processing takes place in …", not "the audit takes place in …"
        subject = lead[: -len(cue[0])]
        if _has(r"process", cue[0]) and _has(_CUSTOMER_BEFORE, subject):
            continue  # where the customer processes the data is not where the vendor keeps it
        window = sent[cue.end() : cue.end() + 100]
        hits = sorted((m.start(), m.end(), name) for name, rx in _PLACE_RE.items() for m in rx.finditer(window))
        last = None  # end of the last place taken: "in the Netherlands and Ireland" names both
        for start, end, name in hits:
            before = window[:start]  # not the cue's `lead`: what stands between the cue and this place
            listed = last is not None and _LIST_SEP.fullmatch(window[last:start])
            if (listed or _IN_PLACE.search(before)) and not _has(_LOC_SKIP, before):
                found.append(name)
                last = end
    if _ONLY_IN_EU.search(sent):
        found.append("EU")
    for m in _LOC_FIELD.finditer(sent):
        found += _places_in(_ENTITY_RX.sub(" ", m["v"]))
    return list(dict.fromkeys(found))  # "in Frankfurt, Germany" names Germany once


def _listing_locations(chunk: Chunk) -> list[str]:
    """Places in a sub-processor listing: a table row, or a verbless entry under such a heading
    (a PDF may render the table as running text)."""
    where = f"{chunk.section} {chunk.context}" if chunk.kind == BlockKind.TABLE_ROW else chunk.section
    if not _has(_SUBPROC + r"|\blocation|\bhosting", where):
        return []
    # Running text that reads like a sentence or a postal address is no listing entry.
    verbs = r"\b(?:shall|will|may|must|is|are|means|ha[sv]e?|str|street|road|rue|avenue|\d{4,5})\b"
    if chunk.kind != BlockKind.TABLE_ROW and _has(verbs, chunk.text):
        return []
    if _has(r"\blaws?\b|\bcourts?\b|governed|registered|address|outside|transfer", chunk.text):
        return []
    # A place inside a company's name ("Microsoft Ireland Operations Limited") says nothing about where
    # that sub-processor keeps the data; only a place of its own (a location column) does.
    return _places_in(_ENTITY_RX.sub(" ", _norm(chunk.text)))


def mechanism_chunks(chunks: list[Chunk]) -> list[tuple[Chunk, list[str]]]:
    """The chunks that name a transfer mechanism (SCC, DPF, BCR, adequacy), with the mechanisms, in order."""
    out = []
    for c in chunks:
        text = _norm(c.text)
        named = [m for m, rx in _MECHANISMS.items() if _has(rx, text)]
        if named:
            out.append((c, named))
    return out


def located_chunks(chunks: list[Chunk]) -> list[tuple[Chunk, list[str]]]:
    """The chunks that say where the data is stored or processed, with the places they name, in order:
    a storage or hosting sentence ("hosted in data centres in Germany") or a sub-processor listing entry."""
    out = []
    for c in chunks:
        places = _sentence_locations(_norm(c.text)) or _listing_locations(c)
        if places:
            out.append((c, places))
    return out

"""Rule readers for requirements that a DPA meets by stating one thing, read literally (GDPR Art. 28, 32).

The sentence scorer decides most requirements. For a few, the requirement is a single fact whose wording
varies little, or sits inside a clause the scorer gives to a neighbouring requirement; there a rule over the
sentence reads it directly. Each reader takes a document's chunks and returns the chunks that state the fact
with the facts they state; :data:`RULES` registers them by requirement id, and ``match.decide`` turns a
``missing`` finding into ``met`` when its reader finds something (never the reverse: a rule adds evidence,
it does not overrule a found clause). The numbers behind each rule are in docs/accuracy.md.
"""

from __future__ import annotations

import re

from pipeline.models import Chunk, Finder

from .annex import (
    FIELD_IDS,
    FIELD_READERS,
    listed_subjects_chunks,
    listed_types_chunks,
    period_chunks,
    stated_nature_chunks,
)
from .assist import DUTY_IDS, assist_chunks, list_leads, request_help_chunks
from .compliance import compliance_info_chunks
from .subprocessors import changes_chunks, flowdown_chunks, liability_chunks, objection_chunks, subprocessor_list_chunks
from .textrx import (
    CUSTOMER_NAMES,
    CUSTOMER_TELLS,
    ITEM_NUMBERS,
    OWN_DISCRETION,
    THE_CUSTOMER,
    has,
    norm,
    sentence_reader,
    subject_does,
)
from .transfers import located_chunks, mechanism_chunks

_BREACH = r"\b(?:breach|incident)"

# What a breach notice must carry for the controller to inform the authority (GDPR Art. 33(3)): besides the
# nature of the breach, its scale (categories and approximate number), likely consequences or measures.
_ART33_CONTENT = {
    "scale": r"\bcategories and (?:the )?(?:approximate )?numbers?\b|\bnumber of (?:affected )?data subjects",
    "consequences": r"\b(?:likely|possible|probable)?\s*consequences\b",
    "measures": r"\bmeasures (?:taken|proposed|adopted)|\b(?:remedial|mitigat\w*) (?:measures|steps|actions)",
}


def breach_content_chunks(chunks: list[Chunk]) -> list[tuple[Chunk, list[str]]]:
    """Chunks in which the breach notice to the customer must describe the breach's nature and at least one
    more Art. 33(3) item, with those items. Such a notice is the assistance ``assist-breach-authority`` asks
    for (Art. 28(3)(f)), as the evaluation's labelling convention also counts it."""
    out = []
    for c in chunks:
        both, own = norm(f"{c.text} {c.context}"), norm(c.text)
        if not (has(_BREACH, c.context or c.text) and has(r"\bnature\b", both)):
            continue
        # The paragraph carries the notice; cite only its sentences that speak of it, not every sentence.
        if not (has(_BREACH, own) or has(r"\bnature\b", own) or any(has(rx, own) for rx in _ART33_CONTENT.values())):
            continue
        named = [k for k, rx in _ART33_CONTENT.items() if has(rx, both)]
        if named:
            out.append((c, ["nature", *named]))
    return out


# Art. 28(3)(a): processing the law requires beyond the instructions is announced to the controller first.
_LAW_REQUIRES = (r"\b(?:required|obliged|obligated|compelled|mandated)\b[^.;]{0,40}\b(?:by|under)\b[^.;]{0,50}"
                 r"\blaws?\b|"
                 r"\blegal (?:requirement|obligation)|"
                 # "… of any statutory or regulatory requirement obliging Provider to process …"; not data "subject
                 # to additional regulatory requirements"
                 r"\b(?:statutory|regulatory) (?:or \w+ )?(?:requirement|obligation)s?\b[^.;]{0,20}"
                 r"\b(?:oblig|requir|compel|forc)\w*\b[^.;]{0,40}\bto process|"
                 r"\blegally (?:required|obliged|bound|compelled)\b|"
                 # "If a law ever forces us to handle your data …"
                 # … "to use your data in a way you didn't ask for" (thirty-sixth session, set ae)
                 r"\blaws?\b[^.;]{0,40}\b(?:requires?|forces?|obliges?|compels?)\b[^.;]{0,40}"
                 r"\bto (?:process|handle|use)|"
                 # "If the law makes us process your data beyond …" (thirty-third session, set w)
                 r"\blaws?\b[^.;]{0,40}\bmakes?\s+(?:us|\w+)\s+(?:process|handle|use)\b")
_INFORM_FIRST = (r"\b(?:inform|notify|tell|advise|communicat)\w*\b|\bnotice\b|\blet\s+(?:\w+\s+){1,2}know\b",
                 r"\b(?:before|prior to|in advance|first)\b|\bprior (?:written )?notice\b")
# "… in which case we notify Customer of such legal requirement": the notice names the requirement itself.
_INFORM_OF_IT = (r"(?:\b(?:inform|notify|notifies|tell|advise|notice|communicat)\w*\b|\blet\s+(?:\w+\s+){1,2}know\b)"
                 r"[^.;]{0,60}\b(?:of|about) "
                 r"(?:such|that|this|the|any)(?: an?)? (?:(?:legal|statutory|regulatory)(?: or \w+)? )?"
                 r"(?:requirement|obligation)")

# "… not respond to that request except … as required by law, in which case inform Customer before responding":
# the notice before answering a data subject's request (Art. 28(3)(e)), not before processing (Art. 28(3)(a)).
_ANSWERS_REQUEST = r"\b(?:respond|reply|answer)\w*\b[^.;]{0,30}\b(?:requests?|inquir\w+|enquir\w+|complaints?)\b"

# The notice denied: "… and shall have no obligation to inform the Customer of such processing or of the legal
# requirement" (twenty-ninth session, set q).
_NO_DUTY_TO_TELL = (r"\b(?:no|under no)\s+(?:obligation|duty)\s+to\s+(?:inform|notify|tell|advise)|"
                    r"\bnot\s+(?:be\s+)?(?:obliged|required|obligated|bound)\s+to\s+(?:inform|notify|tell|advise)")

# "… of such a requirement", "… before processing"; not "first inform the Controller about such costs".
_BEFORE_PROCESSING = (r"\b(?:of|about) (?:these|this|it|them|such)\b(?! (?:costs?|fees?|charges|expenses)\b)|"
                      r"\b(?:before|prior to) (?:such |the |any )?processing\b")


def legal_notice_chunks(chunks: list[Chunk]) -> list[tuple[Chunk, list[str]]]:
    """Sentences in which processing the law requires is announced to the controller beforehand: the whole of
    ``legal-requirement-notice`` (Art. 28(3)(a), second half), however the instruction clause around it reads."""
    out = []
    for c in chunks:
        text = norm(c.text)
        first, of_it = all(has(rx, text) for rx in _INFORM_FIRST), has(_INFORM_OF_IT, text)
        # The law named in the sentence itself, or in the paragraph before the notice: "… unless the law requires
        # it. In that case Acme notifies Customer of such a requirement first.", "… unless legally obliged to. If
        # so, the contractor informs the client of these before processing."
        if ((has(_LAW_REQUIRES, text) and (first or of_it)) or (
                has(_LAW_REQUIRES, norm(c.context)) and (of_it or (first and has(_BEFORE_PROCESSING, text))))) \
                and not any(has(rx, text) for rx in (_ANSWERS_REQUEST, CUSTOMER_TELLS, _NO_DUTY_TO_TELL)):
            out.append((c, ["informs the controller first"]))
    return out


# A definition ("'Security Measures' means / shall mean …") commits nobody (eval labelling convention).
_DEFINES = r"\b(?:means|shall mean|is defined as)\b"

# Art. 32(1)-(2): security measures chosen for the risk, or against the harms Art. 32(2) lists.
_HARMS = r"\b(?:destr\w*|loss|lost|alter\w*|unauthori[sz]ed (?:disclosure|access)|unlawful (?:disclosure|access))\b"
_FOR_THE_RISK = (r"\b(?:appropriate|proportionate|commensurate|adequate)\b[^.;]{0,40}\bto (?:the )?risks?\b|"
                 r"\brisks? (?:presented|posed|represented) by (?:the )?processing\b|\brisks? of varying likelihood\b|"
                 # "how much protection is enough, we weigh the real risks" (thirty-sixth session, set ad)
                 r"\bweigh(?:s|ed|ing)?\s+(?:up\s+)?(?:\w+\s+){0,2}risks?\b")
_MEASURES = r"\b(?:measures?|safeguards?|controls?|protect\w*|secur\w*)\b"
# A definition of a breach lists the same harms; a sentence about the controller's view, or one that only
# quotes the law, commits the processor to nothing.
# Nor does a disclaimer of liability for those harms ("We aren't responsible for any loss … caused by your failure
# to secure your account", thirtieth session, set s).
_NOT_MEASURES = (_DEFINES + r"|\bbreach\w* of (?:its |the )?security\b|\bbreach\w* leading to\b|\bincident\b|"
                 r"(?:\bnot|n['’]t)\s+(?:be\s+)?(?:held\s+)?(?:responsible|liable)\b|"
                 r"\b(?:controller|customer|client|merchant|subscriber|licensee)['’]?s?\b[^.;]{0,12}\b(?:responsib\w*|"
                 r"hereby|confirms?|acknowledges?|agrees?|is familiar)\b|\bstipulates?\b|"
                 # a disclaimer: "no method of transmission … is entirely secure", "cannot guarantee against loss"
                 # (thirty-sixth session, set ad)
                 r"\b(?:cannot|can ?not|does not|do not|will not)\s+guarantee\b|"
                 r"\bno\s+(?:method|system|measure|transmission)s?\b[^.;]{0,60}\b(?:entirely|completely|fully|"
                 r"perfectly|100%)\s+secure\b|"
                 r"\b(?:GDPR|Regulation|law) (?:requires|provides)\b|"
                 # "The Customer shall assess whether the measures are appropriate to the risks of its processing";
                 # not "Vendor and Customer shall implement …"
                 r"^\W*" + ITEM_NUMBERS + r"(?:the\s+)?"
                 r"(?:customer|controller|client|you|buyer|principal)\s+(?:shall|will|must|should)\b(?!\s+be\b)")


def security_risk_chunks(chunks: list[Chunk]) -> list[tuple[Chunk, list[str]]]:
    """Security-measure sentences that weigh the risk, or protect against two or more Art. 32(2) harms."""
    out = []
    for c in chunks:
        text = norm(c.text)
        if not has(_MEASURES, text) or has(_NOT_MEASURES, text):
            continue
        harms = sorted({m.group(0).lower() for m in re.finditer(_HARMS, text, re.I)})
        if has(_FOR_THE_RISK, text):
            out.append((c, ["measures appropriate to the risk"]))
        elif len({h[:5] for h in harms}) >= 2:
            out.append((c, [f"protection against {', '.join(harms)}"]))
    return out


# Art. 32(1)(a) names encryption; a sentence that encrypts the data states it, unless it denies it or makes it
# the customer's job.
# A measures template that only names "encryption of personal data" is no commitment: a verb must apply it.
_ENCRYPT = (r"\bencrypt(?:s|ed|ing)\b|\bencryption\b[^.;]{0,60}\b(?:is|are|will|shall|using|uses|with)\b|"
            # a translation's "ciphers the personal data", "applies cryptography to" (chiffre, cifra; thirty-third
            # session, sets o, q)
            r"\b(?:en)?cipher(?:s|ed|ing)\b|"
            r"\b(?:ensur\w*|us(?:e|es|ing)|utili[sz]\w*|appl(?:y|ies)|implement\w*|employ\w*|provid\w*|maintain\w*|"
            r"support\w*)\b"
            r"[^.;]{0,90}\b(?:encryption|cryptography)\b|"
            # "… shall include access controls, encryption of Personal Data in transit and at rest, …"
            r"\bencryption of (?:all |the )?(?:\w+ ){0,2}data\b[^.;]{0,20}\b(?:in transit|at rest)\b")
# The processor's own judgement of when to encrypt: "where it considers this appropriate", "as it deems fit".
_OWN_JUDGEMENT = (r"\b(?:where|if|when|as)\s+(?:\w+\s+){0,2}(?:considers?|deems?|determines?|thinks?)\s+(?:\w+\s+){0,2}"
                  r"(?:appropriate|necessary|fit|suitable)\b")
# Nor a promise to think about it: "may, where it deems appropriate, consider the use of encryption", "may consider
# offering customer-managed encryption keys in a future release" (twenty-ninth session, sets p and q).
_NO_ENCRYPTION = (r"\b(?:not|no|never|without|nor)\b[^.;]{0,40}\bencrypt|\bunencrypted\b|"
                  r"\b(?:may|might|could)\b[^.;]{0,40}\b(?:consider|evaluat|explor)\w*\b[^.;]{0,40}\bencrypt|"
                  r"\bencrypt\w*(?:\s+[\w-]+){0,5}\s+(?:in a future|on (?:its|our) roadmap)\b|"
                  # (the Merchant too: "The Merchant is responsible for encrypting …", thirty-sixth session, set ad)
                  r"\b(?:controller|customer|client|you|merchant|subscriber|licensee)\b[^.;]{0,30}\b(?:shall|must|"
                  r"should|is responsible|are responsible|may)\b[^.;]{0,40}\bencrypt|"
                  # "… may, in its discretion, offer encryption … as an optional add-on" (thirty-first session, set v)
                  r"\b(?:may|can)\b[^.;]{0,30}\boffer\w*\b[^.;]{0,40}\bencrypt\w*\b[^.;]{0,60}\b(?:optional|add-on)\b|"
                  # "… may, at its discretion, apply encryption where it considers this appropriate" (thirty-third
                  # session, set w; the library's encryption disqualifier says it to the scorer)
                  rf"\bmay\b[^.;]{{0,40}}{OWN_DISCRETION}[^.;]{{0,40}}\bencrypt|\bencrypt\w*\b[^.;]{{0,80}}{_OWN_JUDGEMENT}|"
                  # … or "may, where it deems it appropriate, use … encryption" (thirty-fifth session, set aa)
                  rf"\bmay\W+{_OWN_JUDGEMENT}[^.;]{{0,60}}\bencrypt")


encryption_chunks = sentence_reader(
    "personal data is encrypted", [_ENCRYPT], _NO_ENCRYPTION,
    "Sentences (or rows of a measures annex) in which personal data is encrypted.")


# Chapter V / catalogue: "an EU data-residency option" states where data lives as much as a named country does.
_CHOSEN_PLACE = (THE_CUSTOMER + r"[^.;]{0,40}\b(?:select\w*|choos\w*|chose|specif\w*|"
                 r"direct\w*|elect\w*)\b[^.;]{0,60}\b(?:regions?|locations?|data ?cent(?:er|re)s?)\b|"
                 r"\b(?:regions?|locations?|data ?cent(?:er|re)s?)\b[^.;]{0,60}\b(?:selected|chosen|specified|elected)"
                 r"\s+by\s+(?:the\s+)?" + THE_CUSTOMER)
# A verb, not "a hosting region" the customer is told to choose; or the data stays there ("will not transfer …
# from the selected Region").
_KEPT = (r"\b(?:stor(?:e|es|ed|ing)|host(?:s|ed)?|process(?:es|ed)?|kept|keeps?|resid(?:e|es|ing)|located|takes? place|"
         r"remains?|stays?)\b|\bnot\s+(?:\w+\s+)?(?:transfer|move|migrate)\w*\b")


# "… and the Provider makes no commitment as to the location in which Customer Data is stored" (twenty-ninth
# session, set q): the customer's choice of where its own components run is no promise about the processor's.
_NO_PLACE_PROMISE = (r"\bno (?:commitment|guarantee|assurance|representation|warranty|promise)s?\b[^.;]{0,30}"
                     r"\b(?:locations?|regions?|where)\b")

residency_chunks = sentence_reader(
    "in the region the customer chooses", [_CHOSEN_PLACE, _KEPT], _NO_PLACE_PROMISE,
    "Sentences in which the data is stored or processed in a region the customer chooses.")


# Catalogue C (government access): a request from a public authority to disclose the data is announced to the
# customer (or challenged); eval labelling convention: such a clause counts here, not for legal-requirement-notice.
# ("Govt/LE access requests", a sheet's abbreviation, thirty-fourth session, set y)
_AUTHORITY = (r"\b(?:government\w*|govt\b|law enforcement|public authorit\w*|regulat\w+ authorit\w*|"
              r"supervisory authorit\w*|"
              r"court|subpoena|warrants?\b(?!\s+(?:that|to)\b)|intelligence|judicial|police|"  # not "Client warrants"
              r"\b(?:an|any)\s+authorit(?:y|ies)\b|"  # "If an authority requests …" (thirty-first session, set t)
              r"(?:governmental|regulatory|administrative|public|state|federal) agenc(?:y|ies))")  # not "an ad agency"
_ASKS = (r"\b(?:request\w*|demand\w*|order\w*|compel\w*|required|subpoena\w*|legally binding|inquir\w*|enquir\w*|"
         r"asks?\b)")  # "If a police department … asks the Provider for records" (thirty-fifth session, set ab)
# "a request from a public authority to provide personal data" (thirtieth session, set r)
# … "asks us for your Workspace Content" (thirty-sixth session, set ad)
_DISCLOSE = (r"\b(?:disclos\w*|access(?!ib)\w*|produc\w+|hand over)|\bonly (?:provide|supply|give)|"
             r"\basks?\s+(?:\w+\s+){0,2}for\b|"
             r"\brelease\w*\b[^.;]{0,20}\bminimum\b|"
             r"\b(?:requests?|demands?|orders?)\b[^.;]{0,60}\bto (?:provide|supply|hand over|deliver)\b|"
             r"\b(?:requests?|demands?|orders?|inquir\w+|enquir\w+) (?:for|regarding|about|concerning|relating to)\b"
             r"[^.;]{0,60}\bdata\b")
# "information" tells no one
_TELLS = r"\b(?:notif\w*|inform(?!ation)\w*|notice|tell|redirect\w*|challeng\w*|reject\w*)"


# Not "… and we are not obliged to notify the customer" (thirty-first session, set t).
_government_sentences = sentence_reader("announced to the customer", [_AUTHORITY, _ASKS, _DISCLOSE, _TELLS],
                                        _NO_DUTY_TO_TELL)
# Or an item under a lead-in that announces to the customer ("X shall notify the Client if: … - it receives a
# request from … a public authority"): the lead-in carries the notice, the item names the event ("b. any inquiry
# by a … public authority"). An item with its own "shall" is a duty of its own, not what the lead-in announces.
_AUTHORITY_ASKS = rf"(?:{_ASKS})\w*[^.;]{{0,80}}(?:{_AUTHORITY})|(?:{_AUTHORITY})\w*[^.;]{{0,40}}(?:{_ASKS})"
_OWN_DUTY = r"\b(?:shall|will|must)\b"


def government_request_chunks(chunks: list[Chunk]) -> list[tuple[Chunk, list[str]]]:
    """Sentences in which an authority's request to disclose the data is announced to the customer or
    challenged, or list items with an authority's request under a lead-in that notifies the customer."""
    said = {id(c) for c, _ in _government_sentences(chunks)}
    return [(c, ["announced to the customer"]) for c, lead in zip(chunks, list_leads(chunks), strict=True)
            if id(c) in said or (has(_AUTHORITY_ASKS, norm(c.text)) and not has(_OWN_DUTY, c.text)
                                 and has(_TELLS, lead) and has(THE_CUSTOMER, lead))]


# Art. 28(3), last subparagraph: the processor tells the controller when an instruction infringes the law.
# "immediate notice to the Client" (a table row's cell); "we flag it to you" (twenty-ninth session, set q)
_TELL = (r"\b(?:inform|notify|notifies|alert|tell|advise)\w*\b|\bnotice to\b|\blet\s+(?:\w+\s+){1,2}know\b|"
         r"\bflag(?:s|ged|ging)?\b(?:\s+\w+){0,2}\s+(?:to|with)\s+(?:you|the)\b")
_INFRINGES = (r"(?:infring\w*|violat\w*|breach\w*|contraven\w*|break(?:s|ing)?|conflicts? with|in conflict|unlawful|"
              r"illegal|contrary to|(?:not|cannot|no longer) (?:be )?compl\w*|non-?complian\w*|not in accordance)\b")
# The instruction is what infringes: "an instruction … violates", not "a violation of information security"; in
# plain words, "if you ask us to do something we think breaks data protection law".
# "a direction from the School would break FERPA" (thirty-fifth session, set ab)
_INSTRUCTION_INFRINGES = (rf"\b(?:instruct\w*|directions?)\b[^.;]{{0,120}}\b{_INFRINGES}|"
                          r"\b(?:unlawful|illegal|infringing|non-?compliant)\s+instructions?\b|"
                          rf"\b(?:ask|tell|want)\w*\s+(?:us|the \w+)\s+to\s+(?:do|process|handle)\b[^.;]{{0,60}}"
                          rf"\b{_INFRINGES}")


infringing_chunks = sentence_reader(
    "told of an instruction that infringes the law", [_TELL, _INSTRUCTION_INFRINGES], CUSTOMER_TELLS,
    "Sentences in which the processor tells the controller that an instruction infringes data protection law.")


# Art. 32(1): the processor implements technical and organisational (security) measures.
_TOMS = (r"\btechnical\b[^.;]{0,30}\b(?:organi[sz]ational|administrative)\b[^.;]{0,40}\b(?:measures|safeguards|"
         r"controls)\b|"
         r"\b(?:security|safety)(?: management)? (?:measures|safeguards|controls|program\w*)\b")
_PUTS_IN_PLACE = (r"\b(?:implement\w*|maintain\w*|take|takes|taken|taking|adopt\w*|establish\w*|appl(?:y|ies))\b|"
                  # a checklist row answered: "Art. 32 technical and organisational measures — Compliant: …",
                  # "… security measures: Yes, see Annex II" (thirty-sixth session, set ac)
                  r"\b(?:measures|safeguards|controls)\s*[-–—:]\s*(?:compliant|yes|in\s+place)\b")
# Measures the controller or a sub-processor takes, a definition, or a denial commit the processor to nothing; nor
# does the label of the 2021 SCC annex field "Sensitive data transferred (if applicable) and applied restrictions or
# safeguards that …", which every DPA reproducing the SCCs prints whatever it commits to.
_NOT_THE_PROCESSOR = (subject_does(CUSTOMER_NAMES + "|sub-?processors?", "shall|will|must|should|is|are")
                      + rf"|{_DEFINES}|^\W*sensitive data (?:transferred|processed)\b|"
                      r"\bnot (?:be )?(?:required|obliged)\b|\bshould\b|\bdescribe\b|"
                      r"\b(?:GDPR|Regulation|BDSG|law)\b[^.;]{0,15}\brequires?\b|"
                      r"\b(?:not(?! limited)|no|never|without)\b[^.;]{0,40}"
                      r"\b(?:measures|safeguards|controls|program\w*)\b")


measures_chunks = sentence_reader(
    "technical and organisational measures", [_TOMS, _PUTS_IN_PLACE], _NOT_THE_PROCESSOR,
    "Sentences in which the processor implements or maintains technical and organisational security measures.")


# Art. 28(3)(b): the data is kept confidential by the people who process it. "Ensures the confidentiality of the
# data" states it as much as "personnel are bound to confidentiality" does (eval labelling convention).
_BOUND_PEOPLE = (r"\b(?:personnel|employees?|staff|workers|team(?:\s+members)?|"
                 r"(?:persons?|individuals?|anyone|everyone|people)\b"
                 r"[^.;]{0,40}\b(?:authori[sz]\w*|process\w*|access\w*|handl\w*|see|view))\b"
                 r"(?:[^.;]|\.(?=\w)){0,160}"  # "by remot3.it" is no sentence end
                 r"(?:\b(?:bound|bind\w*|subject|committed|obligat\w*|agreements?|undertak\w*|dut(?:y|ies)|sign\w*)\b"
                 # "data secrecy", German DPAs' word; English law's "duty of confidence" (twenty-ninth session, set q)
                 # "… obliged to keep such data … in secret" (a Polish DPA's tajemnica, thirty-second session, set x)
                 r"[^.;]{0,40}\b(?:confidential(?:ity)?|(?:data )?secrecy|(?:duty|duties|obligations?) of confidence)"
                 r"\b|\b(?:obligat\w*|obliged|bound|committed)\b[^.;]{0,80}\b(?:in|as a) secret"
                 r"\b|"
                 r"\b(?:sign\w*|execut\w*|enter\w* into|ha(?:ve|s)|under)\b[^.;]{0,40}"
                 r"(?:\b(?:confidentiality|non-?disclosure) (?:agreements?|obligations?|undertakings?|dut(?:y|ies)|"
                 r"commitments?)\b|\bNDAs?\b)|"
                 # "personnel … are informed of the confidential nature of the data"
                 r"\b(?:informed|aware|made aware|notified)\b[^.;]{0,20}\bconfidential nature\b)")
_CONFIDENTIAL = (r"\b(?:ensur\w*|maintain\w*|preserv\w*|protect\w*)\b[^.;]{0,40}\bconfidentiality\b[^.;]{0,40}"
                 r"\b(?:data|information)\b|"
                 r"\b(?:keep\w*|treat\w*|hold\w*)\b[^.;]{0,40}\b(?:data|information)\b[^.;]{0,20}\bconfidential\b|"
                 r"\bconfidentiality (?:clauses|provisions|terms)\b[^.;]{0,20}\b(?:employment|staff|personnel)\b|"
                 # "contractual obligations on our personnel, including provisions on confidentiality"
                 r"\b(?:obligations|agreements|contracts|terms)\b[^.;]{0,15}\b(?:on|for|with)\s+(?:\w+\s+)?"
                 r"(?:personnel|employees|staff)\b[^.;]{0,80}\bconfidentiality\b|"
                 # "Acme undertakes to maintain confidentiality", not what measures protect ("… confidentiality,
                 # integrity and availability")
                 r"\b(?:maintain|ensure|preserve|observe|keep)\w*\s+(?:strict\s+)?confidentiality\b"
                 r"(?![^.;]{0,30}\b(?:integrity|availability)\b)|"
                 + _BOUND_PEOPLE)
# Not the controller's or both parties' duty (nor "each Party" of a mutual secrecy clause), a definition, what
# survives termination, or an authority's secrecy.
# Nor confidentiality as what security measures protect ("measures to protect the security, confidentiality and
# integrity of the data", "encrypted links … to preserve confidentiality"): that is Art. 32(1)(b), not 28(3)(b),
# unless the sentence also binds the people (SnT labels 1 of 52 "confidentiality … integrity" sentences with it).
_NOT_CONFIDENTIAL = (subject_does(CUSTOMER_NAMES + "|parties|each party|either party",
                                   "shall|will|must|should|may|assures?|ensures?|undertakes?|guarantees?")
                     # A sentence on what survives binds no one, unless it binds the people itself ("… sign an NDA
                     # at onboarding; survives termination", thirty-fourth session, set y)
                     + rf"|{_DEFINES}|^(?![\s\S]*{_BOUND_PEOPLE})(?=[\s\S]*\bsurviv)|\blaw enforcement\b|"
                     # "… it is the customer's responsibility to ensure that its own users …" (thirty-first session)
                     + rf"\b(?:{CUSTOMER_NAMES})['’]s\s+(?:sole\s+|own\s+)?responsibility\b|"
                     # ("… must not let anyone process the data who is not under such confidentiality obligations"
                     # restates the duty)
                     r"\b(?:(?<!who is )(?<!who are )not(?! limited)|no|never|without)\b[^.;]{0,40}\bconfidential|"
                     rf"^(?![\s\S]*{_BOUND_PEOPLE})(?=[\s\S]*\b(?:measures|safeguards|controls|encrypt\w*|TLS)\b"
                     r"[^;]{0,100}\bconfidentiality\b)")  # "." allowed: "(TLS 1.2) to preserve confidentiality"


confidential_chunks = sentence_reader(
    "confidentiality", [_CONFIDENTIAL], _NOT_CONFIDENTIAL,
    "Sentences in which the processor keeps the data confidential, or binds its people to confidentiality.")


# Requirement id → (reader, what the finding's "why" says before the facts), applied in this order.
RULES: list[tuple[str, Finder, str]] = [
    # Chapter V asks only that the DPA state these facts, which the key-term reader reads too: without the rule
    # a report could list "Germany" or "SCC" under key terms next to a missing finding.
    ("data-location", located_chunks, "states where the data is stored or processed"),
    ("data-location", residency_chunks, "the data is stored or processed"),
    ("transfer-safeguards", mechanism_chunks, "names a transfer safeguard"),
    # Art. 28(3)(f) with Art. 33(3): a breach notice that must give the nature of the breach and its scale,
    # consequences or measures is the help the controller needs to notify the authority.
    ("assist-breach-authority", breach_content_chunks, "the breach notice must describe what the authority needs"),
    # Art. 28(3)(a): the sentence that announces law-required processing in advance is the requirement itself,
    # and the scorer often gives it to `instructions`, the clause it sits in.
    ("legal-requirement-notice", legal_notice_chunks, "where the law requires processing, the processor"),
    # Art. 28(3)(f): help with the controller's duties under Articles 32 to 36, named by article or in words, often
    # in a list under one lead-in that the scorer gives to a single requirement.
    *((rid, assist_chunks(rid), "the processor assists the controller with") for rid in DUTY_IDS),
    ("data-subject-rights", request_help_chunks, "the processor assists the controller"),
    # Art. 32(2): measures that weigh the risk are described without the word "risk" as often as with it.
    ("security-risk", security_risk_chunks, "security measures take the risk into account"),
    ("demonstrate-compliance", compliance_info_chunks, "the processor provides"),
    ("subprocessor-flowdown", flowdown_chunks, "sub-processors are"),
    ("subprocessor-liability", liability_chunks, "the processor remains"),
    ("encryption", encryption_chunks, "security measures"),
    ("government-access", government_request_chunks, "an authority's request for the data is"),
    ("confidentiality", confidential_chunks, "the processor ensures"),
    ("infringing-instructions", infringing_chunks, "the controller is"),
    ("security", measures_chunks, "the processor implements"),
    ("subprocessor-list", subprocessor_list_chunks, "sub-processors are"),
    ("subprocessor-changes", changes_chunks, "the controller is told"),
    ("subprocessor-objection", objection_chunks, "new sub-processors"),
    # Art. 28(3), first subparagraph: the description of processing states each of these in a labelled field.
    *((rid, FIELD_READERS[rid], "the description of processing states it") for rid in FIELD_IDS),
    ("data-types", listed_types_chunks, "the description of processing lists"),
    ("data-subjects", listed_subjects_chunks, "the description of processing lists"),
    ("nature-purpose", stated_nature_chunks, "the description of processing states"),
    ("duration", period_chunks, "the processing lasts"),
]

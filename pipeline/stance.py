"""The no-training stance (catalogue section D, ``no_training``; requirement ``no-training``): what one passage says
about training AI models on the customer's data.

:func:`no_training_stance` reads a passage clause by clause: a promise not to train (``commits``), a reservation of
training or model improvement on customer or personal data (``reserves``; anonymised or aggregated data, the
customer's own models and a restriction on the customer reserve nothing), or neither (``silent``: "to improve our
services" alone says nothing of models, eval labelling conventions). The key-term extractor
(:func:`pipeline.terms.extract_terms`) decides the document's stance from it, and ``match.decide`` turns a
reservation into the requirement's ``conflict``.
"""

from __future__ import annotations

import re

from .textrx import CUSTOMER_OR_COMPANY as _CUSTOMER
from .textrx import has as _has
from .textrx import norm as _norm

# "teach the assistant" is training in plain words; "teach" staff is caught by _PEOPLE.
_TRAIN = r"\b(?:(?:re)?train(?:s|ed|ing)?|fine[- ]?tun\w*|teach(?:es|ing)?|taught)\b"
# Bare "AI" is left out: it is part of many vendor names ("Mistral AI"). "Model Clauses" are the SCCs
# (Art. 46(2)(c)), not an AI model.
_MODEL = (r"\b(?:models?(?![\s-]+(?:contract(?:ual)?\s+)?clauses)|LLMs?|artificial intelligence|"
          r"AI (?:models?|systems?|tools?)|AI/ML|machine[- ]learning|ML models?|algorithms?|neural)\b")
# "to improve our models", "model improvement", "to improve its AI" (a possessive keeps vendor names such as
# "Mistral AI" out, "Acme's AI" counts, the customer's own AI does not; "the AI Act" is a law, and "its AI
# features" as vague as "our services").
_THEIR_AI = (r"(?:\b(?:its|our|their|the)|\b(?!(?:customer|client|controller)['’]s)\w+['’]s)\s+"
             r"(?:own\s+|proprietary\s+)?AI\b"
             r"(?![\s-]+(?:Act|features?|services?|products?|functionalit|capabilit))")
_IMPROVE_MODEL = (rf"\b(?:improv\w*|develop\w*|enhanc\w*)\b[^.;]{{0,60}}(?:{_MODEL}|{_THEIR_AI})|"
                  r"\b(?:model|AI|ML)\s+(?:improvement|development|training|refinement|enhancement)s?\b")
# Trained AI products, named without the word "model". Only with an explicit training verb: "to improve our AI
# features" alone is as vague as "to improve our services" (eval labelling conventions).
_AI_PRODUCT = (r"\bgenerative AI\b|\bAI[- ](?:features?|functionalit\w+|products?|services?|assistants?|"
               r"capabilit\w+|agents?|chatbots?)\b")
# "trained on data protection" is about staff; "trained on customer data" is about models.
# Not "employee data" or "staff records": an HR product's customer data (thirty-fifth session, set aa).
_PEOPLE = (r"\b(?:personnel|employees?|staff|workforce|awareness|trained (?:in|to)|security training)\b"
           r"(?!['’]?s?\s+(?:personal\s+)?(?:data|records|information|files)\b)|"
           r"\btrained on\b(?!\s+(?:the\s+)?(?:customer|personal|your|users?|data|content|inputs?|prompts?|"
           r"conversations?))")
# "for machine learning purposes" is training without the verb; "we do not train on your data" names no model.
_ML_USE = (r"\b(?:machine[- ]learning|ML|AI[- ]training)\s+purposes?\b|\bpurposes? of (?:machine[- ]learning|ML)\b|"
           r"\btrain(?:s|ed|ing)?\s+on\s+(?:any\s+)?(?:your (?:data|content)|(?:customer|client|user|end[- ]user|"
           r"personal)s?['’]?\s+(?:personal\s+)?(?:data|content|inputs?|prompts?|information|conversations?))\b")
# "Inputs are excluded from any dataset used to train …" (or, in a table row, "Model training: customer data
# excluded from training") promises as much as "not used"; "excluding" alone is no negation ("we may train on data,
# excluding health data").
# "… are contractually barred from training on it" (thirty-sixth session, set ad)
_NEGATION = (r"\b(?:not|never|no|neither|nor)\b(?![- ]opt)|n't\b|\bprohibit\w*|\brefrain|"
             r"\b(?:barred|forbidden|precluded|prevented|banned)\s+from\b|"
             r"\b(?:is|are|be|been|remains?|data|content|inputs?|prompts?|information|files)\s+(?:\w+\s+)?"
             r"excluded\s+from\b|"
             # "A use of the data for training … is excluded."
             r"\b(?:is|are|shall be|will be)\s+(?:hereby\s+|expressly\s+|strictly\s+)?(?:excluded|ruled out)\s*$")
_ANON = r"\banonymi[sz]\w*|\bde-?identif\w*|\baggregat\w*|\bpseudonymi[sz]\w*|\banonymous|\bstatistic"
# "so that no individual can be identified" describes anonymised data; it negates no promise.
_ANON_NEG = (r"\b(?:no|none of the)\s+(?:individuals?|persons?|one|data subjects?|natural persons?|users?)\b"
             r"[^.;,]{0,30}\bidentif\w*|\b(?:cannot|can ?not|could not|no longer)\s+(?:be\s+)?(?:re-?)?identif\w*|"
             r"\bnon-identifiable")
_CLAUSE_SPLIT = (r"[;:]|,\s*(?:and|but|however|provided|except|unless|while|whereas)\b|"
                 r"\s(?:but|whereas|unless)\s")
# "Customer shall not use the output to train …" restricts the customer; it is no vendor promise.
_CUSTOMER_DUTY = (rf"\b{_CUSTOMER}\b(?!['’]s)(?!\s+(?:data|personal|content|input|output|information))"
                  r"\s+(?:shall|will|must|may|agrees to)\s+not\b")


# The customer's own models are the customer's business, not a vendor reservation: "its own models", "solely
# for the Customer", and who trains: "models that Customer fine-tunes", "you may train …", "Customer is
# responsible for any models it trains".
_CUSTOMERS_OWN_MODELS = (
    r"\b(?:customer|your|its own)['’]?s? (?:own )?(?:custom |fine-tuned )?models?\b|\b(?:solely|only|"
    r"exclusively) for (?:the )?(?:customer|you)\b|\bfor (?:the )?customer['’]s own\b|"
    rf"\b{_CUSTOMER}\s+(?:(?:may|can|shall|will|might|chooses to|elects to|wishes to|decides to)\s+)?"
    r"(?:trains?|fine[- ]?tunes?)\b|"
    rf"\bmodels?\s+(?:that\s+|which\s+)?(?:the\s+)?{_CUSTOMER}\s+(?:\w+\s+)?"
    r"(?:trains?|fine[- ]?tunes?|builds?|develops?|creates?)\b|"
    rf"^\W*(?:the\s+)?{_CUSTOMER}\s+(?:is|remains|shall be|will be)\s+(?:solely\s+|fully\s+)?responsible\s+for\b"
    r"[^.;]{0,60}\b(?:it|they)\s+(?:trains?|fine[- ]?tunes?|builds?|develops?|creates?)\b")
_UNRESTRICTED = (r"\bnot\s+(?:be\s+)?(?:restricted|prevented|precluded|prohibited|limited)\s+from\b|"
                 r"\bnothing\b[^.;]{0,60}\b(?:prevents?|restricts?|precludes?|prohibits?|limits?)\b")
_CONSENT_ONLY = (r"\bonly\b[^.;]{0,60}?\b(?:with|if|where|upon|after)\b[^.;]{0,40}\b(?:consent|permission|approval|"
                 r"opts?[- ]?in|authori[sz]ation|instruction)s?\b")


_DENYING_LEAD = r"\b(?:not|never|refrain from|prohibited from)\W*$"
# The value of a row whose label is the training itself: "…: not permitted", "…: no", "…: never", "…: prohibited".
_REFUSED = (r"^\W*(?:(?:is\s+|are\s+)?(?:not\s+(?:permitted|allowed|performed|done|used)|no|none|never|"
            r"prohibited|forbidden|excluded|disallowed)\b)")


# A row's label names a topic; a lead-in with a verb says something ("We may use your content to train …: …").
_FINITE = (r"\b(?:may|might|will|shall|can|must|would|could|do|does|did|is|are|was|were|has|have|uses|trains|"
           r"reserves?|agrees?|commits?|undertakes?)\b|\b(?:we|you|they|it)\s+(?:use|train)\b|n't\b")


def _customer_duty(clause: str) -> bool:
    """The clause restricts the customer (``_CUSTOMER_DUTY``). "Company" names the customer in some DPAs and the
    vendor in others: "Company will not use Customer Data to train …" is the vendor's promise, since the clause
    names the customer as another party."""
    m = re.search(_CUSTOMER_DUTY, clause, re.I)
    # "data received from the data exporter shall not be used …": the customer is where the data comes from
    if not m or re.search(r"\b(?:from|by|of|to|for|with)\s+(?:the\s+)?$", clause[:m.start()], re.I):
        return False
    return not (m.group(0).lower().startswith("company")
                and _has(r"\b(?:customer|client|your?|licensee|subscriber)\b", clause))


def mentions_training(text: str) -> bool:
    """Whether a passage can take a stance on training at all (the cheap filter before ``no_training_stance``)."""
    return _has(f"{_TRAIN}|{_IMPROVE_MODEL}|{_ML_USE}", _norm(text))


def no_training_stance(text: str) -> str:
    """``commits``, ``reserves`` or ``silent``: what one passage says about training AI on customer data.

    ``reserves`` needs customer / personal data (not anonymised or aggregated data) used to train or
    improve AI / ML models; "to improve our services" alone is silent (eval labelling conventions).
    """
    text = _norm(text)
    opt_out = re.search(r"opt(?:ed|s)?[- ]?out of (?:the |model |AI )*training", text, re.I)
    stances = []
    # Separators kept: a proviso ("…, provided that it is anonymised first") qualifies the clause before it.
    parts = re.split(f"({_CLAUSE_SPLIT})", re.sub(r"opt(?:ed|s)?[- ]?out of[^.;,]*", "", text, flags=re.I))
    parts = [re.sub(_ANON_NEG, " anonymised ", p, flags=re.I) for p in parts]
    # A lead-in that negates the list after it ("Acme shall not, and shall ensure its Sub-processors shall not: (a)
    # use Client Data to train …; or (b) …") promises for each item; one that restricts the customer ("The Customer
    # shall not: (a) use the output to train …") promises nothing.
    lead_denies = lead_restricts_customer = False
    for i in range(0, len(parts), 2):
        clause = parts[i]
        before_colon = i + 1 < len(parts) and parts[i + 1] == ":"  # a list's lead-in or a row's label
        if before_colon and _has(_DENYING_LEAD, clause):
            lead_restricts_customer = _customer_duty(clause)
            lead_denies = not lead_restricts_customer
            continue
        if re.search(r"[.!?]\s+[A-Z]", clause):
            lead_denies = lead_restricts_customer = False  # a new sentence leaves the list
        if lead_restricts_customer:
            continue
        following = parts[i + 2] if i + 2 < len(parts) else ""  # the clause after the separator
        proviso = following if following and _has(r"provided", parts[i + 1]) else ""
        trains = _has(_TRAIN, clause) and (_has(_MODEL, clause) or _has(_AI_PRODUCT, clause)
                                           or _has(r"\b(?:to|for)\s+(?:the\s+)?(?:purposes? of\s+)?train", clause))
        trains = trains or _has(_ML_USE, clause)
        if not (trains or _has(_IMPROVE_MODEL, clause)) or _has(_PEOPLE, clause):
            continue
        if before_colon:
            if len(clause.split()) <= 4:
                continue  # a field's label ("Model training: customer data excluded …") takes no stance
            if _has(_REFUSED, following):
                # a comparison sheet's row: "AI model training on customer data: not permitted"
                stances.append("commits")
                continue
            if not _has(_FINITE, clause) and mentions_training(following):
                # a checklist's row whose answer says it again: "Use of customer data for AI model training —
                # Compliant: customer data not used to train …" (thirty-sixth session, set ac); the answer decides
                continue
        # A questionnaire's question is the customer's to the vendor: in "Do you train your models on our data? No.
        # …" "you" is the vendor (thirty-fifth session, set aa), so only the answer can name the customer's models.
        if _has(_CUSTOMERS_OWN_MODELS, clause.rsplit("?", 1)[-1].strip()):
            continue
        if _has(_UNRESTRICTED, clause):
            stances.append("reserves")  # "is not restricted from using …": a negation that permits
        elif _has(_CONSENT_ONLY, clause):
            stances.append("commits")  # training only with the customer's consent is the customer's choice
        elif _has(_NEGATION, clause) or lead_denies:
            stances.append("silent" if _customer_duty(clause) else "commits")
        elif not (_has(_ANON, clause) or _has(_ANON, proviso)):
            stances.append("reserves")
    if opt_out:
        stances.append("reserves")  # an opt-out means training happens by default
    for stance in ("reserves", "commits"):
        if stance in stances:
            return stance
    return "silent"

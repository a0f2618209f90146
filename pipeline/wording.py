"""The library's synonyms: other drafting traditions' words read in the GDPR's (``clauses/requirements.yaml``).

A literal translation or a national template names the parties and the duties in words the rule readers and the
gate do not know ("the Entrustee", "the Person in Charge of the Treatment", "the Authority" for the customer, "a
leakage", "the control authority"). ``match.decide`` and threshold tuning (``train``) read each passage through
:func:`reader_view`; the evidence a finding shows is the passage as written. The sentence scorer reads the passage
as written (reading it in the GDPR's words cost more than it gained, docs/accuracy.md, thirty-first session). A
document's own party labels ("hereinafter "the Operator"", acting as processor) are read first, for that document
only (:mod:`pipeline.parties`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from .library import Library
from .models import Chunk
from .parties import defined_parties

Words = tuple[tuple[str, str], ...]  # (pattern, replacement) pairs, applied in order

_WORD_TAIL = re.compile(r"\w*")


def document_words(library: Library, chunks: list[Chunk]) -> Words:
    """What reads one document in the GDPR's words: the party labels it defines itself, then the library's
    synonyms."""
    subs = _subs(library)
    return (*defined_parties(chunks, lambda label: _in_gdpr_words(subs, f"the {label}") != f"the {label}"), *subs)


def reader_view(library: Library, chunks: list[Chunk], words: Words | None = None) -> list[Chunk]:
    """``chunks`` as the rule readers read them: each library ``synonyms`` wording (and each party label the
    document defines, :func:`document_words`, unless ``words`` says otherwise) in the GDPR's words.

    A literal translation says "the Entrustee shall cooperate with the Entrustor for the report to the control
    authority of a leakage" where the readers know "the processor assists the controller in notifying the
    supervisory authority of a personal data breach". A chunk no synonym changes is returned as it is.
    """
    words = document_words(library, chunks) if words is None else words
    if not words:
        return chunks
    out = []
    for c in chunks:
        text, context = _in_gdpr_words(words, c.text), _in_gdpr_words(words, c.context)
        out.append(c if (text, context) == (c.text, c.context) else replace(c, text=text, context=context))
    return out


def in_gdpr_words(library: Library, text: str) -> str:
    """``text`` with each of the library's ``synonyms`` in the GDPR's words."""
    words = _subs(library)
    return _in_gdpr_words(words, text) if words else text


@lru_cache(maxsize=8192)  # a clause's context is shared by each of its sentences
def _in_gdpr_words(subs: Words, text: str) -> str:
    for rx, words in _compile(subs):
        text = rx.sub(words, text)
    return text


def words_read(library: Library, text: str, words: Words | None = None) -> list[str]:
    """Each wording of ``text`` a synonym reads in the GDPR's words, and how: '“the Entrustee” as “Processor”'.

    The synonyms apply in the library's order, each to what the ones before it left, as :func:`in_gdpr_words`
    does; a finding a rule decided on a rewritten passage says so in its ``why``.
    """
    out: list[str] = []
    for rx, gdpr in _compile(_subs(library) if words is None else words):
        for m in rx.finditer(text):  # a match that ends inside a word ("control authorit|y") is shown whole
            tail = _WORD_TAIL.match(text, m.end()).group(0)
            out.append(f"“{(m.group(0) + tail).strip()}” as “{(m.expand(gdpr) + tail).strip()}”")
        text = rx.sub(gdpr, text)
    return list(dict.fromkeys(out))


def _subs(library: Library) -> Words:
    """The library's synonyms as (pattern, replacement) pairs, in order (hashable: the caches' key)."""
    return tuple((s.pattern, s.replace) for s in library.synonyms)


@lru_cache(maxsize=32)  # the library's words, and each recent document's
def _compile(subs: Words) -> list[tuple[re.Pattern, str]]:
    return [(re.compile(pattern), words) for pattern, words in subs]

"""The gate a passage must pass to count as evidence that a requirement is met (``match.decide`` and threshold
tuning, ``train.doc_max``, share it): a cue of the requirement found, no library-wide denial and none of the
requirement's ``disqualifiers`` (``clauses/requirements.yaml``), not a definition, not a bare label.

Embeddings score a sentence and its negation almost alike, and a passage on the same topic as a clause (the
customer's own duty, a definition, a carve-out) close to the clause itself: the gate is what makes a deleted clause
a gap. It reads each passage in the GDPR's words (:mod:`pipeline.wording`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from .library import Library
from .models import Chunk
from .textrx import is_label
from .wording import in_gdpr_words, reader_view

# A carve-out a commitment ends with ("…, save for data the Customer sends unencrypted, for which Acme shall have no
# liability", "(except where it is not required to do so by law)") takes back the exception, not the commitment:
# the library-wide denials read a passage without it (thirty-second session, blind set x).
# A proviso after the commitment that only limits how far it goes ("…; provided that Provider shall not be obliged to
# undertake a comprehensive legal examination", thirty-fifth session, set ab) is read apart as well.
_CARVE_OUT = re.compile(r"(?i)\((?:for which|in which case|except|save|excluding|other than)\b[^)]*\)|"
                        r",?\s*\b(?:save|except)\s+(?:for|where|that|to the extent)\b[^.;]*|,\s*for which\b[^.;]*|"
                        r"[;,]\s*provided(?:,)?\s+(?:always\s+)?(?:that|however)\b[^.]*")


class Gate(NamedTuple):
    """One requirement's gate (:func:`gate_patterns`)."""

    cues: list[re.Pattern]  # one must be found, in the passage or its clause
    denials: list[re.Pattern]  # the library-wide denials, read outside the passage's carve-outs
    rejects: list[re.Pattern]  # the definitions that cannot meet it, and its own disqualifiers


def passes_cues(patterns: list[re.Pattern], text: str, context: str) -> bool:
    """The cue gate: no cues, or one cue found in the passage or its clause."""
    if not patterns:
        return True
    return any(p.search(text) or p.search(context) for p in patterns)


@lru_cache(maxsize=64)
def compiled_patterns(patterns: tuple[str, ...]) -> list[re.Pattern]:
    """Library regexes, compiled once."""
    return [re.compile(p) for p in patterns]


def definitions_for(library: Library, rid: str) -> tuple[str, ...]:
    """The library's ``definitions`` that never meet ``rid``: all of them, or those that define none of the terms
    its ``definitions_meet`` names ('"Trust Center" means …' is no sub-processor list)."""
    meet = library.get(rid).definitions_meet
    if not meet:
        return tuple(library.definitions)
    terms = "|".join(f"(?i:{m})" for m in meet)  # case-insensitive, as the library says
    return tuple(rf"^(?=(?:{d}))(?![\s\S]*(?:{terms}))" for d in library.definitions)


def gate_patterns(library: Library, rid: str) -> Gate:
    """A requirement's gate: its cues, the library-wide ``denials``, and its own ``disqualifiers`` with the
    definitions that cannot meet it."""
    req = library.get(rid)
    return Gate(compiled_patterns(tuple(req.cues)), compiled_patterns(tuple(library.denials)),
                compiled_patterns((*definitions_for(library, rid), *req.disqualifiers)))


def passes_gate(gate: Gate, text: str, context: str) -> bool:
    """The one gate a passage must pass to count as evidence of met (``decide`` and threshold tuning share it).

    It must state something (not a bare label, :func:`is_label`), match a cue (in the passage or its clause)
    and must not deny the commitment: a passage that denies it, or that the requirement disqualifies (e.g.
    data types "as determined by the Customer"), is never evidence of met, however similar it reads.
    """
    return not is_label(text) and _passes_patterns(gate, text, context)


def _passes_patterns(gate: Gate, text: str, context: str) -> bool:
    """The requirement's own part of :func:`passes_gate`: a cue found, no denial, no reject."""
    if not passes_cues(gate.cues, text, context) or any(r.search(text) for r in gate.rejects):
        return False
    outside = _without_carve_outs(text)
    return not any(d.search(outside) for d in gate.denials)


@lru_cache(maxsize=8192)  # every requirement's gate reads the same passage
def _without_carve_outs(text: str) -> str:
    return _CARVE_OUT.sub(" ", text)


def gate_mask(library: Library, ids: list[str], texts: list[str], contexts: list[str],
              docs: list[str] | None = None) -> np.ndarray:
    """(len(texts), len(ids)) booleans: which passages pass each requirement's gate (:func:`passes_gate`).

    A label fails every requirement's gate, so it is told once per passage, not once per requirement. The gate
    reads each passage in the GDPR's words, as ``decide`` does (:func:`reader_view`): with ``docs`` (each
    passage's document, in document order) also in the party labels its document defines.
    """
    if docs is None:
        texts, contexts = [in_gdpr_words(library, t) for t in texts], [in_gdpr_words(library, c) for c in contexts]
    else:
        texts, contexts = _read_by_document(library, texts, contexts, docs)
    stated = np.flatnonzero([not is_label(t) for t in texts])
    out = np.zeros((len(texts), len(ids)), dtype=bool)
    out[stated] = True
    for j, rid in enumerate(ids):
        gate = gate_patterns(library, rid)
        if any(gate):
            out[stated, j] = [_passes_patterns(gate, texts[i], contexts[i]) for i in stated]
    return out


def _read_by_document(library: Library, texts: list[str], contexts: list[str],
                      docs: list[str]) -> tuple[list[str], list[str]]:
    """Each passage and its context as :func:`reader_view` reads its document's chunks."""
    by_doc: dict[str, list[int]] = {}
    for i, d in enumerate(docs):
        by_doc.setdefault(d, []).append(i)
    texts, contexts = list(texts), list(contexts)
    for rows in by_doc.values():
        chunks = [Chunk(index=k, text=texts[i], page=1, section="", context=contexts[i]) for k, i in enumerate(rows)]
        for i, c in zip(rows, reader_view(library, chunks), strict=True):
            texts[i], contexts[i] = c.text, c.context
    return texts, contexts

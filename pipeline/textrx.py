"""Text helpers shared by the rule readers (duties, assist, key terms, transfers, locations): one normalisation,
one search, and the patterns several readers need."""

from __future__ import annotations

import functools
import re

# A sub-processor named in any of the ways DPAs do (GDPR Art. 28(2), 28(4)).
SUBPROC = r"\bsub-?\s?(?:processor|processing|contractor)|\bsubprocessor|\bthird[- ]party (?:provider|model)"



def subject_does(subjects: str, verbs: str) -> str:
    """A sentence whose subject (within its first few words, "the" optional) is one of ``subjects`` and whose
    verb soon after is one of ``verbs``: "Customer shall …", "(b) the Controller will …". Rule readers use it to
    tell a duty of the controller (or of another party) from the processor's own."""
    return rf"^\W*(?:\S+\s+){{0,3}}?(?:the\s+)?(?:{subjects})\b[^.;]{{0,25}}\b(?:{verbs})\b"


@functools.lru_cache(maxsize=8192)  # each rule pass re-reads the same chunks and clause contexts
def norm(text: str) -> str:
    """Soft hyphens removed, curly apostrophes straightened, whitespace collapsed."""
    text = text.replace("\u00ad", "").replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", text).strip()


def has(pattern: str, text: str) -> bool:
    """Case-insensitive search."""
    return re.search(pattern, text, re.I) is not None

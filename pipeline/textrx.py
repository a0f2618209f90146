"""Text helpers shared by the rule readers (key terms, transfers, locations): one normalisation, one search."""

from __future__ import annotations

import functools
import re

# A sub-processor named in any of the ways DPAs do (GDPR Art. 28(2), 28(4)).
SUBPROC = r"\bsub-?\s?(?:processor|processing|contractor)|\bsubprocessor|\bthird[- ]party (?:provider|model)"


@functools.lru_cache(maxsize=8192)  # each rule pass re-reads the same chunks and clause contexts
def norm(text: str) -> str:
    """Soft hyphens removed, curly apostrophes straightened, whitespace collapsed."""
    text = text.replace("\u00ad", "").replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", text).strip()


def has(pattern: str, text: str) -> bool:
    """Case-insensitive search."""
    return re.search(pattern, text, re.I) is not None

"""Text helpers shared by the rule readers (duties, sub-processors, assist, key terms, transfers, locations) and the
matcher's gate: one normalisation, one search, the patterns several readers need, the sentence reader they are
built from, and what counts as a bare label."""

from __future__ import annotations

import functools
import re

from .models import Chunk, Finder

# The controller, as the rule readers name it in a sentence ("Customer may object", "chosen by the client").
THE_CUSTOMER = r"\b(?:customer|controller|client|you)\b"
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


# A label, not a statement: fewer than five words, no sentence end, not a table row ("Encryption",
# "Types of Personal Data", "5. Confidentiality", "Sub-processors:"; the parser takes headings set in body type
# for paragraphs). It names a topic, so it scores high for it, but commits to nothing (eval labels never cite one).
_WORD = re.compile(r"[^\W\d_]{2,}")
_SENTENCE_END = re.compile(r"[^\W\d_]{2,}[.!?][\"'”’)]*\s*$")


# A numbered heading in title case is a label too, however long: "8. Data Protection Impact Assessment and Prior
# Consultation", "5.3 Vendor's Compliance with Instructions." (snt-train: 60 such lines, one labelled).
_NUMBERED = re.compile(r"^\W*(?:(?:section|article|clause|annex|schedule|appendix)\s+)?"
                       r"\d+(?:\.\d+)*\.?\s+(?=\S)", re.I)
_TITLE_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_MINOR = frozenset("a an and as at by for from in its of on or per the their to under with".split())


def _numbered_title(text: str) -> bool:
    head = _NUMBERED.match(text)
    if not head or len(text) > 120:
        return False
    rest = text[head.end():].strip().rstrip(".:")
    words = _TITLE_WORD.findall(rest)
    return (0 < len(words) <= 12 and not re.search(r"[,;:!?|]|\.\s", rest)
            and all(w[0].isupper() or w in _MINOR for w in words))


def is_label(text: str) -> bool:
    """A passage too short to state a commitment: a heading or field label the parser kept as a paragraph."""
    text = text.replace("*", "").strip()  # markdown emphasis some PDF exports keep
    return (len(_WORD.findall(text)) < 5 and "|" not in text and not _SENTENCE_END.search(text)) \
        or _numbered_title(text)


def sentence_reader(fact: str, needs: list[str], denies: str | None = None, doc: str = "") -> Finder:
    """A reader that takes each sentence matching every pattern of ``needs`` and not ``denies``, stating ``fact``."""
    def find(chunks: list[Chunk]) -> list[tuple[Chunk, list[str]]]:
        texts = ((c, norm(c.text)) for c in chunks)
        return [(c, [fact]) for c, text in texts
                if all(has(rx, text) for rx in needs) and not (denies and has(denies, text))]
    find.__doc__ = doc
    return find

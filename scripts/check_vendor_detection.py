"""Measure :func:`pipeline.vendors.detect_vendor` on the corpus texts in ``shared/corpus/vendor-dpas``.

Each text starts with a provenance header (``vendor: ...`` up to a ``---`` line) that the rendered PDFs
do not carry; it is cut off before detection. Two runs are reported: text only (file name withheld, so
signals 1-2 must find the vendor) and text plus the real file name. A detection is a hit when its
normalised name is contained in the index's vendor name or the other way round (or contains the
name before a bracket, "Meta (Facebook)" -> "Meta").

Usage: ``.venv/bin/python scripts/check_vendor_detection.py [--corpus DIR] [-v]``.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.vendors import detect_vendor, load_profiles  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "vendor-dpas"


def _norm(s: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", s.lower())


def _hit(found: str | None, truth: str) -> bool:
    if not found:
        return False
    # The index gives e.g. "Meta (Facebook)": the name before the bracket is the vendor's own.
    f, t, main = _norm(found), _norm(truth), _norm(truth.split("(")[0])
    return bool(f) and (f in t or t in f or (bool(main) and main in f))


def _body(text: str) -> str:
    m = re.search(r"^---\s*$", text, flags=re.MULTILINE)
    return text[m.end() :] if m else text


def main(argv: list[str] | None = None) -> int:
    """Print the hit rates; with ``-v`` also every miss."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    profiles = load_profiles()
    with (args.corpus / "_index.tsv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    text_hits = both_hits = 0
    for row in rows:
        text = _body((args.corpus / row["file"]).read_text(encoding="utf-8", errors="replace"))
        only_text = detect_vendor(text, "document.pdf", profiles)
        with_name = detect_vendor(text, Path(row["file"]).with_suffix(".pdf").name, profiles)
        text_hits += _hit(only_text, row["vendor"])
        both_hits += _hit(with_name, row["vendor"])
        if args.verbose and not (_hit(only_text, row["vendor"]) and _hit(with_name, row["vendor"])):
            print(f"  {row['file']:42} truth={row['vendor']!r:45} text={only_text!r} both={with_name!r}")
    n = len(rows)
    print(f"documents: {n}")
    print(f"text only:       {text_hits}/{n} = {text_hits / n:.3f}")
    print(f"text + filename: {both_hits}/{n} = {both_hits / n:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

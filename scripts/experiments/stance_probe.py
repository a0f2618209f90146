"""Probe the `no-training` reader with sentences of our own wording, and list its stance on the corpora.

    .venv/bin/python scripts/experiments/stance_probe.py              # the probe: wrong stances and a count
    .venv/bin/python scripts/experiments/stance_probe.py --corpora F  # also every non-silent stance on snt-train
                                                                      # and the corpus vendor texts, as JSON in F

Run ``--corpora`` before and after a reader change and diff the two files: no stance should move that was not
meant to. Held-out vendors (the names in vendors-holdout) are skipped; snt-test is never read.
"""
import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pipeline.stance import mentions_training, no_training_stance  # noqa: E402

SHARED = ROOT.parent / "shared"
PROBES = [
    ("reserves", "Provider may use Customer Personal Data to teach and refine the AI assistant offered through the "
     "Service."),
    ("reserves", "Vendor may use the content of support conversations to enhance the accuracy of its natural "
     "language processing models."),
    ("reserves", "Customer authorises Vendor to use Personal Data as training data for the Vendor's machine learning "
     "systems."),
    ("reserves", "The Processor may feed Customer Data into the training pipelines of its language models."),
    ("reserves", "Vendor shall be entitled to use Customer Data to build, train and improve its artificial "
     "intelligence products."),
    ("reserves", "Customer hereby grants Vendor a worldwide, royalty-free licence to use Customer Content for the "
     "purpose of training Vendor's algorithms."),
    ("reserves", "By default, prompts and completions submitted through the API may be used to improve our models; "
     "Customer may opt out at any time."),
    ("reserves", "Vendor may retain recordings of calls to improve the accuracy of its speech recognition models."),
    ("reserves", "Processor may use Personal Data for product improvement, including the training of its "
     "machine-learning models."),
    ("reserves", "The Processor may also process the Personal Data to develop and improve its large language models."),
    ("reserves", "Notwithstanding anything to the contrary in this DPA, Vendor may use Customer Data to train, test "
     "and improve the AI models underlying the Services."),
    ("reserves", "In addition, Provider may process Customer Personal Data for the purpose of training and "
     "evaluating its AI systems."),
    ("reserves", "Vendor reserves the right to use Personal Data to develop new artificial intelligence models."),
    ("reserves", "Data submitted to the Service may be used by Vendor to train its neural networks."),
    ("reserves", "Supplier may use Client Data to improve and train the algorithms that power the Platform."),
    ("reserves", "Customer acknowledges that Vendor uses Customer Data to fine-tune the models made available to all "
     "customers."),
    ("reserves", "The Processor may use the Personal Data to train machine learning models that it makes available "
     "to other customers."),
    ("reserves", "Vendor may use Personal Data processed under this DPA to improve its AI models and services."),
    ("reserves", "Acme may use Customer Data to create, train and improve the machine learning features of its "
     "products."),
    ("reserves", "Customer agrees that Vendor may use Customer Data, including Personal Data, to develop and train "
     "artificial intelligence and machine learning technologies."),
    ("reserves", "The Processor is entitled to use Input and Output Data for the training of its models."),
    ("reserves", "Provider may use the data to train and improve its generative AI features."),
    ("reserves", "We may use your content to train our AI."),
    ("reserves", "Vendor may process Personal Data as necessary to train the AI models used in the Services."),
    ("reserves", "Vendor may use Customer Data for machine learning purposes."),
    ("commits", "Vendor does not use Customer Data to train its models."),
    ("commits", "Provider will not use Personal Data to train, retrain or improve any artificial intelligence model."),
    ("commits", "Neither Customer Data nor Output will be used to train Vendor's models."),
    ("commits", "The Processor shall refrain from using Personal Data for training machine learning models."),
    ("commits", "Vendor will use Customer Data to train models only with Customer's explicit prior written consent."),
    ("commits", "Vendor is prohibited from using Customer Data to develop or improve AI models."),
    ("silent", "Vendor may use de-identified and aggregated data to improve its machine learning models."),
    ("silent", "Vendor may use Customer Data to provide, maintain and improve the Services."),
    ("silent", "Customer is responsible for any models it trains using the Services."),
    ("silent", "Vendor trains its staff on data protection at least annually."),
    ("silent", "Customer may fine-tune its own models using the Service; such models are for Customer's exclusive "
     "use."),
    ("silent", "Customer shall not use the Services to develop competing AI models."),
    ("silent", "The Services include AI features powered by third-party models."),
]


def stance(text: str) -> str:
    """The stance the matcher reads: silent for text the filter never shows the reader."""
    return no_training_stance(text) if mentions_training(text) else "silent"


def corpora() -> dict[str, str]:
    """``source|sentence`` -> stance, for every sentence with a stance in the allowed corpora."""
    held = {p.name.split("-variant")[0].removesuffix(".pdf") for p in (SHARED / "eval/vendors-holdout").glob("*.pdf")}
    out = {}
    for p in sorted((SHARED / "corpus/vendor-dpas").glob("*.txt")):
        if p.stem in held:
            continue
        for s in re.split(r"(?<=[.;])\s+|\n\s*\n", p.read_text(encoding="utf-8")):
            s = " ".join(s.split())
            if s and stance(s) != "silent":
                out[f"{p.stem}|{s[:300]}"] = stance(s)
    for line in (SHARED / "eval/snt-train/sentences.jsonl").open(encoding="utf-8"):
        s = json.loads(line)["text"]
        if stance(s) != "silent":
            out[f"snt|{s[:300]}"] = stance(s)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", type=Path, help="write the corpus stances to this JSON file")
    args = ap.parse_args()
    wrong = [(want, got, t) for want, t in PROBES if (got := stance(t)) != want]
    for want, got, t in wrong:
        print(f"want {want:8s} got {got:8s} | {t}")
    print(f"{len(PROBES) - len(wrong)} of {len(PROBES)} probes right")
    if args.corpora:
        found = corpora()
        args.corpora.write_text(json.dumps(found, indent=1, ensure_ascii=False))
        print(f"{len(found)} sentences with a stance, {sum(v == 'reserves' for v in found.values())} reserve")


if __name__ == "__main__":
    main()

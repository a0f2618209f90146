"""The ``dpa`` command line: analyse DPAs, evaluate against labels, export gap lists, start the dashboard.

Standard output carries only the requested result (the JSON contract for ``--format json``); progress and
logs go to standard error. Domain errors become one clear message and exit status 2; a batch in which a
file failed exits 1, with that file's error in its report.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click

from . import __version__
from .embed import BACKENDS, DEFAULT_MODEL
from .errors import DpaError

log = logging.getLogger("pipeline")


def _progress(enabled: bool):
    """A progress line on standard error (only on a terminal, or when forced)."""

    def show(i: int, n: int, name: str) -> None:
        if not enabled or n == 0:
            return
        width = 28
        done = int(width * i / n)
        sys.stderr.write(f"\r[{'#' * done}{'.' * (width - done)}] {i}/{n} {name[:40]:40s}")
        if i == n:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


@click.group()
@click.version_option(__version__, prog_name="dpa")
@click.option("-v", "--verbose", count=True, help="More logging on standard error (-v info, -vv debug).")
@click.option("--backend", type=click.Choice(BACKENDS),
              help="Embedding backend (default onnx, or $DPA_BACKEND): onnx and torch give the same findings; "
              "onnx-int8 is ~1.8x faster at encoding but changes about 0.6 % of decisions.")
def main(verbose: int, backend: str | None) -> None:
    """Review vendor data processing agreements (GDPR Art. 28) locally."""
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    if backend:  # through the environment, so that --workers processes get it too
        os.environ["DPA_BACKEND"] = backend


def _analyzer(model: str, password: str | None, max_pages: int | None, max_mb: int | None,
              max_seconds: int | None = None, ocr: bool = True, isolate: bool = False):
    from .analyze import Analyzer, Options
    from .ocr import OcrOptions
    from .parse import ParseLimits

    limits = ParseLimits()
    if max_seconds:
        limits.max_seconds = max_seconds
    if max_pages:
        limits.max_pages = max_pages
    if max_mb:
        limits.max_bytes = max_mb * 1_000_000
    return Analyzer(options=Options(model=model, limits=limits, password=password, ocr=OcrOptions(enabled=ocr),
                                    isolate=isolate))


def _run(fn):
    try:
        return fn()
    except DpaError as exc:
        click.echo(f"dpa: error: {exc}", err=True)
        sys.exit(2)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown", "csv"]), default="table",
              show_default=True, help="Output format on standard output.")
@click.option("--vendor", help="Vendor name for all files (else detected from the text or file name).")
@click.option("--password", help="Password to open encrypted PDFs.")
@click.option("--model", default=os.environ.get("DPA_MODEL", DEFAULT_MODEL), show_default=True,
              help="Embedding model: a packaged model name or a local folder (never downloaded).")
@click.option("--max-pages", type=int, help="Reject PDFs with more pages (default 500).")
@click.option("--max-mb", type=int, help="Reject files larger than this many MB (default 50).")
@click.option("--max-seconds", type=int, help="Per-document parsing time limit in seconds (default 300).")
@click.option("--ocr/--no-ocr", default=True, show_default=True,
              help="OCR scanned PDFs locally with ocrmypdf/tesseract when installed.")
@click.option("--store/--no-store", "use_store", default=False,
              help="Also save the reports in the local database (shared with the dashboard).")
@click.option("--progress/--no-progress", default=None, help="Progress bar on standard error.")
@click.option("--workers", type=click.IntRange(min=0), default=None,
              help="Processes for a batch (each loads the model once); 0 = one per CPU core. "
              "Default: 2 for 16 files or more on a multi-core machine, else 1.")
@click.option("--isolate", is_flag=True,
              help="Parse each file in a child process with a hard time and memory limit (untrusted files; "
              "~0.1-0.3 s more per file).")
def analyze(paths, fmt, vendor, password, model, max_pages, max_mb, max_seconds, ocr, use_store, progress,
            workers, isolate) -> None:
    """Analyse DPA PDFs (files or folders of *.pdf) and print findings with evidence."""
    from .analyze import expand_paths
    from .report import to_csv, to_json, to_markdown, to_table

    def go():
        files = expand_paths(paths)
        if not files:
            raise click.UsageError("no PDF files found")
        an = _analyzer(model, password, max_pages, max_mb, max_seconds, ocr, isolate)
        show = progress if progress is not None else sys.stderr.isatty()
        from .parallel import auto_workers

        n_workers = auto_workers(len(files)) if workers is None else workers
        reports = an.analyze_many(files, vendor=vendor, progress=_progress(show), workers=n_workers)
        if use_store:
            from .store import Store

            with Store() as st:
                for r in reports:
                    if r.sha256:
                        st.put_report(r)
        if fmt == "json":
            out = to_json(reports)
        elif fmt == "markdown":
            out = to_markdown(reports, an.library)
        elif fmt == "csv":
            out = to_csv(reports)
        else:
            out = to_table(reports, an.library, colour=sys.stdout.isatty())
        click.echo(out)
        failed = [r for r in reports if r.status.value == "error"]
        for r in failed:
            click.echo(f"dpa: {r.error}", err=True)
        sys.exit(1 if failed else 0)

    _run(go)


@main.command("eval")
@click.argument("corpus", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--folds", type=int, help="Cross-validation folds (default: 5 when the model saw this corpus).")
@click.option("--inner-folds", type=int, default=5, show_default=True,
              help="Folds by document that choose each retrained model's thresholds and calibration "
                   "(the bundled model's recipe uses 5).")
@click.option("--sample", type=int, help="Only the first N labelled documents (a quick check).")
@click.option("--semantic-snt", is_flag=True,
              help="Score SnT's four rotated assist-* labels by their meaning (see docs/accuracy.md).")
@click.option("--json", "as_json", is_flag=True, help="Print the numbers as JSON.")
@click.option("--save-reports", type=click.Path(file_okay=False, path_type=Path),
              help="Also write each document's report, as scored, to this folder (<pdf name>.json).")
@click.option("--progress/--no-progress", default=None)
def eval_(corpus, folds, inner_folds, sample, semantic_snt, as_json, save_reports, progress) -> None:
    """Score the analyser against a labelled corpus folder (labels.json beside the PDFs)."""
    import json

    from .analyze import Analyzer
    from .evaluate import evaluate, format_result, read_labels

    def go():
        show = progress if progress is not None else sys.stderr.isatty()
        only = None
        if sample:
            only = sorted(read_labels(corpus)["documents"])[:sample]
        res = evaluate(corpus, Analyzer(), folds=folds, inner_folds=inner_folds, only=only, semantic_snt=semantic_snt,
                       progress=_progress(show), save_reports=save_reports)
        click.echo(json.dumps(res.to_dict(), indent=2) if as_json else format_result(res))

    _run(go)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "md", "json"]), default="csv",
              show_default=True)
@click.option("--table", type=click.Choice(["gaps", "matrix", "terms", "summary"]), default="gaps",
              show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="File to write (default: stdout).")
@click.option("--policy", "policy_file", type=click.Path(exists=True, path_type=Path),
              help="Team policy file (JSON/YAML); deviations become gaps.")
@click.option("--vendor", help="Vendor name for all files.")
@click.option("--from-store", is_flag=True, help="Export every analysis in the local database, with reviews.")
def export(paths, fmt, table, output, policy_file, vendor, from_store) -> None:
    """Export the gap list (or matrix / terms / summary) for PDFs, or for everything in the local database."""
    from .export import export_bytes
    from .library import load_library
    from .policy import policy_from_file

    def go():
        policy = policy_from_file(policy_file) if policy_file else None
        reviews = None
        if from_store:
            from .store import Store

            with Store() as st:
                reports = st.reports()
                reviews = st.all_reviews()
        else:
            from .analyze import expand_paths

            files = expand_paths(paths)
            if not files:
                raise click.UsageError("give PDF files or --from-store")
            model = os.environ.get("DPA_MODEL", DEFAULT_MODEL)
            reports = _analyzer(model, None, None, None).analyze_many(files, vendor=vendor)
        data = export_bytes(fmt, reports, load_library(), reviews=reviews, policy=policy, table=table)
        if output:
            output.write_bytes(data)
            click.echo(f"wrote {output}", err=True)
        elif fmt == "xlsx":
            raise click.UsageError("xlsx needs -o FILE")
        else:
            sys.stdout.write(data.decode("utf-8"))

    _run(go)


@main.command()
@click.option("--port", default=8501, show_default=True)
@click.option("--address", default="localhost", show_default=True, help="Bind address (localhost keeps it private).")
def dashboard(port: int, address: str) -> None:
    """Start the Streamlit dashboard on this machine."""
    import subprocess

    app = Path(__file__).resolve().parent.parent / "dashboard.py"
    sys.exit(subprocess.call([sys.executable, "-m", "streamlit", "run", str(app), "--server.address", address,
                              "--server.port", str(port), "--browser.gatherUsageStats", "false"]))


if __name__ == "__main__":  # pragma: no cover
    main()

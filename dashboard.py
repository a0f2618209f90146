"""DPA review dashboard: ``streamlit run dashboard.py``.

Layout only. The tables, statuses, policy checks and exports come from ``pipeline/`` (mostly
:mod:`pipeline.dashboard_data`); this script arranges them. Everything stays on this machine: the
model is packaged, the database is a local SQLite file (``$DPA_DB``), and Streamlit binds to localhost
(``.streamlit/config.toml``).

Document text is untrusted: it is shown only through ``st.text``/``st.code``/dataframes, and any
document-derived string placed in a label goes through ``md_escape`` first.
"""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from pipeline import dashboard_data as dd
from pipeline import uploads as up
from pipeline.errors import ConfigError, DpaError
from pipeline.export import gap_rows, vendor_labels
from pipeline.library import GROUP_TITLES, Group, Library, Severity, load_library
from pipeline.models import Report, Status
from pipeline.policy import Mechanism, Policy
from pipeline.store import Store, default_db_path
from pipeline.vendors import load_profiles, profile_for

log = logging.getLogger(__name__)

TABS = [":material/table_chart: Compare", ":material/plagiarism: Evidence & review",
        ":material/rule: Key terms & policy", ":material/download: Export"]
DEFAULT_POLICY = "default"
REVIEW_CHOICES = ["accept", Status.MET.value, Status.MISSING.value, Status.CONFLICT.value]


# -- cached resources -------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def get_store(path: str) -> Store:
    """One store per database file, shared by every session (it opens a connection per thread)."""
    return Store(path)


@st.cache_resource(show_spinner="Loading the analysis model (once, a few seconds)…")
def get_analyzer():
    """The analyzer with its embedding model loaded (the slow part, done once per process)."""
    from pipeline.analyze import Analyzer  # imports torch: only when something must be analysed

    analyzer = Analyzer()
    _ = analyzer.embedder
    return analyzer


@st.cache_resource(show_spinner=False)
def get_library() -> Library:
    """The clause library (validated once)."""
    return load_library()


@st.cache_data(show_spinner=False, max_entries=64)
def page_png(folder: str, sha256: str, page: int, text: str) -> bytes | None:
    """A rendered evidence page, or None when the PDF bytes are not kept."""
    from pipeline.render import render_page_png

    data = up.load_pdf(Path(folder), sha256)
    return render_page_png(data, page, text) if data else None


# -- policy state -----------------------------------------------------------------------------------


def set_policy_state(policy: Policy) -> None:
    """Put a policy into the panel's widgets (called before they are drawn, or from a callback)."""
    st.session_state.update(dd.policy_to_state(policy))


def current_policy() -> Policy:
    """The policy as the panel's widgets show it now."""
    return dd.policy_from_state(st.session_state)


def init_policy(store: Store) -> None:
    """On a session's first run, load the saved default policy (else the built-in defaults)."""
    if "pol_breach" in st.session_state:
        return
    policy = Policy()
    if DEFAULT_POLICY in store.list_policies():
        try:
            policy = store.load_policy(DEFAULT_POLICY)
        except ConfigError as exc:
            st.session_state["flash"] = ("error", str(exc))
    set_policy_state(policy)
    st.session_state["pol_name"] = DEFAULT_POLICY


# -- callbacks (run before the script, so they may set widget state) ----------------------------------


def on_rename(store: Store, sha256: str) -> None:
    name = st.session_state[f"vendor_{sha256}"].strip()
    store.set_vendor(sha256, name or None)


def on_forget(store: Store, folder: Path, sha256: str) -> None:
    up.forget(store, folder, sha256)
    st.session_state.pop(f"vendor_{sha256}", None)
    st.session_state["ingested"] = {k: v for k, v in st.session_state.get("ingested", {}).items()
                                    if v.sha256 != sha256}


def on_cell() -> None:
    """A matrix cell was clicked: show its evidence."""
    cells = st.session_state["matrix"].selection.cells
    ids = st.session_state.get("matrix_ids", [])
    if cells and cells[0][0] < len(ids) and cells[0][1] in st.session_state.get("vendor_labels", []):
        st.session_state["ev_vendor"] = cells[0][1]
        st.session_state["ev_req"] = ids[cells[0][0]]
        st.session_state["tab"] = TABS[1]


def on_review(store: Store, sha256: str, requirement: str) -> None:
    choice = st.session_state["rv_choice"]
    status = None if choice == "accept" else choice
    store.add_review(sha256, requirement, status=status, note=st.session_state.get("rv_note", ""))
    st.session_state["rv_note"] = ""
    st.session_state["flash"] = ("success", "Review saved.")


def on_save_policy(store: Store) -> None:
    name = st.session_state.get("pol_name", "").strip() or DEFAULT_POLICY
    store.save_policy(name, current_policy())
    st.session_state["flash"] = ("success", f"Policy {up.md_escape(name)} saved.")


def on_load_policy(store: Store) -> None:
    name = st.session_state.get("pol_stored")
    if name:
        set_policy_state(store.load_policy(name))
        st.session_state["pol_name"] = name


def on_import_policy() -> None:
    upload = st.session_state.get("pol_file")
    if upload is None:
        return
    try:
        set_policy_state(dd.policy_from_upload(upload.name, upload.getvalue()))
        st.session_state["flash"] = ("success", f"Imported {up.md_escape(upload.name)}; save it to keep it.")
    except ConfigError as exc:
        st.session_state["flash"] = ("error", up.md_escape(str(exc)))


# -- sidebar: uploads and documents -----------------------------------------------------------------


def show_result(slot, res: up.IngestResult) -> None:
    """One uploaded file's outcome, next to its name."""
    name = up.md_escape(res.name)
    vendor = f" → **{up.md_escape(res.vendor)}**" if res.vendor else ""
    if res.outcome is up.Outcome.FAILED:
        hint = " Enter its password above." if res.code == "encrypted" else ""
        slot.error(f"**{name}**: {up.md_escape(res.message)}{hint}", icon=":material/error:")
    elif res.outcome is up.Outcome.SKIPPED:
        slot.info(f"**{name}**{vendor}: {up.md_escape(res.message)}", icon=":material/history:")
    else:
        slot.success(f"**{name}**{vendor}: {up.md_escape(res.message)} · {res.seconds:.1f} s",
                     icon=":material/check_circle:")


def upload_panel(store: Store, folder: Path) -> None:
    """Drag-and-drop upload; each new file is analysed once, with its own progress and outcome."""
    files = st.file_uploader("PDF files, several at once", type=["pdf"], accept_multiple_files=True,
                             key="uploads", help="Files already analysed (same content) are not analysed again.")
    password = st.text_input("Password for protected PDFs (optional)", type="password", key="pdf_password")
    done: dict[str, up.IngestResult] = st.session_state.setdefault("ingested", {})
    # A new password retries the files (an encrypted one may open now); analysed ones are skipped by hash.
    keys = [f"{f.file_id}:{hash(password)}" for f in files or []]
    slots = [st.empty() for _ in keys]
    for f, key, slot in zip(files or [], keys, slots, strict=True):
        if key in done:
            show_result(slot, done[key])
        else:
            slot.info(f"**{up.md_escape(f.name)}**: waiting…", icon=":material/hourglass_empty:")
    todo = [(f, key, slot) for f, key, slot in zip(files or [], keys, slots, strict=True) if key not in done]
    if not todo:
        return
    try:
        analyzer = get_analyzer()
    except DpaError as exc:
        st.error(f"The analysis cannot start: {up.md_escape(str(exc))}")
        return
    bar = st.progress(0.0, text="Analysing…")
    for i, (f, key, slot) in enumerate(todo):
        slot.info(f"**{up.md_escape(f.name)}**: analysing…", icon=":material/hourglass_top:")
        done[key] = up.ingest(f.getvalue(), f.name, analyzer, store, folder, password=password or None)
        show_result(slot, done[key])
        bar.progress((i + 1) / len(todo), text=f"{i + 1} of {len(todo)} files done")
    bar.empty()


def documents_panel(store: Store, folder: Path, reports: list[Report]) -> None:
    """Stored documents: the vendor name (editable) and a way to forget a document."""
    with st.expander(f"Documents ({len(reports)})", expanded=False):
        for r in reports:
            key = f"vendor_{r.sha256}"
            st.session_state.setdefault(key, r.vendor or "")
            st.text_input(f"Vendor of {up.md_escape(r.file)}", key=key, on_change=on_rename,
                          args=(store, r.sha256), help="Detected from the document; edit to correct it.")
            st.button("Remove", key=f"del_{r.sha256}", on_click=on_forget, args=(store, folder, r.sha256),
                      type="tertiary")


# -- tabs ---------------------------------------------------------------------------------------------


def compare_tab(reports: list[Report], library: Library, reviews, policy: Policy) -> None:
    """Per-vendor summary and the coloured requirement matrix with filters."""
    st.subheader("Summary per vendor")
    st.dataframe(
        dd.summary_view(reports, library, reviews, policy), hide_index=True,
        column_config={**dd.SUMMARY_LABELS, "met": st.column_config.ProgressColumn(
            "Met", min_value=0, max_value=len(library.ids), format="%d")},
    )
    st.subheader("Requirements × vendors")
    c1, c2, c3, c4 = st.columns([3, 2, 1.4, 1.4])
    groups = c1.multiselect("Groups", [g.value for g in Group], format_func=lambda g: GROUP_TITLES[Group(g)],
                            key="f_groups", placeholder="All groups")
    severities = c2.multiselect("Severity", [s.value for s in Severity], key="f_sev", placeholder="All")
    sort = c3.selectbox("Sort", ["catalogue", "severity", "gaps"], key="f_sort",
                        format_func={"catalogue": "Catalogue order", "severity": "Severity",
                                     "gaps": "Most gaps first"}.get)
    only_gaps = c4.toggle("Only rows with gaps", key="f_gaps")
    view = dd.matrix_view(reports, library, reviews, policy, groups, severities, only_gaps, sort)
    labels = vendor_labels(reports)
    st.session_state["matrix_ids"] = list(view.index)
    st.session_state["vendor_labels"] = labels
    st.caption(f"{dd.legend()}. Click a vendor cell to see its evidence and review it.")
    st.dataframe(
        dd.style_matrix(view, labels), hide_index=True, key="matrix", on_select=on_cell,
        selection_mode="single-cell", height=min(1200, 38 + 35 * len(view)),
        column_config={"Group": st.column_config.TextColumn(width="medium"),
                       "Requirement": st.column_config.TextColumn(width="large"),
                       "Severity": st.column_config.TextColumn(width="small")},
    )


def evidence_tab(store: Store, folder: Path, reports: list[Report], library: Library, reviews) -> None:
    """Deciding (or nearest rejected) passages of one requirement × vendor, the page, and the review."""
    labels = vendor_labels(reports)
    by_label = dict(zip(labels, reports, strict=True))
    if st.session_state.get("ev_vendor") not in by_label:
        st.session_state["ev_vendor"] = labels[0]
    reqs = {r.id: r for r in library.requirements}
    c1, c2 = st.columns(2)
    label = c1.selectbox("Vendor", labels, key="ev_vendor")
    rid = c2.selectbox("Requirement", library.ids, key="ev_req", format_func=lambda i: reqs[i].title)
    report, req = by_label[label], reqs[rid]
    view = dd.evidence_view(report, rid, reviews.get(report.sha256, {}))
    left, right = st.columns([1, 1], gap="large")
    with left:
        st.markdown(f"### {view.headline}")
        st.caption(f"{req.source} · severity {req.severity.value} · {view.checker_line}")
        st.text(req.description)
        if view.finding is not None and view.finding.why:
            st.text(f"Why: {view.finding.why}")
        if view.nearest and view.passages:
            st.warning("No passage meets this requirement. The nearest passages, rejected:", icon=":material/search:")
        elif not view.passages:
            st.info("No passage to show.")
        for i, ev in enumerate(view.passages, 1):
            st.markdown(f"**Passage {i}** · page {ev.page} · {up.md_escape(ev.section) or 'no section'}"
                        f" · score {ev.score:.2f}")
            st.code(ev.text, language=None, wrap_lines=True)
        review_form(store, report, rid, view)
    with right:
        profile = profile_for(report.vendor, load_profiles())
        if profile is not None:
            with st.expander(f"Vendor profile: {up.md_escape(profile.name)}", expanded=False):
                st.dataframe(dd.profile_table(profile), hide_index=True)
        if view.passages:
            n = st.selectbox("Page of passage", range(len(view.passages)), key=f"ev_page_{report.sha256}_{rid}",
                             format_func=lambda k: f"Passage {k + 1} (page {view.passages[k].page})")
            ev = view.passages[n]
            try:
                png = page_png(str(folder), report.sha256, ev.page, ev.text)
            except (DpaError, ValueError) as exc:
                st.warning(f"The page cannot be shown: {up.md_escape(str(exc))}")
            else:
                if png is None:
                    st.info("The PDF is not kept locally (analysed elsewhere); upload it again to see the page.")
                else:
                    st.image(png, width="stretch")


def review_form(store: Store, report: Report, rid: str, view: dd.EvidenceView) -> None:
    """Accept or override the finding, with a note; the history stays visible."""
    st.divider()
    st.markdown("#### Review")
    st.radio("Decision", REVIEW_CHOICES, key="rv_choice", horizontal=True,
             format_func=lambda c: "Accept the checker's status" if c == "accept" else f"Override → {c}")
    st.text_area("Note (why)", key="rv_note", height=80)
    st.button("Save review", key="rv_save", type="primary", on_click=on_review,
              args=(store, report.sha256, rid))
    history = store.review_history(report.sha256, rid)
    if history:
        st.dataframe(dd.review_history_table(history), hide_index=True)


def policy_panel(store: Store) -> None:
    """Thresholds the team accepts; saved in the store, exported and imported as a file."""
    st.subheader("Policy")
    st.number_input("Breach notice at most (hours)", min_value=1, step=1, key="pol_breach",
                    placeholder="no limit", help="Empty = not checked. Art. 33(1) gives the controller 72 h.")
    st.number_input("Deletion at most (days after the end)", min_value=0, step=1, key="pol_deletion",
                    placeholder="no limit")
    st.number_input("Sub-processor notice at least (days)", min_value=0, step=1, key="pol_subnotice",
                    placeholder="not checked")
    st.number_input("Objection period at least (days)", min_value=0, step=1, key="pol_objection",
                    placeholder="not checked")
    st.toggle("Data in the EU/EEA only", key="pol_eu")
    st.toggle("Commitment not to train on our data", key="pol_notrain")
    st.toggle("On-site audits, not only reports", key="pol_onsite")
    st.toggle("Check transfer mechanisms", key="pol_mech_on")
    st.multiselect("Accepted transfer mechanisms", [m.value for m in Mechanism], key="pol_mech",
                   disabled=not st.session_state["pol_mech_on"])
    st.text_input("Policy name", key="pol_name")
    c1, c2 = st.columns(2)
    c1.button("Save policy", key="pol_save", on_click=on_save_policy, args=(store,), type="primary")
    c2.download_button("Export policy file", dd.policy_json(current_policy()), key="pol_export",
                       file_name="dpa-policy.json", mime="application/json")
    stored = store.list_policies()
    if stored:
        c1, c2 = st.columns([2, 1], vertical_alignment="bottom")
        c1.selectbox("Saved policies", stored, key="pol_stored")
        c2.button("Load", key="pol_load", on_click=on_load_policy, args=(store,))
    st.file_uploader("Import a policy file (JSON or YAML)", type=["json", "yaml", "yml"], key="pol_file",
                     on_change=on_import_policy)


def terms_tab(store: Store, reports: list[Report], policy: Policy) -> None:
    """Key terms side by side, deviations from the policy highlighted, and the policy panel."""
    left, right = st.columns([2.2, 1], gap="large")
    with right, st.container(border=True):
        policy_panel(store)
    with left:
        st.subheader("Key terms side by side")
        table, mask = dd.terms_view(reports, policy)
        st.dataframe(dd.style_terms(table, mask))
        st.caption("Red cells deviate from the policy; each deviation counts as a gap.")
        devs = dd.deviations_table(reports, policy)
        st.subheader(f"Policy deviations ({len(devs)})")
        if devs.empty:
            st.success("Every vendor meets the policy.")
        else:
            st.dataframe(devs, hide_index=True)


def export_tab(reports: list[Report], library: Library, reviews, policy: Policy) -> None:
    """Gap lists after review, with policy deviations, per vendor or for all."""
    st.subheader("Export the gap list")
    st.caption("Each row: vendor, requirement, legal source, status after review, evidence and page, and the "
               "clause to request. Rows of kind *verify* follow a vendor's gaps: requirements met with low "
               "confidence, whose passage is worth reading. The Excel workbook has a summary and one sheet per "
               "vendor.")
    scope = st.selectbox("Vendors", ["All vendors", *vendor_labels(reports)], key="x_scope")
    vendor = None if scope == "All vendors" else scope
    cols = st.columns([1, 1, 1, 2])
    for col, (fmt, (label, mime)) in zip(cols, dd.EXPORT_FORMATS.items(), strict=False):
        # Deferred: the file is built only when the button is clicked, not on every rerun.
        col.download_button(
            label, lambda fmt=fmt: dd.export_file(fmt, reports, library, reviews, policy, vendor),
            file_name=dd.export_name(fmt, vendor), mime=mime, key=f"x_{fmt}", icon=":material/download:",
            on_click="ignore",
        )
    gaps = gap_rows(reports, library, reviews, policy)
    if vendor is not None:
        gaps = gaps[gaps["vendor"] == vendor]
    st.dataframe(gaps[dd.GAP_PREVIEW_COLUMNS], hide_index=True,
                 column_config={"request": st.column_config.TextColumn("clause to request", width="large"),
                                "evidence": st.column_config.TextColumn(width="large")})


# -- page ---------------------------------------------------------------------------------------------


def main() -> None:
    """Lay out the page."""
    # A drawn icon, served by the local server: a ":material/…:" or emoji favicon is fetched from a CDN.
    st.set_page_config(page_title="DPA review", page_icon=dd.favicon(), layout="wide")
    db_path = default_db_path()
    store = get_store(str(db_path))
    folder = up.pdf_dir(db_path)
    library = get_library()
    init_policy(store)
    with st.sidebar:
        st.header(":material/upload_file: Add DPAs")
        upload_panel(store, folder)
    reports = dd.sort_reports(store.reports())
    with st.sidebar:
        if reports:
            documents_panel(store, folder, reports)
        st.caption(f"Database: {up.md_escape(str(db_path))}")
    st.title("Vendor DPAs side by side")
    st.caption("GDPR Art. 28 data processing agreements checked against the requirement catalogue. "
               "Not legal advice. :material/lock: Runs entirely on this computer: documents, analyses, "
               "reviews and policies stay in the local database; nothing is sent anywhere.")
    flash = st.session_state.pop("flash", None)  # set by a callback during this rerun
    if flash and flash[0] == "success":
        st.toast(flash[1], icon=":material/check:")
    elif flash:
        st.error(flash[1])
    if not reports:
        st.info("Drop DPA PDFs into the sidebar to compare vendors.", icon=":material/arrow_back:")
        return
    reviews = store.all_reviews()
    policy = current_policy()
    compare, evidence, terms, export = st.tabs(TABS, key="tab", on_change="rerun")
    with compare:
        compare_tab(reports, library, reviews, policy)
    with evidence:
        evidence_tab(store, folder, reports, library, reviews)
    with terms:
        terms_tab(store, reports, policy)
    with export:
        export_tab(reports, library, reviews, policy)


main()

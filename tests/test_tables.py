"""Flattened text tables (pipeline/tables.py): rows rebuilt where the shape is unambiguous, nothing otherwise."""

from __future__ import annotations

import pytest

from pipeline.tables import split_joined, unflatten

# Our own wording, in the shape the corpus PDFs print a Markdown description-of-processing table.
DESCRIPTION = (
    "Data subjects | Purpose of processing | Categories of personal data | Retention period Visitors of the "
    "customer's websites | Measuring page views for the customer's analytics dashboard | Pseudonymised IP "
    "addresses, browser type and referring pages | Thirty days after collection Employees of the customer who log "
    "in | Operating the customer's account and support desk | Names, work e-mail addresses and login history | "
    "The term of the Agreement plus sixty days")


def test_a_flattened_description_table_is_rebuilt_row_by_row():
    rows = unflatten(DESCRIPTION)
    assert rows == [
        ["Data subjects", "Purpose of processing", "Categories of personal data", "Retention period"],
        ["Visitors of the customer's websites", "Measuring page views for the customer's analytics dashboard",
         "Pseudonymised IP addresses, browser type and referring pages", "Thirty days after collection"],
        ["Employees of the customer who log in", "Operating the customer's account and support desk",
         "Names, work e-mail addresses and login history", "The term of the Agreement plus sixty days"],
    ]


def test_short_cells_are_rebuilt_where_only_one_column_count_fits():
    text = "Sub-processor | Purpose | Location Acme Cloud | Hosting | Ireland Beta Mail | E-mail | Germany"
    assert unflatten(text) == [
        ["Sub-processor", "Purpose", "Location"], ["Acme Cloud", "Hosting", "Ireland"],
        ["Beta Mail", "E-mail", "Germany"]]


@pytest.mark.parametrize("text", [
    # Prose that happens to hold pipes.
    "The processor keeps logs | the controller reads them | nobody else does.",
    # Short cells: three columns or four would both fit, so nothing is guessed.
    "Sub-processor | Purpose | Location Acme Cloud | Hosting Services | Ireland Beta Mail | E-mail Delivery | Germany",
    # Two columns (a label and its value): not taken apart here (pipeline/annex.py reads "Label | value").
    "Categories of data | Names and e-mail addresses of the customer's staff",
    # A table written out with its outer pipes keeps them: its rows end at "| |" (pipeline/annex.py).
    "| Field | Value | | Duration | The term of the Agreement |",
    # The count does not fit the header.
    "Data subjects | Purpose | Categories of data Visitors of the site who read the blog | Analytics",
])
def test_other_text_is_left_alone(text):
    assert unflatten(text) is None


@pytest.mark.parametrize(("piece", "end", "start"), [
    ("Retention period Visitors of the site", "Retention period", "Visitors of the site"),
    # "the Client" continues the phrase; "Any" starts the next row's first cell.
    ("requested by the Client Any person whose data is processed", "requested by the Client",
     "Any person whose data is processed"),
    # A number never starts a cell here ("+ 30 days" goes on).
    ("Agreement duration + 30 days Staff of the customer", "Agreement duration + 30 days", "Staff of the customer"),
    ("all lower case words only", "all lower case words only", ""),
])
def test_split_joined(piece, end, start):
    assert split_joined(piece) == (end, start)

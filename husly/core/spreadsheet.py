"""CSV and Excel files for people to open: every export goes through here.

A cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) is read by
spreadsheet programs as a formula, so a name like ``=HYPERLINK("http://...")`` typed into a
form would run in the caseworker's Excel (formula injection). ``safe_cell`` puts an apostrophe
before such text, which the programs show as the text itself. Numbers, dates and booleans pass
unchanged (a negative number is a number, not a formula).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | Decimal | bool | dt.date | None


def safe_cell(value: Cell) -> Cell:
    """The value as it may be written to a CSV or Excel cell."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def csv_bytes(rows: Iterable[Sequence[Cell]], *, delimiter: str = ";") -> bytes:
    """UTF-8 with a byte order mark (so Excel reads æ, ø and å), semicolons by default (the
    Norwegian Excel's list separator)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if cell is None else safe_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(rows: Iterable[Sequence[Cell]], *, title: str = "Ark1") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for row in rows:
        sheet.append([safe_cell(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

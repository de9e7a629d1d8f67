"""The loan administrator's payment file (CSV or XLSX, read with husly.imports' safe reader):
one row per instalment with the columns ``lånenummer``, ``forfall``, ``beløp``, ``betalt`` and
``betalt_dato``. :func:`parse_payment_file` gives the rows to preview, or every error with its
line; :func:`husly.loans.actions.loan_payments_import` then applies all rows or none."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from husly.imports.importers import read_table

COLUMNS = ("lånenummer", "forfall", "beløp", "betalt", "betalt_dato")


@dataclass
class PaymentFile:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _date(text: str) -> dt.date:
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    raise ValueError(text)


def parse_payment_file(filename: str, content: bytes) -> PaymentFile:
    """Read and check every row; nothing is written here."""
    result = PaymentFile()
    table = read_table(filename, content)
    if not table:
        result.errors.append(_("The file is empty."))
        return result
    header = [h.strip().lower() for h in table[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        result.errors.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        return result
    at = {c: header.index(c) for c in COLUMNS}
    for line, cells in enumerate(table[1:], start=2):
        cell = {c: (cells[i].strip() if i < len(cells) else "") for c, i in at.items()}
        try:
            due = _date(cell["forfall"])
            paid_on = _date(cell["betalt_dato"]) if cell["betalt_dato"] else None
        except ValueError:
            result.errors.append(_("Line %(line)s: write dates as DD.MM.YYYY.") % {"line": line})
            continue
        try:
            amount_due = int(cell["beløp"].replace(" ", ""))
            amount_paid = int((cell["betalt"] or "0").replace(" ", ""))
        except ValueError:
            result.errors.append(_("Line %(line)s: amounts are whole kroner.") % {"line": line})
            continue
        result.rows.append(
            {
                "loan_number": cell["lånenummer"],
                "due_on": due,
                "amount_due": amount_due,
                "amount_paid": amount_paid,
                "paid_on": paid_on,
            }
        )
    return result

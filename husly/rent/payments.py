"""Reading payment files: bank statements as CSV or Excel, and Nets OCR giro files.

Every line is checked and every error is reported with its line number, in the user's
language, before anything is booked; a file with an error is booked not at all. Payments are
matched to leases on the KID (one query for the municipality's KIDs); a KID with a wrong check
digit, or one no lease has, leaves the payment unmatched for a person to place. The same
payment (source and the bank's reference) is never booked twice.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from husly.imports.importers import ImportFileError, read_table
from husly.organisation.models import Municipality
from husly.rent import ocr
from husly.rent.files import PaymentFile
from husly.rent.models import BatchKind, Payment, PaymentSource
from husly.tenancy.models import Lease

MAX_OCR_LINES = 250_000
"""100,000 payments (two records each) and headroom."""

BANK_COLUMNS = {
    "dato": "paid_on",
    "beløp": "amount",
    "kid": "kid",
    "referanse": "reference",
    "betaler": "payer",
    "kilde": "source",
}
REQUIRED_COLUMNS = ("dato", "beløp")
SOURCE_WORDS = {
    "": PaymentSource.BANK_FILE,
    "bank": PaymentSource.BANK_FILE,
    "introduksjonsstønad": PaymentSource.INTRODUCTION_BENEFIT,
    "introduksjonsstønad trekk": PaymentSource.INTRODUCTION_BENEFIT,
    "nav": PaymentSource.NAV,
}


def _ocr_message(code: str, params: dict[str, object]) -> str:
    where = {"assignment": _("the assignment"), "file": _("the file")}.get(
        str(params.get("where", "")), ""
    )
    messages = {
        "not_a_record": _("The line is not an OCR record (80 characters starting with NY)."),
        "transmission_open": _("A new transmission starts before the previous one has ended."),
        "assignment_misplaced": _("The assignment starts in the wrong place in the file."),
        "not_ocr_giro": _("Service code %(service)s is not OCR giro (09). Is this the right file?"),
        "outside_assignment": _("The transaction is outside an assignment."),
        "item2_missing": _("Amount item 1 has no amount item 2."),
        "item2_orphan": _("Amount item 2 does not belong to any amount item 1."),
        "item3_orphan": _("Amount item 3 does not belong to any transaction."),
        "assignment_end_orphan": _("The assignment ends without having started."),
        "assignment_open": _("The transmission ends before the assignment has ended."),
        "unknown_record": _("Unknown record type %(record)s."),
        "not_a_number": _("The line has characters where a number or a date should be."),
        "no_end": _("The file has no end record (record type 89). Has it been cut short?"),
        "end_count": _(
            "The end record says %(stated)s transactions in %(where)s, but there are %(found)s."
        ),
        "end_records": _(
            "The end record says %(stated)s records in %(where)s, but there are %(found)s."
        ),
        "end_total": _(
            "The end record says a total of %(stated)s øre in %(where)s, but the sum is %(found)s."
        ),
    }
    return messages[code] % {**params, "where": where}


def read_ocr(content: bytes) -> PaymentFile:
    text = content.decode("iso-8859-1")
    if text.count("\n") > MAX_OCR_LINES:
        raise ImportFileError(
            _("The file has more than %(max)s lines. Split it into smaller files.")
            % {"max": MAX_OCR_LINES}
        )
    parsed = ocr.parse(text)
    result = PaymentFile(kind=BatchKind.OCR)
    result.errors = [(line, _ocr_message(code, params)) for line, code, params in parsed.errors]
    account = parsed.assignment_accounts[0] if parsed.assignment_accounts else ""
    for tx in parsed.transactions:
        if tx.reversal:
            # A reversal takes money back: a person books it against the lease by hand.
            result.reversals += 1
            result.errors.append(
                (
                    tx.line,
                    _("The file has a reversal (KID %(kid)s). Book it by hand and remove it.")
                    % {"kid": tx.kid},
                )
            )
            continue
        result.rows.append(
            {
                "line": tx.line,
                "amount": str(Decimal(tx.amount_ore) / 100),
                "paid_on": (tx.bank_date or tx.settlement_date).isoformat(),
                "kid": tx.kid,
                "reference": (
                    f"{account}-{tx.settlement_date:%y%m%d}-{tx.archive_reference}-{tx.number}"
                ),
                "payer": "",
                "source": PaymentSource.OCR.value,
            }
        )
    return result


def _amount(raw: str) -> Decimal:
    cleaned = raw.replace("\u00a0", "").replace(" ", "").replace("kr", "")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    value = Decimal(cleaned)
    if not value.is_finite():
        raise InvalidOperation
    return value


def _date(raw: str) -> dt.date:
    raw = raw.strip()
    for pattern in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"):
        try:
            return dt.datetime.strptime(raw, pattern).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    raise ValueError(raw)


def read_bank_file(filename: str, content: bytes) -> PaymentFile:
    table = read_table(filename, content)
    result = PaymentFile(kind=BatchKind.BANK_FILE)
    if not table:
        raise ImportFileError(_("The file is empty."))
    header = [cell.strip().lower() for cell in table[0]]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise ImportFileError(
            _("The file must have the columns %(columns)s.") % {"columns": ", ".join(missing)}
        )
    index = {BANK_COLUMNS[name]: i for i, name in enumerate(header) if name in BANK_COLUMNS}
    for number, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        cell = {key: (cells[i].strip() if i < len(cells) else "") for key, i in index.items()}
        errors = []
        try:
            amount = _amount(cell["amount"])
            if amount <= 0:
                errors.append(_("The amount must be more than zero."))
        except (InvalidOperation, ValueError):
            errors.append(_("The amount %(value)s is not a number.") % {"value": cell["amount"]})
            amount = Decimal(0)
        try:
            paid_on = _date(cell["paid_on"])
        except ValueError:
            errors.append(
                _("The date %(value)s is not a date (write 31.12.2026).")
                % {"value": cell["paid_on"]}
            )
            paid_on = None
        source = SOURCE_WORDS.get(cell.get("source", "").lower())
        if source is None:
            errors.append(
                _("The source %(value)s is unknown: write bank, introduksjonsstønad or NAV.")
                % {"value": cell.get("source", "")}
            )
        kid = cell.get("kid", "").replace(" ", "")
        if kid and not kid.isdigit():
            errors.append(_("The KID %(value)s has characters other than digits.") % {"value": kid})
        for message in errors:
            result.errors.append((number, message))
        if errors or paid_on is None or source is None:
            continue
        result.rows.append(
            {
                "line": number,
                "amount": str(amount.quantize(Decimal("0.01"))),
                "paid_on": paid_on.isoformat(),
                "kid": kid,
                "reference": cell.get("reference", "")[:60],
                "payer": cell.get("payer", "")[:100],
                "source": source.value,
            }
        )
    return result


def read_payment_file(filename: str, content: bytes) -> PaymentFile:
    """Read a payment file by its name: ``.csv``/``.xlsx`` is a bank statement, anything
    else (``.txt``, ``.ocr``, ``.dat``) an OCR giro file."""
    name = filename.lower()
    if name.endswith((".csv", ".xlsx")):
        return read_bank_file(filename, content)
    return read_ocr(content)


def match(municipality: Municipality, result: PaymentFile) -> PaymentFile:
    """Match every row on its KID (one query for all the municipality's KIDs) and refuse rows
    booked before (one query on their references)."""
    kids = dict(
        Lease.objects.filter(municipality=municipality)
        .exclude(payment_kid="")
        .values_list("payment_kid", "pk")
    )
    for row in result.rows:
        kid = row["kid"]
        row["lease_id"] = kids.get(kid) if kid and ocr.kid_valid(kid) else None
        if kid and not ocr.kid_valid(kid):
            row["note"] = _("The KID has a wrong check digit.")
        elif kid and row["lease_id"] is None:
            row["note"] = _("No lease has this KID.")
        elif not kid:
            row["note"] = _("No KID.")
    references = [row["reference"] for row in result.rows if row["reference"]]
    seen: set[str] = set()
    for row in result.rows:
        ref = row["reference"]
        if ref and ref in seen:
            result.errors.append(
                (row["line"], _("The reference %(ref)s appears twice in the file.") % {"ref": ref})
            )
        seen.add(ref)
    if references:
        booked = set(
            Payment.objects.filter(municipality=municipality, reference__in=references).values_list(
                "reference", flat=True
            )
        )
        for row in result.rows:
            if row["reference"] in booked:
                result.errors.append(
                    (
                        row["line"],
                        _("This payment has already been booked (reference %(ref)s).")
                        % {"ref": row["reference"]},
                    )
                )
    result.errors.sort()
    return result

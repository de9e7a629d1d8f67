"""Norwegian OCR giro files (Nets, formerly BBS, "OCR giro" file format) and KID check digits.

A pure engine: no Django. Plain text in, plain records and errors (with line numbers) out.

The file is fixed-width, 80 characters a record, ISO 8859-1. Every record starts with
``NY`` (format), a two-digit service code (``00`` for the transmission, ``09`` for OCR giro),
a two-digit transaction or assignment type and a two-digit record type. Positions below are
1-based, as in Nets' system specification "OCR giro" (record layout, Nets/BBS):

* Transmission start, record 10: 9–16 data sender, 17–23 transmission number,
  24–31 data recipient.
* Assignment start, record 20: 5–6 assignment type (``00``), 9–17 agreement id,
  18–24 assignment number, 25–35 assignment account (the account credited).
* Amount item 1, record 30 (5–6 transaction type, e.g. 10 giro debited account, 11 standing
  order, 12 direct remittance, 13 company terminal giro, 14 counter giro, 15 AvtaleGiro,
  16 TeleGiro, 17 cash giro, 18/20 reversals, 19/21 online bank purchases): 9–15 transaction
  number, 16–21 settlement date (DDMMYY), 22–23 centre id, 24–25 day code, 26 partial
  settlement number, 27–31 serial number, 32 sign (``-`` for a negative amount),
  33–49 amount in øre, 50–74 KID (right-aligned, blank-padded), 75–76 card issuer.
* Amount item 2, record 31: 9–15 transaction number, 16–25 form number, 26–34 archive
  reference, 42–47 bank date (DDMMYY), 48–58 debit account.
* Amount item 3, record 32 (only for purchases with text): 9–15 transaction number,
  16–55 free text.
* Assignment end, record 88: 9–16 number of transactions, 17–24 number of records
  (start and end included), 25–41 total amount in øre, 42–47 settlement date,
  48–53 first and 54–59 last settlement date.
* Transmission end, record 89: 9–16 transactions, 17–24 records (all of them),
  25–41 total in øre, 42–47 settlement date.

The parser checks the structure (starts before ends, every 30 followed by its 31) and that the
counts and totals in the end records match the transactions, so a truncated or edited file is
refused as a whole. Reversals (types 18 and 20) have a negative amount and are reported as
such; booking them is left to a person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

RECORD_LENGTH = 80
OCR_SERVICE = "09"
REVERSAL_TYPES = frozenset({"18", "20"})
KID_WEIGHTS_MOD11 = (2, 3, 4, 5, 6, 7)


def mod10_valid(number: str) -> bool:
    """The Luhn (MOD10) check digit, as banks check a KID."""
    if not number.isdigit() or len(number) < 2:  # noqa: PLR2004 - a digit and its check
        return False
    total = 0
    for i, char in enumerate(reversed(number)):
        n = int(char) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n  # noqa: PLR2004 - Luhn
    return total % 10 == 0


def mod11_valid(number: str) -> bool:
    """The MOD11 check digit (weights 2–7 from the right); a check digit of 10 is written
    ``-``, and one of 11 is 0."""
    if len(number) < 2 or not number[:-1].isdigit():  # noqa: PLR2004
        return False
    body, check = number[:-1], number[-1]
    total = sum(
        int(d) * KID_WEIGHTS_MOD11[i % len(KID_WEIGHTS_MOD11)] for i, d in enumerate(reversed(body))
    )
    remainder = 11 - total % 11
    expected = "0" if remainder == 11 else "-" if remainder == 10 else str(remainder)  # noqa: PLR2004
    return check == expected


def kid_valid(kid: str) -> bool:
    """Whether ``kid`` carries a valid MOD10 or MOD11 check digit (Nets accepts either,
    by the agreement)."""
    return mod10_valid(kid) or mod11_valid(kid)


@dataclass(frozen=True)
class OcrTransaction:
    line: int
    transaction_type: str
    number: int
    settlement_date: dt.date
    amount_ore: int
    kid: str
    archive_reference: str = ""
    bank_date: dt.date | None = None
    debit_account: str = ""
    text: str = ""

    @property
    def reversal(self) -> bool:
        return self.transaction_type in REVERSAL_TYPES or self.amount_ore < 0

    @property
    def reference(self) -> str:
        """What makes the payment unique: assignment account is added by the caller."""
        return f"{self.archive_reference}-{self.number}"


@dataclass
class OcrFile:
    transactions: list[OcrTransaction] = field(default_factory=list)
    assignment_accounts: list[str] = field(default_factory=list)
    transmission_number: str = ""
    errors: list[tuple[int, str, dict[str, object]]] = field(default_factory=list)
    """``(line, code, params)``: the Django layer words each code for the person importing."""


def _date(text: str) -> dt.date:
    # DDMMYY; years 00-79 are 2000-2079, 80-99 are 1980-1999 (Nets' files began in the 1980s).
    year = int(text[4:6])
    return dt.date(year + (1900 if year >= 80 else 2000), int(text[2:4]), int(text[0:2]))  # noqa: PLR2004


class _Stop(Exception):  # noqa: N818 - a signal: the file is broken beyond this line
    pass


def _lines(content: str) -> Iterator[tuple[int, str]]:
    for number, raw in enumerate(content.splitlines(), start=1):
        line = raw.rstrip("\r\n")
        if line.strip():
            yield number, line


def parse(content: str) -> OcrFile:  # noqa: PLR0912, PLR0915 - one branch per record type
    """Parse an OCR giro file. Every error is reported with its line; a file with errors
    must not be booked."""
    result = OcrFile()
    errors = result.errors
    in_transmission = in_assignment = False
    pending: OcrTransaction | None = None
    count = records = total = 0
    all_count = all_records = all_total = 0
    seen_end = False
    for number, line in _lines(content):
        all_records += 1
        if len(line) != RECORD_LENGTH or not line.startswith("NY"):
            errors.append((number, "not_a_record", {}))
            continue
        service, kind, record = line[2:4], line[4:6], line[6:8]
        try:
            if record == "10":
                if in_transmission:
                    errors.append((number, "transmission_open", {}))
                in_transmission = True
                result.transmission_number = line[16:23]
            elif record == "20":
                if not in_transmission or in_assignment:
                    errors.append((number, "assignment_misplaced", {}))
                if service != OCR_SERVICE:
                    errors.append((number, "not_ocr_giro", {"service": service}))
                in_assignment = True
                result.assignment_accounts.append(line[24:35])
                count = 0
                records = 1
                total = 0
            elif record == "30":
                records += 1
                if not in_assignment:
                    errors.append((number, "outside_assignment", {}))
                if pending is not None:
                    errors.append((pending.line, "item2_missing", {}))
                sign = -1 if line[31] == "-" else 1
                amount = sign * int(line[32:49])
                pending = OcrTransaction(
                    line=number,
                    transaction_type=kind,
                    number=int(line[8:15]),
                    settlement_date=_date(line[15:21]),
                    amount_ore=amount,
                    kid=line[49:74].strip(),
                )
                count += 1
                total += amount
            elif record == "31":
                records += 1
                if pending is None or int(line[8:15]) != pending.number:
                    errors.append((number, "item2_orphan", {}))
                    continue
                bank_date = line[41:47]
                pending = OcrTransaction(
                    line=pending.line,
                    transaction_type=pending.transaction_type,
                    number=pending.number,
                    settlement_date=pending.settlement_date,
                    amount_ore=pending.amount_ore,
                    kid=pending.kid,
                    archive_reference=line[25:34],
                    bank_date=_date(bank_date) if bank_date.strip("0") else None,
                    debit_account=line[47:58].strip("0") and line[47:58],
                )
                if kind not in {"20", "21"}:
                    result.transactions.append(pending)
                    pending = None
            elif record == "32":
                records += 1
                if pending is None:
                    errors.append((number, "item3_orphan", {}))
                    continue
                result.transactions.append(
                    OcrTransaction(**{**pending.__dict__, "text": line[15:55].strip()})
                )
                pending = None
            elif record == "88":
                records += 1
                if not in_assignment:
                    errors.append((number, "assignment_end_orphan", {}))
                if pending is not None:
                    errors.append((pending.line, "item2_missing", {}))
                    pending = None
                _check_totals(number, line, count, records, total, errors, "assignment")
                all_count += count
                all_total += total
                in_assignment = False
            elif record == "89":
                if in_assignment:
                    errors.append((number, "assignment_open", {}))
                _check_totals(number, line, all_count, all_records, all_total, errors, "file")
                in_transmission = False
                seen_end = True
            else:
                errors.append((number, "unknown_record", {"record": record}))
        except ValueError:
            errors.append((number, "not_a_number", {}))
    if not seen_end:
        errors.append((all_records, "no_end", {}))
    return result


def _check_totals(  # noqa: PLR0917 - the end record and the three figures to check
    number: int,
    line: str,
    count: int,
    records: int,
    total: int,
    errors: list[tuple[int, str, dict[str, object]]],
    what: str,
) -> None:
    if int(line[8:16]) != count:
        errors.append(
            (number, "end_count", {"stated": int(line[8:16]), "found": count, "where": what})
        )
    if int(line[16:24]) != records:
        errors.append(
            (number, "end_records", {"stated": int(line[16:24]), "found": records, "where": what})
        )
    if int(line[24:41]) != total:
        errors.append(
            (number, "end_total", {"stated": int(line[24:41]), "found": total, "where": what})
        )


def write(
    transactions: list[tuple[int, str, dt.date, str]],
    *,
    account: str = "15030100007",
    transmission: str = "1000001",
    on: dt.date | None = None,
) -> str:
    """An OCR giro file for ``(amount_ore, kid, date, archive_reference)`` rows: for tests,
    the demo and the benchmark (the same layout as :func:`parse` reads)."""
    day = (on or (transactions[0][2] if transactions else dt.date(2026, 1, 1))).strftime("%d%m%y")
    lines = ["NY000010" + "00008080" + transmission + "00008080" + "0" * 49]
    lines.append("NY090020" + "001008566" + "0000001" + account + "0" * 45)
    total = 0
    for i, (amount, kid, date, archive) in enumerate(transactions, start=1):
        d = date.strftime("%d%m%y")
        sign = "-" if amount < 0 else "0"
        lines.append(f"NY091030{i:07d}{d}1320101464{sign}{abs(amount):017d}{kid:>25}000000")
        lines.append(f"NY091031{i:07d}{'0' * 10}{archive:>09}{'0' * 7}{d}{'0' * 11}{'0' * 22}")
        total += amount
    n = len(transactions)
    lines.append(f"NY090088{n:08d}{2 * n + 2:08d}{total:017d}{day}{day}{day}{'0' * 21}")
    lines.append(f"NY000089{n:08d}{2 * n + 4:08d}{total:017d}{day}{'0' * 33}")
    return "\n".join(lines) + "\n"

"""Reading SSB table 03013 (konsumprisindeks, totalindeks) as statbank gives it for download.

Two formats are read:

* CSV, as statbank's "semikolonseparert/kommaseparert med overskrift" in the long layout (one
  row a month: ``"Totalindeks";"2025M10";"Konsumprisindeks (2015=100)";139.6``) or the wide
  layout (one column a month, ``"Konsumprisindeks (2015=100) 2025M10"``), in UTF-8 or
  Windows-1252, decimal comma or point, ``..`` for a value not yet published;
* JSON-stat 2.0 (``"version": "2.0", "class": "dataset"``), as the statbank API gives it.

When the file holds more than one consumer group or statistics variable (monthly change,
12-month change), only the total index is kept; a file that still has two values for a month
is refused. Every error names the line (CSV) and is in the user's language; nothing is written
when there is one (the caller imports all or nothing).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

MONTH = re.compile(r"(\d{4})M(\d{2})")
BASE = re.compile(r"(\d{4})\s*=\s*100")
MONTHS_A_YEAR = 12
FIRST_YEAR, LAST_YEAR = 1900, 2100
HIGHEST = 1000
MISSING = {"", ".", "..", "...", ":", "-"}
_WANTED = re.compile(r"total|indeks|index|kpiind", re.IGNORECASE)
_UNWANTED = re.compile(r"endr|change|prosent|percent|vekt|weight", re.IGNORECASE)


@dataclass
class CpiFile:
    values: dict[date, Decimal] = field(default_factory=dict)
    base: str = ""
    errors: list[str] = field(default_factory=list)
    missing: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.values)


def _month(code: str) -> date | None:
    found = MONTH.fullmatch(code.strip())
    if not found:
        return None
    year, month = int(found.group(1)), int(found.group(2))
    if not (1 <= month <= MONTHS_A_YEAR and FIRST_YEAR <= year <= LAST_YEAR):
        return None
    return date(year, month, 1)


def _wanted(text: str) -> bool:
    return bool(_WANTED.search(text)) and not _UNWANTED.search(text)


def _value(raw: str, where: str, result: CpiFile) -> Decimal | None:
    text = raw.strip().replace("\u00a0", "").replace(" ", "")
    if text in MISSING:
        result.missing += 1
        return None
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        result.errors.append(
            _("%(where)s: «%(value)s» is not a number.") % {"where": where, "value": raw}
        )
        return None
    if not value.is_finite() or value <= 0 or value >= HIGHEST:
        result.errors.append(
            _("%(where)s: the index %(value)s is not between 0 and 1000.")
            % {"where": where, "value": raw}
        )
        return None
    if value != value.quantize(Decimal("0.1")):
        result.errors.append(
            _("%(where)s: SSB publishes the index with one decimal, not «%(value)s».")
            % {"where": where, "value": raw}
        )
        return None
    return value.quantize(Decimal("0.1"))


def _put(result: CpiFile, month: date, value: Decimal, where: str) -> None:
    if month in result.values and result.values[month] != value:
        result.errors.append(
            _(
                "%(where)s: %(month)s has two different values. Download only the total index "
                "(konsumgruppe «Totalindeks», statistikkvariabel «Konsumprisindeks»)."
            )
            % {"where": where, "month": f"{month:%Y}M{month:%m}"}
        )
        return
    result.values[month] = value


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252")


def parse(content: bytes) -> CpiFile:
    """The monthly values of the total index in ``content`` (CSV or JSON-stat 2.0)."""
    result = CpiFile()
    if not content.strip():
        result.errors.append(_("The file is empty."))
        return result
    text = _decode(content)
    if text.lstrip().startswith("{"):
        _parse_json_stat(text, result)
    else:
        _parse_csv(text, result)
    if not result.errors and not result.values:
        result.errors.append(
            _(
                "The file has no index values with month codes like 2025M10. Download table "
                "03013 from SSB's statbank with the months as «måned»."
            )
        )
    return result


# --- CSV -------------------------------------------------------------------------------------


def _parse_csv(text: str, result: CpiFile) -> None:
    delimiter = ";" if ";" in text else ("\t" if text.count("\t") > text.count(",") else ",")
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    found = BASE.search(text)
    result.base = f"{found.group(1)}=100" if found else ""
    long_rows = [
        (number, row)
        for number, row in enumerate(rows, start=1)
        if len(row) > 1 and any(_month(cell) for cell in row[:-1])
    ]
    if long_rows:
        _csv_long(long_rows, result)
        return
    for number, row in enumerate(rows, start=1):
        months = {i: _month(MONTH.search(c).group(0)) for i, c in enumerate(row) if MONTH.search(c)}
        if months:
            _csv_wide(rows, number, row, months, result)
            return


def _csv_long(rows: list[tuple[int, list[str]]], result: CpiFile) -> None:
    month_col = next(i for i, cell in enumerate(rows[0][1]) if _month(cell))
    width = len(rows[0][1])
    labels = [i for i in range(width - 1) if i != month_col]
    varying = [i for i in labels if len({r[i] for _, r in rows if len(r) == width}) > 1]
    for number, row in rows:
        where = _("line %(n)s") % {"n": number}
        if len(row) != width:
            result.errors.append(
                _("%(where)s: %(found)s columns, expected %(expected)s.")
                % {"where": where, "found": len(row), "expected": width}
            )
            continue
        if not all(_wanted(row[i]) for i in varying):
            continue
        month = _month(row[month_col])
        if month is None:
            result.errors.append(
                _("%(where)s: «%(value)s» is not a month code like 2025M10.")
                % {"where": where, "value": row[month_col]}
            )
            continue
        value = _value(row[-1], where, result)
        if value is not None:
            _put(result, month, value, where)


def _csv_wide(
    rows: list[list[str]],
    header_number: int,
    header: list[str],
    months: dict[int, date | None],
    result: CpiFile,
) -> None:
    for i, month in months.items():
        if month is None:
            result.errors.append(
                _("%(where)s: «%(value)s» is not a month code like 2025M10.")
                % {"where": _("line %(n)s") % {"n": header_number}, "value": header[i]}
            )
    columns = [i for i in months if months[i] is not None and not _UNWANTED.search(header[i])]
    data = [
        (number, row)
        for number, row in enumerate(rows[header_number:], start=header_number + 1)
        if len(row) > max(columns, default=0) and any(row[i].strip() for i in columns)
    ]
    labels = [i for i in range(len(header)) if i not in months]
    varying = [i for i in labels if len({r[i] for _, r in data if i < len(r)}) > 1]
    for number, row in data:
        if not all(_wanted(row[i]) for i in varying if i < len(row)):
            continue
        where = _("line %(n)s") % {"n": number}
        for i in columns:
            month = months[i]
            value = _value(row[i], where, result)
            if month is not None and value is not None:
                _put(result, month, value, where)


# --- JSON-stat 2.0 ---------------------------------------------------------------------------


def _codes(dimension: dict[str, Any]) -> list[str]:
    index = dimension.get("category", {}).get("index")
    if isinstance(index, list):
        return [str(c) for c in index]
    if isinstance(index, dict):
        return [c for c, _pos in sorted(index.items(), key=lambda kv: kv[1])]
    labels = dimension.get("category", {}).get("label", {})
    return list(labels)


def _parse_json_stat(text: str, result: CpiFile) -> None:  # noqa: PLR0912
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        result.errors.append(
            _("The file is not valid JSON (line %(line)s): %(msg)s")
            % {"line": error.lineno, "msg": error.msg}
        )
        return
    if not isinstance(data, dict) or data.get("class") != "dataset" or "dimension" not in data:
        result.errors.append(
            _("The file is not a JSON-stat 2.0 dataset (class «dataset» with «dimension»).")
        )
        return
    ids: list[str] = list(data.get("id", []))
    sizes: list[int] = list(data.get("size", []))
    dimensions: dict[str, Any] = data["dimension"]
    if len(ids) != len(sizes) or any(i not in dimensions for i in ids):
        result.errors.append(_("The JSON-stat file's «id» and «size» do not match its dimensions."))
        return
    codes = {i: _codes(dimensions[i]) for i in ids}
    time_ids = list(data.get("role", {}).get("time", [])) or [
        i for i in ids if codes[i] and all(_month(c) for c in codes[i])
    ]
    if not time_ids:
        result.errors.append(_("The JSON-stat file has no month dimension (codes like 2025M10)."))
        return
    time_id = time_ids[0]
    chosen: dict[str, int] = {}
    for i in ids:
        if i == time_id:
            continue
        labels = dimensions[i].get("category", {}).get("label", {})
        if len(codes[i]) == 1:
            chosen[i] = 0
            continue
        wanted = [p for p, c in enumerate(codes[i]) if _wanted(f"{c} {labels.get(c, '')}")]
        if len(wanted) != 1:
            result.errors.append(
                _(
                    "The dimension «%(dim)s» has several values and the total index is not one "
                    "clear choice among them. Download only the total index."
                )
                % {"dim": dimensions[i].get("label", i)}
            )
            return
        chosen[i] = wanted[0]
    found = BASE.search(
        json.dumps({k: v for k, v in data.items() if k != "value"}, ensure_ascii=False)
    )
    result.base = f"{found.group(1)}=100" if found else ""
    strides = {}
    stride = 1
    for i, size in reversed(list(zip(ids, sizes, strict=True))):
        strides[i] = stride
        stride *= size
    values = data.get("value", [])
    offset = sum(chosen[i] * strides[i] for i in chosen)
    for position, code in enumerate(codes[time_id]):
        month = _month(code)
        where = code
        if month is None:
            result.errors.append(
                _("%(where)s: «%(value)s» is not a month code like 2025M10.")
                % {"where": time_id, "value": code}
            )
            continue
        flat = offset + position * strides[time_id]
        raw = (
            values.get(str(flat))
            if isinstance(values, dict)
            else (values[flat] if flat < len(values) else None)
        )
        if raw is None:
            result.missing += 1
            continue
        value = _value(str(raw), where, result)
        if value is not None:
            _put(result, month, value, where)

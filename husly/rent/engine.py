"""Rent arithmetic: part months and the consumer price index adjustment. Pure: no Django.

Sources: husleieloven § 4-2 (index adjustment: either party may demand the rent adjusted to
the change in the consumer price index since the rent was last set, at the earliest one year
after the last change, with one month's written notice); Rælingen appendix 5 (rents are index-
regulated one year after the lease starts). Part months (a lease starting or ending inside a
month) are billed by the day (design default, docs/rent.md).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

PUBLICATION_DAY = 10
"""SSB publishes the CPI for a month around the 10th of the next (design default: a notice
written before the 10th uses the month before last)."""


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def part_month(
    monthly: int, month: dt.date, start: dt.date, end: dt.date | None
) -> tuple[int, int]:
    """``(amount, days)`` for a month of a lease running ``start``–``end`` (inclusive;
    ``end`` None: open). ``days`` is 0 for a whole month; otherwise the rent is billed by
    the day, rounded half up to whole kroner (as the rent roll's SQL does)."""
    first, last = month_start(month), month_end(month)
    begin = max(first, start)
    finish = min(last, end) if end else last
    if finish < begin:
        return 0, 0
    if begin == first and finish == last:
        return monthly, 0
    days = (finish - begin).days + 1
    amount = (Decimal(monthly) * days / last.day).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(amount), days


def published_index_month(on: dt.date) -> dt.date:
    """The latest month whose CPI is published on ``on``."""
    back = 1 if on.day >= PUBLICATION_DAY else 2
    return add_months(month_start(on), -back)


def earliest_effective(last_set: dt.date, notice_on: dt.date) -> dt.date:
    """The first day of a month on which an index adjustment may take effect: a year after
    the rent was last set and a month after the written notice (§ 4-2), whichever is later."""
    earliest = max(add_months(last_set, 12), add_months(notice_on, 1))
    return earliest if earliest.day == 1 else add_months(month_start(earliest), 1)


@dataclass(frozen=True)
class IndexAdjustment:
    old: int
    new: int
    index_from_month: dt.date
    index_from: Decimal
    index_to_month: dt.date
    index_to: Decimal

    @property
    def change(self) -> Decimal:
        return (self.index_to / self.index_from - 1) * 100


def index_adjust(
    old: int,
    *,
    index_from_month: dt.date,
    index_from: Decimal,
    index_to_month: dt.date,
    index_to: Decimal,
) -> IndexAdjustment:
    """The new rent: the old rent times the change in the index, rounded down to whole kroner
    so it never exceeds what § 4-2 allows."""
    new = (Decimal(old) * index_to / index_from).quantize(Decimal(1), rounding=ROUND_FLOOR)
    return IndexAdjustment(
        old=old,
        new=int(new),
        index_from_month=index_from_month,
        index_from=index_from,
        index_to_month=index_to_month,
        index_to=index_to,
    )

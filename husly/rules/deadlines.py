"""Deadlines and calendar arithmetic for case processing (pure Python, no Django).

Every function takes and returns plain :class:`datetime.date` values. The Norwegian public-holiday
calendar comes from the ``holidays`` package (``holidays.Norway``).

Legal sources, and where each rule comes from:

* **Appeal deadline** (*klagefrist*): forvaltningsloven § 29 first paragraph: three weeks from the
  day notification of the decision reached the party.
* **When an appeal is in time**: forvaltningsloven § 30: it is enough that the appeal, before the
  deadline expires, has been handed to a postal service provider or has reached the administrative
  body. (§ 30 says nothing about weekends or holidays.)
* **How the deadline is counted**: forvaltningsloven has no counting rule of its own; the
  established practice is to apply the rules of domstolloven by analogy:

  - domstolloven § 148: the day of the event that starts the deadline is not counted; a deadline in
    weeks, months or years ends on the day of the last week or month that by name or number
    corresponds to the starting day; if that day is missing in the last month, the deadline ends
    on the last day of that month;
  - domstolloven § 149: a deadline that ends on a Saturday, a Sunday or holiday (*helgedag*), or a
    day the law treats as one, is extended to the next working day (*virkedag*).

  Holidays here are those of helligdagsloven plus 1 and 17 May (lov om 1. og 17. mai som
  offentlige høgtidsdager), which is what ``holidays.Norway`` lists. Christmas Eve and New Year's
  Eve are ordinary working days for this purpose.
* **Allocation promise**: Rælingen's allocation guidelines point 7.1 (raelingen L5483–5485): an
  applicant with *tilsagn* shall be allocated a dwelling within 6 months.
* **Start-loan approval validity**: Rælingen's start-loan case-processing guideline
  (raelingen L5697–5699): *tilsagn* is normally valid for 3 months from the decision date.
* **Renewal application**: Rælingen's allocation guidelines point 7.5 (raelingen L5538–5540): an
  application to renew a lease should be made at least four months before the lease expires.
"""

from __future__ import annotations

import calendar
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import cast

import holidays

__all__ = [
    "APPEAL_DEADLINE_WEEKS",
    "Deadline",
    "add_business_days",
    "add_months",
    "add_years",
    "allocation_deadline",
    "allocation_promise_months",
    "appeal_deadline",
    "appeal_deadline_detail",
    "business_days_between",
    "is_appeal_in_time",
    "is_business_day",
    "is_public_holiday",
    "next_business_day",
    "renewal_application_due",
    "roll_forward",
    "start_loan_approval_valid_until",
]

APPEAL_DEADLINE_WEEKS = 3
"""Forvaltningsloven § 29 first paragraph: the appeal deadline is three weeks."""

ALLOCATION_PROMISE_MONTHS = 6
"""Rælingen guidelines point 7.1 (raelingen L5483–5485): allocation within 6 months of tilsagn.
The value in force is the dated municipal parameter ``municipal.<number>.allocation.
promise_months`` (:func:`allocation_promise_months`); this is only the default for a
municipality that has entered none."""

START_LOAN_APPROVAL_VALID_MONTHS = 3
"""Rælingen start-loan guideline (raelingen L5697–5699): tilsagn normally valid for 3 months."""

RENEWAL_APPLICATION_MONTHS_BEFORE_EXPIRY = 4
"""Rælingen guidelines point 7.5 (raelingen L5538–5540): apply at least four months before
expiry."""

# Lazily expanding calendar: years are added on first lookup.
_NORWAY = holidays.country_holidays("NO")


SATURDAY = 5  # date.weekday(): Monday is 0


def is_public_holiday(day: date) -> bool:
    """True if ``day`` is a Norwegian public holiday (helligdag or høgtidsdag, see module doc)."""
    return day in _NORWAY


def is_business_day(day: date) -> bool:
    """True if ``day`` is a working day: Monday to Friday and not a public holiday.

    This is the *virkedag* of domstolloven § 149 (Saturdays, Sundays and holidays excluded).
    """
    return day.weekday() < SATURDAY and not is_public_holiday(day)


def roll_forward(day: date) -> date:
    """Return ``day`` if it is a working day, else the next working day after it.

    Domstolloven § 149 (applied by analogy to forvaltningsloven deadlines): a deadline ending on a
    Saturday, Sunday or holiday is extended to the next working day.
    """
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def next_business_day(day: date) -> date:
    """Return the first working day strictly after ``day``."""
    return roll_forward(day + timedelta(days=1))


def add_business_days(start: date, days: int) -> date:
    """Return the date ``days`` working days after ``start`` (before it if ``days`` is negative).

    ``start`` itself is not counted (domstolloven § 148: the starting day is not part of the
    deadline), so ``add_business_days(friday, 1)`` is the next Monday unless that is a holiday.
    ``add_business_days(d, 0)`` returns ``d`` unchanged, even on a holiday.
    """
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    day = start
    while remaining:
        day += timedelta(days=step)
        if is_business_day(day):
            remaining -= 1
    return day


def business_days_between(start: date, end: date) -> int:
    """Count working days after ``start`` up to and including ``end``.

    The inverse of :func:`add_business_days`: ``business_days_between(d, add_business_days(d, n))``
    is ``n`` for every ``n >= 0``. If ``end`` is before ``start`` the count is negative (the
    working days after ``end`` up to and including ``start``, negated). Equal dates give 0.
    """
    if end < start:
        return -business_days_between(end, start)
    # Counted, not walked day by day (the work list counts thousands of deadlines per page):
    # Monday to Friday in (start, end], less the public holidays on those weekdays.
    holidays_between = sum(
        bisect_right(days, end) - bisect_right(days, start)
        for days in (_weekday_holidays(year) for year in range(start.year, end.year + 1))
    )
    return _weekdays_through(end) - _weekdays_through(start) - holidays_between


def _weekdays_through(day: date) -> int:
    """Mondays to Fridays from 1 January of year 1 (a Monday) up to and including ``day``."""
    weeks, rest = divmod(day.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


@lru_cache(maxsize=256)
def _weekday_holidays(year: int) -> tuple[date, ...]:
    """The public holidays of ``year`` that fall on a Monday to Friday, in order."""
    first = date(year, 1, 1)
    return tuple(
        day
        for day in (first + timedelta(days=k) for k in range((date(year + 1, 1, 1) - first).days))
        if day.weekday() < SATURDAY and is_public_holiday(day)
    )


def add_months(day: date, months: int) -> date:
    """Add calendar months the way domstolloven § 148 counts deadlines in months.

    The result is the day of the last month with the same number as ``day``; if that month is
    shorter, the last day of the month (31 January + 1 month is 28 or 29 February). No roll-forward
    is applied; use :func:`roll_forward` for that.
    """
    month_index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(month_index, 12)
    month = month0 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def add_years(day: date, years: int) -> date:
    """Add calendar years with the domstolloven § 148 convention (29 February → 28 February)."""
    return add_months(day, 12 * years)


@dataclass(frozen=True)
class Deadline:
    """A computed deadline: the nominal date, the due date after roll-forward, and its basis."""

    starts_on: date
    """The event date the deadline runs from (not itself counted)."""
    nominal_date: date
    """The date the counting rule gives, before any roll-forward."""
    due_date: date
    """The last day on which the act is in time."""
    legal_basis: str
    """Where the rule comes from, as a citation."""

    @property
    def rolled_forward(self) -> bool:
        """True if the nominal date fell on a non-working day and was moved."""
        return self.due_date != self.nominal_date


def appeal_deadline_detail(notified_on: date, *, weeks: int = APPEAL_DEADLINE_WEEKS) -> Deadline:
    """Compute the appeal deadline with its nominal date and legal basis.

    Forvaltningsloven § 29: three weeks from the day notification reached the party
    (``notified_on``). Counted by analogy with domstolloven § 148 (a deadline in weeks ends on the
    same weekday ``weeks`` weeks later) and § 149 (a deadline ending on a Saturday, Sunday or
    holiday moves to the next working day). When notification "reached" the party (post, digital
    mailbox) is for the caller to establish; this function takes that date as given.
    """
    nominal = notified_on + timedelta(weeks=weeks)
    return Deadline(
        starts_on=notified_on,
        nominal_date=nominal,
        due_date=roll_forward(nominal),
        legal_basis=(
            "forvaltningsloven § 29 (tre uker fra underretning); fristberegning etter "
            "domstolloven §§ 148 og 149 analogisk"
        ),
    )


def appeal_deadline(notified_on: date, *, weeks: int = APPEAL_DEADLINE_WEEKS) -> date:
    """Return the last day to appeal a decision notified on ``notified_on``.

    Forvaltningsloven § 29 (three weeks from notification), counted by analogy with domstolloven
    §§ 148–149; see :func:`appeal_deadline_detail`. Example: notified Thursday 7 March 2024, the
    three weeks end on Maundy Thursday 28 March, so the deadline is Tuesday 2 April 2024.
    """
    return appeal_deadline_detail(notified_on, weeks=weeks).due_date


def is_appeal_in_time(
    notified_on: date,
    received_on: date,
    *,
    posted_on: date | None = None,
    weeks: int = APPEAL_DEADLINE_WEEKS,
) -> bool:
    """Whether an appeal was lodged in time.

    Forvaltningsloven § 30: an appeal is in time if, before the deadline expired, it reached the
    administrative body (``received_on``) **or** was handed to a postal service provider
    (``posted_on``, e.g. the postmark date). Pass ``posted_on`` whenever it is known: an appeal
    received after the deadline but posted within it is in time. If only ``received_on`` is known,
    the result can wrongly say "late" for an appeal posted in time; the caller must then check the
    postmark before rejecting. Late appeals may still be considered under forvaltningsloven § 31,
    which is a discretionary matter outside this function.
    """
    due = appeal_deadline(notified_on, weeks=weeks)
    if received_on <= due:
        return True
    return posted_on is not None and posted_on <= due


def allocation_promise_months(municipality_number: str, on: date) -> int:
    """Months within which an approved applicant shall be allocated a dwelling, in force in the
    municipality on ``on``: the dated parameter ``municipal.<number>.allocation.promise_months``
    (Rælingen: guideline 7.1, raelingen L5483–5485). A municipality that has entered no promise
    of its own is counted by Rælingen's six months (:data:`ALLOCATION_PROMISE_MONTHS`), as the
    figures and letters did before the parameter existed."""
    from husly.rules.errors import OutsideParameterCoverageError
    from husly.rules.params import default_tree

    tree = default_tree()
    path = f"municipal.{municipality_number}.allocation.promise_months"
    if path not in tree:
        return ALLOCATION_PROMISE_MONTHS
    try:
        value = tree.at(path, on).value
    except OutsideParameterCoverageError:  # before the promise was made
        return ALLOCATION_PROMISE_MONTHS
    # A number: the parameter loader refuses a file whose value is not (ParameterFileError).
    return int(cast(float, value))


def longest_allocation_promise_months(municipality_number: str) -> int:
    """The longest promise (months) the municipality has had in force on any day, or Rælingen's
    six months where it has entered none (:func:`allocation_promise_months`, the same dated
    parameter): no approval's deadline lies further from its day than this."""
    from husly.rules.params import default_tree

    tree = default_tree()
    path = f"municipal.{municipality_number}.allocation.promise_months"
    months = [ALLOCATION_PROMISE_MONTHS]
    if path in tree:
        months += [int(cast(float, e.value)) for e in tree.get(path).entries if e.value is not None]
    return max(months)


def allocation_deadline(approved_on: date, *, months: int = ALLOCATION_PROMISE_MONTHS) -> date:
    """Return the date by which an applicant with *tilsagn* shall have been allocated a dwelling.

    Rælingen allocation guidelines point 7.1 (raelingen L5483–5485): "En søker som får tilsagn på
    en kommunal utleiebolig uten tjenester, skal få tildelt bolig innen 6 måneder." Counted as
    calendar months from the approval date (domstolloven § 148 convention for short months).
    This is the municipality's own promise, not a party's deadline, so it is **not** moved to the
    next working day: the municipality must act by this date.
    """
    return add_months(approved_on, months)


def start_loan_approval_valid_until(
    decided_on: date, *, months: int = START_LOAN_APPROVAL_VALID_MONTHS
) -> date:
    """Return the last day a start-loan approval (*tilsagn*) is valid.

    Rælingen start-loan guideline (raelingen L5697–5699): "Tilsagn gjelder normalt i 3 måneder fra
    vedtaksdato." Calendar months from the decision date (30 November + 3 months is 28 or 29
    February). "Normalt" means the decision can state another period; pass ``months`` then.
    """
    return add_months(decided_on, months)


def renewal_application_due(
    lease_ends_on: date, *, months_before: int = RENEWAL_APPLICATION_MONTHS_BEFORE_EXPIRY
) -> date:
    """Return the latest recommended date to apply for renewal of a lease ending ``lease_ends_on``.

    Rælingen allocation guidelines point 7.5 (raelingen L5538–5540): the renewal application
    "bør fremsettes minst fire måneder før utløpet av inngått leiekontrakt". It is a recommendation
    ("bør"), so a later application is still an application; the date is for reminders.
    """
    return add_months(lease_ends_on, -months_before)

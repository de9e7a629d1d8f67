"""Quality flags on a stay in temporary accommodation (pure: no Django).

Bolig for velferd (2014–2020), resultatmål 2: "Midlertidige botilbud skal bare unntaksvis
benyttes av barnefamilier og unge, og slike opphold skal ikke vare mer enn tre måneder." Oslo
aims at no one longer than three months and none straight from prison or an institution (Oslo
notes 3.5, 4.6). A policy target, not a statutory limit: these are flags, never refusals
(spec/law-and-parameters.md § 7.1). The age of "young" and the three months are dated
parameters (``national.temporary_accommodation``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from husly.rules.deadlines import add_months, add_years

CHILDREN = "children"
YOUNG = "young"
OVER_LIMIT = "over_limit"
DISCHARGE = "discharge"
REPEATED = "repeated"
ALL_FLAGS = (CHILDREN, YOUNG, OVER_LIMIT, DISCHARGE, REPEATED)


@dataclass(frozen=True)
class StayFlags:
    days: int
    flags: tuple[str, ...]
    limit_on: dt.date
    """The day the stay passes the longest stay (three months)."""


def stay_flags(
    *,
    starts_on: dt.date,
    until: dt.date,
    born: Iterable[dt.date | None],
    discharge: str,
    earlier_stays: int,
    young_age: int,
    longest_months: int,
) -> StayFlags:
    """Flags for one stay on ``until`` (today, or the morning it ended).

    - children: a member under 18 on ``until``; young: a member from 18 to under ``young_age``;
    - over_limit: the stay has lasted more than ``longest_months`` calendar months (a stay of
      exactly three months is not over);
    - discharge: placed straight from prison or an institution;
    - repeated: the household has had an earlier stay.
    """
    flags = []
    ages = [b for b in born if b is not None]
    if any(add_years(b, 18) > until for b in ages):
        flags.append(CHILDREN)
    if any(add_years(b, 18) <= until < add_years(b, young_age) for b in ages):
        flags.append(YOUNG)
    limit_on = add_months(starts_on, longest_months)
    if until > limit_on:
        flags.append(OVER_LIMIT)
    if discharge:
        flags.append(DISCHARGE)
    if earlier_stays:
        flags.append(REPEATED)
    return StayFlags(days=(until - starts_on).days, flags=tuple(flags), limit_on=limit_on)

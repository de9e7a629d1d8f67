"""Other apps tell the retention job which persons they still need.

An app that keeps persons for its own purpose registers, in its ``AppConfig.ready``, a function
that gets the ids of the persons the job is about to anonymise and returns those it still uses;
the job never anonymises those (nor, then, their household)::

    def ready(self) -> None:
        from husly.retention.hooks import persons_in_use
        from husly.tenancy import hooks

        persons_in_use(hooks.tenants_in_use)

Registered today: ``husly.tenancy.hooks.tenants_in_use`` (members of a household with an
active lease) and ``husly.allocation.hooks.waiting_in_use`` (a live waiting-list entry or an
open or accepted offer). A new app that holds persons in active use adds its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

PersonsInUse = Callable[[set[int]], set[int]]
persons_in_use_handlers: list[PersonsInUse] = []

RetentionRule = Callable[[dt.date, Any], None]
retention_rules: list[RetentionRule] = []
"""Rules of other apps for records outside cases (e.g. ``husly.landlords.retention``): called
by each run, inside its transaction, with the day and the run's report (count what you do in
``report.counts``)."""


def retention_rule(rule: RetentionRule) -> RetentionRule:
    if rule not in retention_rules:
        retention_rules.append(rule)
    return rule


def persons_in_use(handler: PersonsInUse) -> PersonsInUse:
    if handler not in persons_in_use_handlers:
        persons_in_use_handlers.append(handler)
    return handler


HouseholdAnonymised = Callable[[int], dict[str, int]]
household_anonymised_handlers: list[HouseholdAnonymised] = []


def on_household_anonymised(handler: HouseholdAnonymised) -> HouseholdAnonymised:
    """Register ``handler(household_id) -> {what: count}``, called in the job's transaction when
    a household is anonymised, so an app blanks the free text it holds about it."""
    if handler not in household_anonymised_handlers:
        household_anonymised_handlers.append(handler)
    return handler

"""Extension points later areas hook into, called inside the deciding action's transaction.

Cases sit below allocation and tenancy in the dependency order (spec/architecture.md), so the
cases app cannot import them. Instead an app registers a handler in its ``AppConfig.ready``;
``decision_issue`` calls every handler in the same transaction, so an approval and its waiting
list entry are written together or not at all. ``case_close`` does the same for a closed case:
a handler may refuse the closing by raising ``ValidationError``, and then nothing is written.
Handlers must not have side effects outside the database (use ``transaction.on_commit`` for
those).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from husly.cases.models import Case, Decision
    from husly.organisation.models import User

DecisionIssuedHandler = Callable[["Decision", "User"], None]
decision_issued_handlers: list[DecisionIssuedHandler] = []

LetterDetailsProvider = Callable[["Decision", str], "dict[str, object] | None"]
letter_text_providers: list[LetterDetailsProvider] = []
"""``provider(decision, language)`` may return what a kind of help's letter says beyond the
common texts: ``details`` (a paragraph), ``next_steps`` (a list), and ``title``,
``conclusion`` and ``basis`` (legal basis) where the kind has its own, e.g. a start loan's rate,
term and validity from the loans app. The first provider that returns a mapping wins."""

CaseClosedHandler = Callable[["Case", "User"], None]
case_closed_handlers: list[CaseClosedHandler] = []


LetterDetails = Callable[["Decision", str], list[str]]
letter_details_handlers: list[LetterDetails] = []
"""Functions that add lines to a decision letter's details, in its written standard (a § 27
stay names the household, the place, the cost and who finds the lasting home)."""


def on_letter_details(handler: LetterDetails) -> LetterDetails:
    """Register ``handler(decision, language) -> lines``; usable as a decorator."""
    if handler not in letter_details_handlers:
        letter_details_handlers.append(handler)
    return handler


def on_decision_issued(handler: DecisionIssuedHandler) -> DecisionIssuedHandler:
    """Register ``handler(decision, actor)``; usable as a decorator."""
    if handler not in decision_issued_handlers:
        decision_issued_handlers.append(handler)
    return handler


def on_letter_text(provider: LetterDetailsProvider) -> LetterDetailsProvider:
    """Register a letter details provider; usable as a decorator."""
    if provider not in letter_text_providers:
        letter_text_providers.append(provider)
    return provider


def on_case_closed(handler: CaseClosedHandler) -> CaseClosedHandler:
    """Register ``handler(case, actor)``, called after the case is stored as closed (its
    ``close_reason`` says why); usable as a decorator."""
    if handler not in case_closed_handlers:
        case_closed_handlers.append(handler)
    return handler

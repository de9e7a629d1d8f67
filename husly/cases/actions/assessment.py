"""Assessment against the municipality's guideline (e.g. Rælingen points 5–7)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from husly.cases.actions._common import _record
from husly.cases.facts import APPLICATION_FACTS, case_facts
from husly.cases.models import (
    Assessment,
    Case,
    CaseStatus,
    FactSource,
    HelpKind,
)
from husly.cases.selectors import require_case_role
from husly.core.actions import update_audited
from husly.organisation.models import User
from husly.rules import guidelines as g
from husly.rules.params import default_tree

GUIDELINE_KINDS_BY_HELP: dict[str, tuple[str, ...]] = {
    HelpKind.RENTAL_DWELLING: ("municipal_dwelling_without_services", "municipal_dwelling"),
}
"""Which guideline sets (their ``application_kind``) decide a kind of help. Other kinds of help
are decided on their own rules (start loan, guarantee, ...), not against an allocation
guideline."""


def grunnbelop_on(day: dt.date) -> int:
    """The grunnbeløp (G) in force on ``day`` (folketrygdloven § 1-4; dated parameter)."""
    return round(default_tree().at("national.basic_amount_g", day).value)


def guideline_help_kind(case: Case, help_kinds: Iterable[str] | None = None) -> str | None:
    """The kind of help in ``case`` that a municipal guideline decides, if any. ``help_kinds``:
    the case's kinds of help when already read."""
    kinds = set(
        help_kinds if help_kinds is not None else case.routings.values_list("help_kind", flat=True)
    )
    return next((k for k in GUIDELINE_KINDS_BY_HELP if k in kinds), None)


def guideline_for(
    case: Case,
    on: dt.date,
    help_kind: str | None = None,
    *,
    help_kinds: Iterable[str] | None = None,
) -> g.GuidelineSet:
    """The guideline set the municipality has adopted for ``help_kind`` (default: the case's kind
    of help that a guideline decides), in force on ``on``: the newest one that names the
    municipality's number. Illustrative example sets are never used. Raises a ValidationError
    with a message for the caseworker when there is none."""
    kind = help_kind or guideline_help_kind(case, help_kinds)
    if kind is None or kind not in GUIDELINE_KINDS_BY_HELP:
        raise ValidationError(
            _(
                "None of the kinds of help in this case is assessed against a municipal "
                "guideline. Decide it on its own rules."
            )
        )
    application_kinds = GUIDELINE_KINDS_BY_HELP[kind]
    try:
        in_force = g.sets_for(case.municipality.number, on)
    except g.GuidelineDefinitionError as exc:  # a broken set file: a message, not a crash
        raise ValidationError(
            _(
                "The municipality's guideline could not be read, so the case cannot be assessed "
                "now. Tell the system administrator."
            )
        ) from exc
    sets = [s for s in in_force if s.application_kind in application_kinds and not s.is_example]
    if not sets:
        raise ValidationError(
            _(
                "%(municipality)s has no guideline for “%(kind)s” in force on %(date)s, so the "
                "case cannot be assessed in Husly. Ask the system administrator to add the "
                "guideline the municipality has adopted."
            )
            % {
                "municipality": case.municipality.name,
                "kind": HelpKind(kind).label,
                "date": on.strftime("%d.%m.%Y"),
            }
        )
    return sets[0]


def guideline_problem(
    case: Case, on: dt.date | None = None, *, help_kinds: Iterable[str] | None = None
) -> str:
    """Why the case cannot be assessed against a guideline today, or "" if it can.
    ``help_kinds``: the case's kinds of help when already read."""
    try:
        guideline_for(case, on or timezone.localdate(), help_kinds=help_kinds)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def _check_input(
    guideline: g.GuidelineSet,
    judgements: Mapping[str, tuple[str, str]],
    waivers: Mapping[str, tuple[str, str]],
) -> None:
    """Check the caseworker's input with messages in the user's language, so the engine's own
    (developer) errors never reach a caseworker."""
    errors: list[str] = []
    for criterion_id, (outcome, reason) in judgements.items():
        try:
            spec = guideline.criterion(criterion_id)
        except KeyError:
            errors.append(_("The guideline has no criterion %(id)s.") % {"id": criterion_id})
            continue
        title = f"{spec.source.point} {spec.title.nb}"
        if not g.KINDS[spec.kind].judgeable:
            errors.append(
                _("“%(criterion)s” is decided by the facts. Record the facts instead.")
                % {"criterion": title}
            )
        if outcome not in {g.Outcome.MET, g.Outcome.NOT_MET}:
            errors.append(_("Choose met or not met for “%(criterion)s”.") % {"criterion": title})
        if not reason.strip():
            errors.append(
                _("Give a reason for your assessment of “%(criterion)s”.") % {"criterion": title}
            )
    exceptions = {e.id: e for e in guideline.exceptions}
    for criterion_id, (exception_id, reason) in waivers.items():
        exception = exceptions.get(exception_id)
        if exception is None or criterion_id not in exception.applies_to:
            errors.append(
                _("The guideline does not allow that exception for criterion %(id)s.")
                % {"id": criterion_id}
            )
            continue
        if not reason.strip():
            errors.append(
                _("Give a reason for using the exception “%(exception)s”.")
                % {"exception": exception.title.nb}
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def assessment_run(
    *,
    actor: User,
    case: Case,
    judgements: Mapping[str, tuple[str, str]] = {},
    waivers: Mapping[str, tuple[str, str]] = {},
    on: dt.date | None = None,
) -> Assessment:
    """Assess the case against the guideline the municipality has adopted, with the caseworker's
    judgements ``{criterion_id: (outcome, reason)}`` and the criteria set aside by an exception
    ``{criterion_id: (exception_id, reason)}`` — each criterion picked by the caseworker, each
    with its own reason (Rælingen 5.1: "unntak fra en eller flere av kravene"). Stores every
    input and result; the result's ``waivers`` name each criterion set aside."""
    require_case_role(actor, case)
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("The case is closed. Reopen it to assess it again."))
    day = on or timezone.localdate()
    guideline = guideline_for(case, day)
    _check_input(guideline, judgements, waivers)
    facts = case_facts(case, assessed_on=day)
    try:
        result = g.evaluate(
            guideline,
            facts,
            grunnbelop=grunnbelop_on(day),
            assessments=[
                g.CaseworkerAssessment(
                    criterion_id=cid,
                    outcome=g.Outcome(outcome),
                    reason=reason.strip(),
                    assessed_by=actor.username,
                    assessed_on=day,
                )
                for cid, (outcome, reason) in judgements.items()
            ],
            invoked_exceptions=[
                g.InvokedException(
                    exception_id=eid,
                    criterion_ids=(cid,),
                    reason=reason.strip(),
                    invoked_by=actor.username,
                    invoked_on=day,
                )
                for cid, (eid, reason) in waivers.items()
            ],
        )
    except (g.InvalidInputError, g.GuidelineNotInForceError, g.MissingParameterError) as exc:
        raise ValidationError(
            _(
                "The assessment could not be made: the guideline or your input does not fit the "
                "case. Load the case again and try once more; if it happens again, tell the "
                "system administrator."
            )
        ) from exc
    assessment = Assessment.objects.create(
        case=case,
        guideline_set_id=guideline.id,
        guideline_version=guideline.version,
        outcome=result.outcome.value,
        record=result.to_dict(),
        grunnbelop=grunnbelop_on(day),
        assessed_on=day,
        created_by=actor,
    )
    if case.status == CaseStatus.SUBMITTED:
        case.status = CaseStatus.IN_PROGRESS
        case.save(update_fields=["status"])
    _record(
        actor,
        "assessment_run",
        case,
        {
            "outcome": [None, result.outcome.value],
            "guideline": [None, guideline.id],
            "waived": [None, [w.criterion_id for w in result.waivers]],
        },
        instance=assessment,
    )
    return assessment


@transaction.atomic
def assessment_facts_record(
    *, actor: User, case: Case, data: Mapping[str, Any], sources: Mapping[str, str]
) -> Case:
    """Record facts the guideline reads (Application fields in ``APPLICATION_FACTS``) with where
    each is known from (``FactSource``). A fact left unknown has no source."""
    require_case_role(actor, case)
    if case.status in {CaseStatus.CLOSED, CaseStatus.DECIDED, CaseStatus.DRAFT}:
        raise ValidationError(_("Facts can be recorded only while the case is being processed."))
    fields = set(APPLICATION_FACTS.values())
    unknown = sorted(set(data) - fields)
    if unknown:
        raise ValidationError(_("Unknown fact: %(names)s.") % {"names": ", ".join(unknown)})
    valid_sources = set(FactSource.values)
    recorded = dict(case.application.fact_sources or {})
    for field, value in data.items():
        source = sources.get(field, "")
        if value in (None, "", []):
            recorded.pop(field, None)
            continue
        if source not in valid_sources:
            raise ValidationError({field: _("Say where this fact comes from.")})
        recorded[field] = source
    update_audited(
        actor=actor,
        action="assessment_facts_record",
        instance=case.application,
        data={**data, "fact_sources": recorded},
        municipality=case.municipality,
    )
    return case

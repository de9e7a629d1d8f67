"""Assessment against the municipality's guideline (e.g. Rælingen points 5–7)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from husly.cases.actions._common import _record
from husly.cases.facts import case_facts
from husly.cases.models import (
    Assessment,
    Case,
    CaseStatus,
)
from husly.cases.selectors import require_case_role
from husly.organisation.models import User
from husly.rules import guidelines as g
from husly.rules.params import default_tree


def grunnbelop_on(day: dt.date) -> int:
    """The grunnbeløp (G) in force on ``day`` (folketrygdloven § 1-4; dated parameter)."""
    return round(default_tree().at("national.basic_amount_g", day).value)


def guideline_for(case: Case, on: dt.date) -> g.GuidelineSet:
    sets = g.sets_for(case.municipality.number, on, include_examples=True)
    if not sets:
        raise ValidationError(
            _("The municipality has no guideline in force on %(date)s.")
            % {"date": on.strftime("%d.%m.%Y")}
        )
    return sets[0]


@transaction.atomic
def assessment_run(
    *,
    actor: User,
    case: Case,
    judgements: Mapping[str, tuple[str, str]] = {},
    exceptions: Mapping[str, str] = {},
    on: dt.date | None = None,
) -> Assessment:
    """Assess the case against the municipality's guideline in force, with the caseworker's
    judgements ``{criterion_id: (outcome, reason)}`` and invoked exceptions
    ``{exception_id: reason}``, each used for every criterion the guideline lets it cover;
    store every input and result."""
    require_case_role(actor, case)
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("The case is closed. Reopen it to assess it again."))
    day = on or timezone.localdate()
    guideline = guideline_for(case, day)
    covers = {spec.id: spec.applies_to for spec in guideline.exceptions}
    unknown = sorted(set(exceptions) - set(covers))
    if unknown:
        raise ValidationError(_("Unknown exception: %(ids)s.") % {"ids": ", ".join(unknown)})
    facts = case_facts(case, assessed_on=day)
    try:
        result = g.evaluate(
            guideline,
            facts,
            grunnbelop=grunnbelop_on(day),
            assessments=[
                g.CaseworkerAssessment(criterion_id=cid, outcome=g.Outcome(outcome), reason=reason)
                for cid, (outcome, reason) in judgements.items()
            ],
            invoked_exceptions=[
                g.InvokedException(
                    exception_id=eid,
                    criterion_ids=tuple(covers[eid]),
                    reason=reason,
                    invoked_by=actor.username,
                )
                for eid, reason in exceptions.items()
            ],
        )
    except g.InvalidInputError as exc:
        raise ValidationError(str(exc)) from exc
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
        {"outcome": [None, result.outcome.value], "guideline": [None, guideline.id]},
        instance=assessment,
    )
    return assessment

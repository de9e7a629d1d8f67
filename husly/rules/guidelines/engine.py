"""Evaluate a case against a guideline set, and re-evaluate a stored result.

The overall rule (Rælingen 5.1, raelingen L5361–5368, generalised):

* every top-level criterion met → ``meets``;
* any criterion not met, and not set aside by an exception the caseworker invoked for it →
  ``does_not_meet`` (this wins over "needs judgement": a clear failure is reported as such);
* otherwise, any criterion needing judgement and not covered → ``needs_judgement``;
* otherwise, if an invoked exception covered a criterion → ``meets_with_exception``.

Exceptions never apply by themselves, and only to criteria that are not met. The result lists,
for each exception of the set, the criteria it could cover and whether the facts point to it; the
caseworker picks the criteria and gives a reason for each (forvaltningsloven § 25), and that
decision is part of the stored input. ``waivers`` names every criterion set aside, one by one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from husly.rules.guidelines.facts import CaseFacts
from husly.rules.guidelines.kinds import (
    KINDS,
    Context,
    evaluate_criterion,
    evaluate_predicate,
    fact_used,
)
from husly.rules.guidelines.loader import (
    GuidelineRegistry,
    checksum_of,
    default_registry,
    load_set_definition,
)
from husly.rules.guidelines.model import (
    CaseworkerAssessment,
    CriterionResult,
    EvaluationInput,
    EvaluationResult,
    ExceptionResult,
    GuidelineSet,
    InvokedException,
    NoteResult,
    NoteSpec,
    Outcome,
    OverallOutcome,
    SetReference,
    Waiver,
)
from husly.rules.guidelines.serialise import JsonValue
from husly.rules.guidelines.text import Text, fmt_date

__all__ = [
    "ENGINE_VERSION",
    "GuidelineNotInForceError",
    "InvalidInputError",
    "evaluate",
    "reevaluate",
]

ENGINE_VERSION = "2"
"""Bumped whenever a kind's logic or wording changes, so stored results show which engine made
them."""


class GuidelineNotInForceError(ValueError):
    """The set is not in force on the case's assessment date."""


class InvalidInputError(ValueError):
    """An assessment or invoked exception does not fit the set (unknown id, no reason...)."""


def evaluate(
    guideline_set: GuidelineSet,
    facts: CaseFacts,
    *,
    grunnbelop: int | None = None,
    assessments: Sequence[CaseworkerAssessment] = (),
    invoked_exceptions: Sequence[InvokedException] = (),
) -> EvaluationResult:
    """Evaluate ``facts`` against ``guideline_set``.

    ``grunnbelop`` is the grunnbeløp G in kroner for the assessment date; it is required only if
    the set has a criterion in G (otherwise ``MissingParameterError``). ``assessments`` are the
    caseworker's verdicts on ``judgement`` criteria; ``invoked_exceptions`` are exceptions the
    caseworker applies. Raises :class:`GuidelineNotInForceError` if the set is not in force on
    the assessment date and :class:`InvalidInputError` for inconsistent caseworker input.
    """
    day = facts.effective_assessment_date
    if not guideline_set.is_valid_on(day):
        raise GuidelineNotInForceError(
            f"{guideline_set.id} version {guideline_set.version} is not in force on {day}"
        )
    if grunnbelop is not None and (isinstance(grunnbelop, bool) or grunnbelop <= 0):
        raise InvalidInputError("grunnbelop must be a positive number of kroner")
    assessment_map = _check_assessments(guideline_set, assessments)
    _check_invocations(guideline_set, invoked_exceptions)

    ctx = Context(
        facts=facts,
        grunnbelop=grunnbelop,
        municipality_name=guideline_set.municipality_name,
        municipality_numbers=guideline_set.municipality_numbers,
        assessments=assessment_map,
    )
    criteria = tuple(evaluate_criterion(spec, ctx) for spec in guideline_set.criteria)
    outcome_by_id = {r.criterion_id: r.outcome for r in criteria}

    exceptions: list[ExceptionResult] = []
    covered: set[str] = set()
    waived: dict[str, Waiver] = {}
    by_id = {r.criterion_id: r for r in criteria}
    for spec in guideline_set.exceptions:
        # Only a requirement that is not met can be set aside; one that needs judgement or
        # facts is assessed first, so an exception never waives what nobody looked at.
        open_ids = tuple(i for i in spec.applies_to if outcome_by_id[i] is Outcome.NOT_MET)
        invoked = [inv for inv in invoked_exceptions if inv.exception_id == spec.id]
        invoked_for = tuple(dict.fromkeys(i for inv in invoked for i in inv.criterion_ids))
        covered.update(i for i in invoked_for if i in open_ids)
        for inv in invoked:
            for criterion_id in inv.criterion_ids:
                if criterion_id in open_ids and criterion_id not in waived:
                    waived[criterion_id] = Waiver(
                        criterion_id=criterion_id,
                        point=by_id[criterion_id].point,
                        title=by_id[criterion_id].title,
                        exception_id=spec.id,
                        exception_point=spec.source.point,
                        exception_title=spec.title,
                        reason=inv.reason,
                        invoked_by=inv.invoked_by,
                    )
        indicated, indicator_facts = (
            evaluate_predicate(spec.indicated_when, facts) if spec.indicated_when else (None, ())
        )
        if not open_ids and not invoked_for:
            continue
        exceptions.append(
            ExceptionResult(
                exception_id=spec.id,
                point=spec.source.point,
                source_reference=spec.source.reference,
                title=spec.title,
                available_for=open_ids,
                indicated=indicated,
                indicator_facts=indicator_facts,
                invoked_for=invoked_for,
                reason=" / ".join(inv.reason for inv in invoked),
            )
        )

    notes = tuple(_note_result(spec, facts) for spec in guideline_set.notes)
    outcome = _overall(criteria, covered)
    return EvaluationResult(
        engine_version=ENGINE_VERSION,
        guideline_set=SetReference(
            id=guideline_set.id,
            version=guideline_set.version,
            title=guideline_set.title,
            municipality_name=guideline_set.municipality_name,
            checksum=guideline_set.checksum,
            definition=guideline_set.definition,
        ),
        input=EvaluationInput(
            facts=facts,
            grunnbelop=grunnbelop,
            assessments=tuple(assessments),
            invoked_exceptions=tuple(invoked_exceptions),
        ),
        outcome=outcome,
        summary=_summary(guideline_set, outcome, criteria, covered, exceptions, facts),
        criteria=criteria,
        exceptions=tuple(exceptions),
        notes=notes,
        waivers=tuple(waived[r.criterion_id] for r in criteria if r.criterion_id in waived),
    )


def reevaluate(
    stored: Mapping[str, JsonValue], *, registry: GuidelineRegistry | None = None
) -> EvaluationResult:
    """Re-run a stored evaluation from its own input and the exact set it was made with.

    The record is read strictly. The set is the definition embedded in the record; if the record
    was stored without it (``to_dict(include_definition=False)``), the set is looked up by id and
    version in ``registry`` (default: the built-in sets). Either way its checksum must match the
    stored one, so the re-run uses exactly the rules and facts of the original evaluation.
    Compare ``reevaluate(d).to_dict() == d`` to show that it still computes the same way.
    """
    record = EvaluationResult.from_dict(dict(stored))
    ref = record.guideline_set
    if ref.definition:
        if checksum_of(ref.definition) != ref.checksum:
            raise InvalidInputError("the stored guideline definition does not match its checksum")
        guideline_set = load_set_definition(ref.definition)
        if (guideline_set.id, guideline_set.version) != (ref.id, ref.version):
            raise InvalidInputError("the stored set id or version does not match its definition")
    else:
        guideline_set = (registry or default_registry()).get(ref.id, ref.version)
        if guideline_set.checksum != ref.checksum:
            raise InvalidInputError(
                f"set {ref.id} version {ref.version} has changed since the evaluation was stored"
            )
    result = evaluate(
        guideline_set,
        record.input.facts,
        grunnbelop=record.input.grunnbelop,
        assessments=record.input.assessments,
        invoked_exceptions=record.input.invoked_exceptions,
    )
    if not ref.definition:
        result = replace(result, guideline_set=replace(result.guideline_set, definition={}))
    return result


# --- helpers -------------------------------------------------------------------------------------


def _check_assessments(
    guideline_set: GuidelineSet, assessments: Sequence[CaseworkerAssessment]
) -> dict[str, CaseworkerAssessment]:
    by_id: dict[str, CaseworkerAssessment] = {}
    for assessment in assessments:
        try:
            spec = guideline_set.criterion(assessment.criterion_id)
        except KeyError:
            raise InvalidInputError(
                f"assessment for unknown criterion {assessment.criterion_id!r}"
            ) from None
        if not KINDS[spec.kind].judgeable:
            raise InvalidInputError(
                f"{spec.id!r} is decided by facts ({spec.kind}); record the fact instead, or "
                "invoke an exception"
            )
        if assessment.outcome is Outcome.NEEDS_JUDGEMENT:
            raise InvalidInputError(f"assessment of {spec.id!r} must be met or not_met")
        if not assessment.reason.strip():
            raise InvalidInputError(f"assessment of {spec.id!r} needs a reason (fvl. § 25)")
        if spec.id in by_id:
            raise InvalidInputError(f"{spec.id!r} is assessed twice")
        by_id[spec.id] = assessment
    return by_id


def _check_invocations(
    guideline_set: GuidelineSet, invoked_exceptions: Sequence[InvokedException]
) -> None:
    specs = {e.id: e for e in guideline_set.exceptions}
    for inv in invoked_exceptions:
        spec = specs.get(inv.exception_id)
        if spec is None:
            raise InvalidInputError(f"unknown exception {inv.exception_id!r}")
        if not inv.criterion_ids:
            raise InvalidInputError(f"exception {spec.id!r}: name the criteria it is used for")
        outside = set(inv.criterion_ids) - set(spec.applies_to)
        if outside:
            raise InvalidInputError(
                f"exception {spec.id!r} does not apply to {sorted(outside)} "
                f"(it applies to {list(spec.applies_to)})"
            )
        if not inv.reason.strip():
            raise InvalidInputError(f"exception {spec.id!r} needs a reason (fvl. § 25)")


def _overall(criteria: Sequence[CriterionResult], covered: set[str]) -> OverallOutcome:
    remaining = [r.outcome for r in criteria if r.criterion_id not in covered]
    if Outcome.NOT_MET in remaining:
        return OverallOutcome.DOES_NOT_MEET
    if Outcome.NEEDS_JUDGEMENT in remaining:
        return OverallOutcome.NEEDS_JUDGEMENT
    if covered:
        return OverallOutcome.MEETS_WITH_EXCEPTION
    return OverallOutcome.MEETS


def _note_result(spec: NoteSpec, facts: CaseFacts) -> NoteResult:
    applies, used = evaluate_predicate(spec.when, facts)
    facts_used = list(used)
    satisfied: bool | None = None
    if spec.satisfied_by is not None:
        value, satisfied_used = fact_used(facts, spec.satisfied_by)
        satisfied = None if value is None else bool(value)
        facts_used.append(satisfied_used)
    facts_used.extend(fact_used(facts, path)[1] for path in spec.facts_shown)
    return NoteResult(
        note_id=spec.id,
        kind=spec.kind,
        point=spec.source.point,
        source_reference=spec.source.reference,
        title=spec.title,
        text=spec.source.text,
        applies=applies,
        satisfied=satisfied,
        facts_used=tuple(facts_used),
    )


def _join(texts: Sequence[Text]) -> Text:
    return Text("; ".join(t.nb for t in texts), "; ".join(t.nn for t in texts))


def _labelled(results: Sequence[CriterionResult]) -> Text:
    return _join([Text(f"{r.point} {r.title.nb}", f"{r.point} {r.title.nn}") for r in results])


def _summary(  # noqa: PLR0917 - internal helper called in one place
    guideline_set: GuidelineSet,
    outcome: OverallOutcome,
    criteria: Sequence[CriterionResult],
    covered: set[str],
    exceptions: Sequence[ExceptionResult],
    facts: CaseFacts,
) -> Text:
    title = guideline_set.title
    day = fmt_date(facts.effective_assessment_date)
    if outcome is OverallOutcome.MEETS:
        return Text(
            f"Søker oppfyller vilkårene i {title.nb} (vurdert {day}).",
            f"Søkjaren oppfyller vilkåra i {title.nn} (vurdert {day}).",
        )
    if outcome is OverallOutcome.MEETS_WITH_EXCEPTION:
        used = _labelled([r for r in criteria if r.criterion_id in covered])
        grounds = _join([e.title for e in exceptions if set(e.invoked_for) & covered])
        return Text(
            f"Søker oppfyller vilkårene i {title.nb} med unntak for: {used.nb}. "
            f"Unntaksgrunnlag: {grounds.nb} (vurdert {day}).",
            f"Søkjaren oppfyller vilkåra i {title.nn} med unntak for: {used.nn}. "
            f"Unntaksgrunnlag: {grounds.nn} (vurdert {day}).",
        )
    if outcome is OverallOutcome.DOES_NOT_MEET:
        failed_results = [
            r for r in criteria if r.outcome is Outcome.NOT_MET and r.criterion_id not in covered
        ]
        failed = _labelled(failed_results)
        failed_ids = {r.criterion_id for r in failed_results}
        open_exceptions = _join([e.title for e in exceptions if set(e.available_for) & failed_ids])
        hint = (
            Text(
                f" Unntak som kan vurderes: {open_exceptions.nb}.",
                f" Unntak som kan vurderast: {open_exceptions.nn}.",
            )
            if open_exceptions.nb
            else Text("", "")
        )
        return Text(
            f"Søker oppfyller ikke vilkårene i {title.nb}. Ikke oppfylt: {failed.nb}.{hint.nb}",
            f"Søkjaren oppfyller ikkje vilkåra i {title.nn}. Ikkje oppfylt: {failed.nn}.{hint.nn}",
        )
    pending = _labelled(
        [
            r
            for r in criteria
            if r.outcome is Outcome.NEEDS_JUDGEMENT and r.criterion_id not in covered
        ]
    )
    return Text(
        f"Saken må vurderes av saksbehandler. Må vurderes: {pending.nb}.",
        f"Saka må vurderast av saksbehandlaren. Må vurderast: {pending.nn}.",
    )

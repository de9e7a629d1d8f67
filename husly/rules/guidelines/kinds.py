"""The vocabulary of criterion kinds and predicates that guideline sets are built from.

Each kind is a small, parameterised rule drawn from the guideline texts (Rælingen's allocation
guidelines points 5.2–5.7, raelingen L5359–5436; Oslo's income ceiling, oslo L3657–3659). A
municipality writes its own set by choosing kinds and parameters in YAML; it never writes code.

Every kind follows the same discipline:

* it returns ``met``, ``not_met`` or ``needs_judgement``;
* a fact it needs that is unknown (``None``) gives ``needs_judgement``, never a pass;
* it lists every fact it looked at, and explains the outcome in bokmål and nynorsk.

To add a kind: write a ``_check_*`` function (validates the parameters when the set is loaded)
and an ``_eval_*`` function, register both in :data:`KINDS`, and describe it in docs/guidelines.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from fractions import Fraction
from typing import Any

from husly.rules.deadlines import add_months
from husly.rules.guidelines.facts import (
    FACT_LABELS,
    CaseFacts,
    HousingKind,
    ResidenceStatus,
    resolve_fact,
)
from husly.rules.guidelines.model import (
    CaseworkerAssessment,
    CriterionResult,
    CriterionSpec,
    FactUsed,
    Outcome,
    Predicate,
)
from husly.rules.guidelines.text import Text, fmt_date, fmt_kroner, fmt_multiplier

__all__ = [
    "KINDS",
    "PREDICATES",
    "Context",
    "GuidelineDefinitionError",
    "MissingParameterError",
    "check_predicate",
    "evaluate_criterion",
    "evaluate_predicate",
]


class GuidelineDefinitionError(ValueError):
    """A guideline set is malformed: unknown kind, bad parameter, unknown fact path."""


class MissingParameterError(ValueError):
    """A national parameter the set needs (the grunnbeløp) was not passed to the evaluation."""


@dataclass(frozen=True)
class Context:
    """What a criterion can see while it is evaluated."""

    facts: CaseFacts
    grunnbelop: int | None
    municipality_name: str
    municipality_numbers: tuple[str, ...]
    assessments: Mapping[str, CaseworkerAssessment]


# --- helpers -------------------------------------------------------------------------------------


def _json_scalar(value: object) -> str | int | bool | None:
    if isinstance(value, Enum):
        return str(value.value)
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return ", ".join(str(_json_scalar(item)) for item in value)
    raise TypeError(f"unsupported fact value {value!r}")


def fact_used(facts: CaseFacts, path: str) -> tuple[Any, FactUsed]:
    """Look up a fact and record it for the trace."""
    value = resolve_fact(facts, path)
    return value, FactUsed(path=path, label=FACT_LABELS[path], value=_json_scalar(value))


def _result(
    spec: CriterionSpec,
    outcome: Outcome,
    nb: str,
    nn: str,
    facts: Sequence[FactUsed] = (),
    *,
    children: Sequence[CriterionResult] = (),
    assessment: CaseworkerAssessment | None = None,
    judgeable: bool = False,
) -> CriterionResult:
    return CriterionResult(
        criterion_id=spec.id,
        kind=spec.kind,
        point=spec.source.point,
        source_reference=spec.source.reference,
        title=spec.title,
        outcome=outcome,
        explanation=Text(nb=nb, nn=nn),
        facts_used=tuple(facts),
        children=tuple(children),
        role=spec.role,
        main_rule=spec.main_rule,
        assessment=assessment,
        judgeable=judgeable,
    )


def _allowed_params(spec: CriterionSpec, *names: str) -> None:
    unknown = set(spec.params) - set(names)
    if unknown:
        raise GuidelineDefinitionError(
            f"criterion {spec.id!r} ({spec.kind}): unknown parameters {sorted(unknown)}"
        )


def _int_param(spec: CriterionSpec, name: str, default: int | None = None) -> int:
    value = spec.params.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise GuidelineDefinitionError(
            f"criterion {spec.id!r}: parameter {name!r} must be a whole number >= 0"
        )
    return value


def _bool_param(spec: CriterionSpec, name: str, default: bool) -> bool:
    value = spec.params.get(name, default)
    if not isinstance(value, bool):
        raise GuidelineDefinitionError(f"criterion {spec.id!r}: {name!r} must be true or false")
    return value


def _fraction(spec_id: str, value: object) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise GuidelineDefinitionError(f"criterion {spec_id!r}: {value!r} is not a number")
    try:
        result = Fraction(str(value).replace(",", "."))
    except ValueError as exc:
        raise GuidelineDefinitionError(f"criterion {spec_id!r}: {value!r} is not a number") from exc
    if result < 0:
        raise GuidelineDefinitionError(f"criterion {spec_id!r}: {value!r} is negative")
    return result


_AT = {
    "application_date": (
        "application_date",
        Text("på søknadstidspunktet", "på søknadstidspunktet"),
    ),
    "assessment_date": (
        "effective_assessment_date",
        Text("på vurderingstidspunktet", "på vurderingstidspunktet"),
    ),
}


def _check_at(spec: CriterionSpec, default: str) -> None:
    if spec.params.get("at", default) not in _AT:
        raise GuidelineDefinitionError(f"criterion {spec.id!r}: 'at' must be one of {sorted(_AT)}")


def _reference_date(spec: CriterionSpec, ctx: Context, default: str) -> tuple[date, Text, FactUsed]:
    path, phrase = _AT[str(spec.params.get("at", default))]
    value, used = fact_used(ctx.facts, path)
    assert isinstance(value, date)  # noqa: S101 - internal invariant
    return value, phrase, used


def _period(years: int, months: int) -> Text:
    parts_nb: list[str] = []
    parts_nn: list[str] = []
    if years:
        parts_nb.append(f"{years} år")
        parts_nn.append(f"{years} år")
    if months or not years:
        parts_nb.append(f"{months} måned" + ("er" if months != 1 else ""))
        parts_nn.append(f"{months} månad" + ("er" if months != 1 else ""))
    return Text(" og ".join(parts_nb), " og ".join(parts_nn))


_HOUSING_KIND_TEXT: dict[HousingKind, Text] = {
    HousingKind.OWNED: Text("eid bolig", "eigd bustad"),
    HousingKind.RENTED_PRIVATE: Text("leid bolig i det private markedet", "leigd bustad privat"),
    HousingKind.RENTED_MUNICIPAL: Text("kommunal utleiebolig", "kommunal utleigebustad"),
    HousingKind.INSTITUTION: Text("institusjon eller liknende", "institusjon eller liknande"),
    HousingKind.TEMPORARY_ACCOMMODATION: Text("midlertidig botilbud", "mellombels butilbod"),
    HousingKind.WITH_FAMILY_OR_FRIENDS: Text("hos familie eller venner", "hjå familie eller vener"),
    HousingKind.NO_HOME: Text("uten bosted", "utan bustad"),
    HousingKind.OTHER: Text("annet", "anna"),
}

_RESIDENCE_STATUS_TEXT: dict[ResidenceStatus, Text] = {
    ResidenceStatus.NORWEGIAN_CITIZEN: Text("norsk statsborgerskap", "norsk statsborgarskap"),
    ResidenceStatus.PERMANENT_RESIDENCE_PERMIT: Text(
        "permanent oppholdstillatelse", "permanent opphaldsløyve"
    ),
    ResidenceStatus.TEMPORARY_RESIDENCE_PERMIT: Text(
        "midlertidig oppholdstillatelse", "mellombels opphaldsløyve"
    ),
    ResidenceStatus.EEA_RIGHT_OF_RESIDENCE: Text(
        "oppholdsrett som EØS-borger", "opphaldsrett som EØS-borgar"
    ),
    ResidenceStatus.NO_RESIDENCE_PERMIT: Text("ikke oppholdstillatelse", "ikkje opphaldsløyve"),
}

_RENTED = (HousingKind.RENTED_PRIVATE, HousingKind.RENTED_MUNICIPAL)


# --- min_age -------------------------------------------------------------------------------------


def _check_min_age(spec: CriterionSpec) -> None:
    _allowed_params(spec, "years", "at")
    _int_param(spec, "years")
    _check_at(spec, "application_date")


def _eval_min_age(spec: CriterionSpec, ctx: Context) -> CriterionResult:
    """The applicant has reached ``years`` of age on the reference date.

    Rælingen 5.5 (raelingen L5407–5414): "Søker må på søknadstidspunktet være fylt 18 år."
    The birthday counts as reached on the day itself; someone born 29 February reaches it on
    28 February in a common year (domstolloven § 148 convention, see deadlines.add_months).
    """
    years = _int_param(spec, "years")
    ref, at, ref_used = _reference_date(spec, ctx, "application_date")
    dob, dob_used = fact_used(ctx.facts, "applicant.date_of_birth")
    facts = [dob_used, ref_used]
    if dob is None:
        return _result(
            spec,
            Outcome.NEEDS_JUDGEMENT,
            "Søkers fødselsdato er ikke oppgitt, så alderen kan ikke vurderes.",
            "Fødselsdatoen til søkjaren er ikkje oppgitt, så alderen kan ikkje vurderast.",
            facts,
        )
    birthday = add_months(dob, 12 * years)
    if birthday <= ref:
        return _result(
            spec,
            Outcome.MET,
            f"Søker fylte {years} år {fmt_date(birthday)} og hadde fylt {years} år {at.nb} "
            f"({fmt_date(ref)}).",
            f"Søkjaren fylte {years} år {fmt_date(birthday)} og hadde fylt {years} år {at.nn} "
            f"({fmt_date(ref)}).",
            facts,
        )
    return _result(
        spec,
        Outcome.NOT_MET,
        f"Søker fyller {years} år {fmt_date(birthday)} og hadde ikke fylt {years} år {at.nb} "
        f"({fmt_date(ref)}).",
        f"Søkjaren fyller {years} år {fmt_date(birthday)} og hadde ikkje fylt {years} år "
        f"{at.nn} ({fmt_date(ref)}).",
        facts,
    )


# --- residence_period ----------------------------------------------------------------------------

_RESIDENCE_BASIS = {
    "lived": (
        "applicant.lived_in_municipality_since",
        Text("bodd sammenhengende i kommunen", "budd samanhengande i kommunen"),
    ),
    "registered": (
        "applicant.registered_in_municipality_since",
        Text("vært folkeregistrert i kommunen", "vore folkeregistrert i kommunen"),
    ),
}


def _check_residence_period(spec: CriterionSpec) -> None:
    _allowed_params(spec, "years", "months", "basis", "at")
    if _int_param(spec, "years", 0) + _int_param(spec, "months", 0) == 0:
        raise GuidelineDefinitionError(f"criterion {spec.id!r}: a residence period is required")
    if spec.params.get("basis", "lived") not in _RESIDENCE_BASIS:
        raise GuidelineDefinitionError(
            f"criterion {spec.id!r}: 'basis' must be one of {sorted(_RESIDENCE_BASIS)}"
        )
    _check_at(spec, "application_date")


def _eval_residence_period(spec: CriterionSpec, ctx: Context) -> CriterionResult:
    """The applicant has lived (or been registered) in the municipality for a continuous period
    ending on the reference date (*botid*).

    Rælingen 5.3 (raelingen L5379–5384): "ha bodd sammenhengende i kommunen de siste tre år"
    (basis ``lived``). The period is complete on its anniversary: from 15.03.2021, three years are
    complete on 15.03.2024. Another municipality may count registration instead
    (basis ``registered``) or another length.
    """
    years = _int_param(spec, "years", 0)
    months = _int_param(spec, "months", 0)
    path, verb = _RESIDENCE_BASIS[str(spec.params.get("basis", "lived"))]
    ref, at, ref_used = _reference_date(spec, ctx, "application_date")
    since, since_used = fact_used(ctx.facts, path)
    facts = [since_used, ref_used]
    period = _period(years, months)
    if since is None:
        return _result(
            spec,
            Outcome.NEEDS_JUDGEMENT,
            f"Det er ikke opplyst hvor lenge søker har {verb.nb}, så botiden kan ikke beregnes.",
            f"Det er ikkje opplyst kor lenge søkjaren har {verb.nn}, så butida kan ikkje "
            "reknast ut.",
            facts,
        )
    complete_on = add_months(since, 12 * years + months)
    if complete_on <= ref:
        return _result(
            spec,
            Outcome.MET,
            f"Søker har {verb.nb} siden {fmt_date(since)}. Kravet om botid på {period.nb} var "
            f"oppfylt fra {fmt_date(complete_on)}, altså {at.nb} ({fmt_date(ref)}).",
            f"Søkjaren har {verb.nn} sidan {fmt_date(since)}. Kravet om butid på {period.nn} "
            f"var oppfylt frå {fmt_date(complete_on)}, altså {at.nn} ({fmt_date(ref)}).",
            facts,
        )
    return _result(
        spec,
        Outcome.NOT_MET,
        f"Søker har {verb.nb} siden {fmt_date(since)}. Kravet om botid på {period.nb} blir "
        f"oppfylt {fmt_date(complete_on)}, og var ikke oppfylt {at.nb} ({fmt_date(ref)}).",
        f"Søkjaren har {verb.nn} sidan {fmt_date(since)}. Kravet om butid på {period.nn} blir "
        f"oppfylt {fmt_date(complete_on)}, og var ikkje oppfylt {at.nn} ({fmt_date(ref)}).",
        facts,
    )


# --- registered_in_municipality ------------------------------------------------------------------


def _check_registered(spec: CriterionSpec) -> None:
    _allowed_params(spec, "at")
    _check_at(spec, "application_date")


def _eval_registered(spec: CriterionSpec, ctx: Context) -> CriterionResult:
    """The applicant is registered in the population register (*folkeregistrert*) in this
    municipality on the reference date.

    Rælingen 5.3 (raelingen L5381–5383): "være folkeregistrert i Rælingen kommune". Any of the
    set's municipality numbers counts (numbers change with municipal reforms).
    """
    ref, at, ref_used = _reference_date(spec, ctx, "application_date")
    number, number_used = fact_used(ctx.facts, "applicant.registered_municipality_number")
    since, since_used = fact_used(ctx.facts, "applicant.registered_in_municipality_since")
    facts = [number_used, since_used, ref_used]
    name = ctx.municipality_name
    if number is None:
        return _result(
            spec,
            Outcome.NEEDS_JUDGEMENT,
            "Det er ikke opplyst hvilken kommune søker er folkeregistrert i.",
            "Det er ikkje opplyst kva kommune søkjaren er folkeregistrert i.",
            facts,
        )
    if number not in ctx.municipality_numbers:
        return _result(
            spec,
            Outcome.NOT_MET,
            f"Søker er folkeregistrert i kommunenummer {number}, ikke i {name}.",
            f"Søkjaren er folkeregistrert i kommunenummer {number}, ikkje i {name}.",
            facts,
        )
    if since is not None and since > ref:
        return _result(
            spec,
            Outcome.NOT_MET,
            f"Søker ble folkeregistrert i {name} {fmt_date(since)}, etter søknadsdatoen; "
            f"søker var ikke folkeregistrert i kommunen {at.nb} ({fmt_date(ref)}).",
            f"Søkjaren vart folkeregistrert i {name} {fmt_date(since)}, etter søknadsdatoen; "
            f"søkjaren var ikkje folkeregistrert i kommunen {at.nn} ({fmt_date(ref)}).",
            facts,
        )
    return _result(
        spec,
        Outcome.MET,
        f"Søker er folkeregistrert i {name} (kommunenummer {number}).",
        f"Søkjaren er folkeregistrert i {name} (kommunenummer {number}).",
        facts,
    )


# --- lawful_residence ----------------------------------------------------------------------------


def _statuses(spec: CriterionSpec, name: str) -> tuple[ResidenceStatus, ...]:
    raw = spec.params.get(name, [])
    if not isinstance(raw, list):
        raise GuidelineDefinitionError(f"criterion {spec.id!r}: {name!r} must be a list")
    try:
        return tuple(ResidenceStatus(item) for item in raw)
    except ValueError as exc:
        raise GuidelineDefinitionError(f"criterion {spec.id!r}: {exc}") from exc


def _check_lawful_residence(spec: CriterionSpec) -> None:
    _allowed_params(spec, "accepted", "judgement", "at")
    accepted = _statuses(spec, "accepted")
    judgement = _statuses(spec, "judgement")
    if not accepted or set(accepted) & set(judgement):
        raise GuidelineDefinitionError(
            f"criterion {spec.id!r}: 'accepted' must be non-empty and not overlap 'judgement'"
        )
    _check_at(spec, "application_date")


def _residence_judged(
    spec: CriterionSpec, ctx: Context, label: Text, facts: Sequence[FactUsed]
) -> CriterionResult:
    """A status the set sends to the caseworker (e.g. an EEA right of residence, which is a
    registration, not a permit): needs judgement until the caseworker decides, with reasons."""
    assessment = ctx.assessments.get(spec.id)
    if assessment is None:
        return _result(
            spec,
            Outcome.NEEDS_JUDGEMENT,
            f"Søker har {label.nb}. Om dette likestilles med oppholdstillatelse etter "
            "retningslinjene, må saksbehandler vurdere.",
            f"Søkjaren har {label.nn}. Om dette skal likestillast med opphaldsløyve etter "
            "retningslinjene, må saksbehandlaren vurdere.",
            facts,
            judgeable=True,
        )
    verdict_nb, verdict_nn = _verdict(assessment.outcome)
    return _result(
        spec,
        assessment.outcome,
        f"Søker har {label.nb}. Saksbehandler har vurdert kravet som {verdict_nb}: "
        f"{assessment.reason}",
        f"Søkjaren har {label.nn}. Saksbehandlaren har vurdert kravet som {verdict_nn}: "
        f"{assessment.reason}",
        facts,
        assessment=assessment,
        judgeable=True,
    )


def _eval_lawful_residence(spec: CriterionSpec, ctx: Context) -> CriterionResult:
    """The applicant holds a residence status the guideline accepts, valid on the reference date.

    Rælingen 5.3 (raelingen L5381): "Søker må på søknadstidspunktet ha oppholdstillatelse i
    Norge". Statuses in ``accepted`` meet the criterion (a temporary permit only while valid);
    statuses in ``judgement`` (e.g. an EEA right of residence, which is not a permit) need the
    caseworker; any other status does not meet it.
    """
    accepted = _statuses(spec, "accepted")
    judgement = _statuses(spec, "judgement")
    ref, at, ref_used = _reference_date(spec, ctx, "application_date")
    status, status_used = fact_used(ctx.facts, "applicant.residence_status")
    until, until_used = fact_used(ctx.facts, "applicant.residence_permit_valid_until")
    facts = [status_used, until_used, ref_used]
    if status is None:
        return _result(
            spec,
            Outcome.NEEDS_JUDGEMENT,
            "Søkers oppholdsstatus er ikke opplyst.",
            "Opphaldsstatusen til søkjaren er ikkje opplyst.",
            facts,
        )
    label = _RESIDENCE_STATUS_TEXT[status]
    if status in judgement:
        return _residence_judged(spec, ctx, label, facts)
    if status not in accepted:
        return _result(
            spec,
            Outcome.NOT_MET,
            f"Søker har {label.nb}, og oppfyller ikke kravet om oppholdstillatelse.",
            f"Søkjaren har {label.nn}, og oppfyller ikkje kravet om opphaldsløyve.",
            facts,
        )
    if status is ResidenceStatus.TEMPORARY_RESIDENCE_PERMIT:
        if until is None:
            return _result(
                spec,
                Outcome.NEEDS_JUDGEMENT,
                "Søker har midlertidig oppholdstillatelse, men det er ikke opplyst hvor lenge "
                "den gjelder.",
                "Søkjaren har mellombels opphaldsløyve, men det er ikkje opplyst kor lenge det "
                "gjeld.",
                facts,
            )
        if until < ref:
            return _result(
                spec,
                Outcome.NOT_MET,
                f"Søkers midlertidige oppholdstillatelse gikk ut {fmt_date(until)}, før "
                f"{fmt_date(ref)} ({at.nb}).",
                f"Det mellombelse opphaldsløyvet til søkjaren gjekk ut {fmt_date(until)}, før "
                f"{fmt_date(ref)} ({at.nn}).",
                facts,
            )
    return _result(
        spec,
        Outcome.MET,
        f"Søker har {label.nb} {at.nb} ({fmt_date(ref)}).",
        f"Søkjaren har {label.nn} {at.nn} ({fmt_date(ref)}).",
        facts,
    )


# --- without_suitable_housing --------------------------------------------------------------------


def _check_no_params(spec: CriterionSpec) -> None:
    _allowed_params(spec)


def _eval_without_suitable_housing(spec: CriterionSpec, ctx: Context) -> CriterionResult:
    """The applicant is without a suitable dwelling now.

    Rælingen 5.4 (raelingen L5388–5390): "Søker må være ... uten egnet bolig".
    """
    value, used = fact_used(ctx.facts, "housing.is_without_suitable_housing")
    _kind, kind_used = fact_used(ctx.facts, "housing.kind")
    facts = [used, kind_used]
    if value is None:
        return _result(
            spec,
            Outcome.NEEDS_JUDGEMENT,
            "Det er ikke vurdert om søker er uten egnet bolig.",
            "Det er ikkje vurdert om søkjaren er utan eigna bustad.",
            facts,
        )
    if value:
        return _result(
            spec,
            Outcome.MET,
            "Søker er uten egnet bolig.",
            "Søkjaren er utan eigna bustad.",
            facts,
        )
    return _result(
        spec,
        Outcome.NOT_MET,
        "Søker har en egnet bolig nå.",
        "Søkjaren har ein eigna bustad no.",
        facts,
    )


# --- lease_ending_within_months ------------------------------------------------------------------


def _check_lease_ending(spec: CriterionSpec) -> None:
    _allowed_params(spec, "months", "requires_no_renewal_right", "at")
    if _int_param(spec, "months") == 0:
        raise GuidelineDefinitionError(f"criterion {spec.id!r}: 'months' must be at least 1")
    _bool_param(spec, "requires_no_renewal_right", True)
    _check_at(spec, "assessment_date")


def _eval_lease_ending(spec: CriterionSpec, ctx: Context) -> CriterionResult:
    """The applicant's lease expires within ``months`` months, without a right of renewal.

    Rælingen 5.4 a) (raelingen L5392–5394): "Leiekontrakten utgår innen seks måneder uten at
    søker har rett til fornyelse". "Within six months" includes the day six calendar months after
    the reference date (15.01 → 15.07), not the day after. A lease that has already expired also
    counts. Someone who does not rent does not meet this alternative.
    """
    months = _int_param(spec, "months")
    needs_no_renewal = _bool_param(spec, "requires_no_renewal_right", True)
    ref, at, ref_used = _reference_date(spec, ctx, "assessment_date")
    kind, kind_used = fact_used(ctx.facts, "housing.kind")
    end, end_used = fact_used(ctx.facts, "housing.lease_end_date")
    renew, renew_used = fact_used(ctx.facts, "housing.has_right_to_renew_lease")
    facts = [kind_used, end_used, renew_used, ref_used]
    limit = add_months(ref, months)
    if end is None:
        if kind is not None and kind not in _RENTED:
            label = _HOUSING_KIND_TEXT[kind]
            return _result(
                spec,
                Outcome.NOT_MET,
                f"Søker bor ikke i leid bolig (boforhold: {label.nb}).",
                f"Søkjaren bur ikkje i leigd bustad (butilhøve: {label.nn}).",
                facts,
            )
        return _result(
            spec,
            Outcome.NEEDS_JUDGEMENT,
            "Det er ikke opplyst når leiekontrakten utløper.",
            "Det er ikkje opplyst når leigekontrakten går ut.",
            facts,
        )
    if end > limit:
        return _result(
            spec,
            Outcome.NOT_MET,
            f"Leiekontrakten utløper {fmt_date(end)}, som er senere enn {months} måneder etter "
            f"{fmt_date(ref)} ({at.nb}); grensen er {fmt_date(limit)}.",
            f"Leigekontrakten går ut {fmt_date(end)}, som er seinare enn {months} månader etter "
            f"{fmt_date(ref)} ({at.nn}); grensa er {fmt_date(limit)}.",
            facts,
        )
    if needs_no_renewal and renew is None:
        return _result(
            spec,
            Outcome.NEEDS_JUDGEMENT,
            f"Leiekontrakten utløper {fmt_date(end)}, men det er ikke opplyst om søker har rett "
            "til fornyelse.",
            f"Leigekontrakten går ut {fmt_date(end)}, men det er ikkje opplyst om søkjaren har "
            "rett til fornying.",
            facts,
        )
    if needs_no_renewal and renew:
        return _result(
            spec,
            Outcome.NOT_MET,
            f"Leiekontrakten utløper {fmt_date(end)}, men søker har rett til fornyelse.",
            f"Leigekontrakten går ut {fmt_date(end)}, men søkjaren har rett til fornying.",
            facts,
        )
    return _result(
        spec,
        Outcome.MET,
        f"Leiekontrakten utløper {fmt_date(end)}, innen {months} måneder etter "
        f"{fmt_date(ref)} ({at.nb}; grensen er {fmt_date(limit)}), og søker har ikke rett til "
        "fornyelse.",
        f"Leigekontrakten går ut {fmt_date(end)}, innan {months} månader etter "
        f"{fmt_date(ref)} ({at.nn}; grensa er {fmt_date(limit)}), og søkjaren har ikkje rett "
        "til fornying.",
        facts,
    )


# --- institution_discharge_within_months ---------------------------------------------------------


def _check_discharge(spec: CriterionSpec) -> None:
    _allowed_params(spec, "months", "at")
    if _int_param(spec, "months") == 0:
        raise GuidelineDefinitionError(f"criterion {spec.id!r}: 'months' must be at least 1")
    _check_at(spec, "assessment_date")


def _eval_discharge(spec: CriterionSpec, ctx: Context) -> CriterionResult:
    """The applicant will be discharged from an institution within ``months`` months and has no
    home to go to.

    Rælingen 5.4 b) (raelingen L5395–5399): "Hvis søker ikke har noe bosted ved utskrivning fra
    institusjon eller liknende botilbud, og utskrivelse vil skje innen seks måneder". The month
    limit is counted as in ``lease_ending_within_months``.
    """
    months = _int_param(spec, "months")
    ref, at, ref_used = _reference_date(spec, ctx, "assessment_date")
    kind, kind_used = fact_used(ctx.facts, "housing.kind")
    discharge, discharge_used = fact_used(ctx.facts, "housing.institution_discharge_date")
    home, home_used = fact_used(ctx.facts, "housing.has_home_after_discharge")
    facts = [kind_used, discharge_used, home_used, ref_used]
    limit = add_months(ref, months)
    if discharge is None:
        if kind is not None and kind is not HousingKind.INSTITUTION:
            label = _HOUSING_KIND_TEXT[kind]
            return _result(
                spec,
                Outcome.NOT_MET,
                f"Søker bor ikke på institusjon (boforhold: {label.nb}).",
                f"Søkjaren bur ikkje på institusjon (butilhøve: {label.nn}).",
                facts,
            )
        return _result(
            spec,
            Outcome.NEEDS_JUDGEMENT,
            "Det er ikke opplyst når utskrivning skal skje.",
            "Det er ikkje opplyst når utskrivinga skal skje.",
            facts,
        )
    if discharge > limit:
        return _result(
            spec,
            Outcome.NOT_MET,
            f"Utskrivning skal skje {fmt_date(discharge)}, senere enn {months} måneder etter "
            f"{fmt_date(ref)} ({at.nb}); grensen er {fmt_date(limit)}.",
            f"Utskrivinga skal skje {fmt_date(discharge)}, seinare enn {months} månader etter "
            f"{fmt_date(ref)} ({at.nn}); grensa er {fmt_date(limit)}.",
            facts,
        )
    if home is None:
        return _result(
            spec,
            Outcome.NEEDS_JUDGEMENT,
            f"Utskrivning skal skje {fmt_date(discharge)}, men det er ikke opplyst om søker har "
            "et bosted å dra til.",
            f"Utskrivinga skal skje {fmt_date(discharge)}, men det er ikkje opplyst om "
            "søkjaren har ein bustad å dra til.",
            facts,
        )
    if home:
        return _result(
            spec,
            Outcome.NOT_MET,
            f"Utskrivning skal skje {fmt_date(discharge)}, og søker har et bosted å dra til.",
            f"Utskrivinga skal skje {fmt_date(discharge)}, og søkjaren har ein bustad å dra til.",
            facts,
        )
    return _result(
        spec,
        Outcome.MET,
        f"Utskrivning skal skje {fmt_date(discharge)}, innen {months} måneder etter "
        f"{fmt_date(ref)} ({at.nb}), og søker har ikke noe bosted å dra til.",
        f"Utskrivinga skal skje {fmt_date(discharge)}, innan {months} månader etter "
        f"{fmt_date(ref)} ({at.nn}), og søkjaren har ingen bustad å dra til.",
        facts,
    )


# --- dwelling_unsuitable -------------------------------------------------------------------------


def _eval_dwelling_unsuitable(spec: CriterionSpec, ctx: Context) -> CriterionResult:
    """The applicant's current dwelling is not suitable or not approved.

    Rælingen 5.4 c) (raelingen L5400–5401): "Hvis søkers nåværende bolig ikke er egnet eller
    godkjent". Either being false is enough; both true is not met; otherwise it needs judgement.
    """
    suitable, suitable_used = fact_used(ctx.facts, "housing.current_dwelling_is_suitable")
    approved, approved_used = fact_used(ctx.facts, "housing.current_dwelling_is_approved")
    facts = [suitable_used, approved_used]
    if suitable is False or approved is False:
        nb = [] if suitable is not False else ["ikke egnet"]
        nn = [] if suitable is not False else ["ikkje eigna"]
        if approved is False:
            nb.append("ikke godkjent")
            nn.append("ikkje godkjend")
        return _result(
            spec,
            Outcome.MET,
            f"Søkers nåværende bolig er {' og '.join(nb)}.",
            f"Den noverande bustaden til søkjaren er {' og '.join(nn)}.",
            facts,
        )
    if suitable and approved:
        return _result(
            spec,
            Outcome.NOT_MET,
            "Søkers nåværende bolig er egnet og godkjent.",
            "Den noverande bustaden til søkjaren er eigna og godkjend.",
            facts,
        )
    return _result(
        spec,
        Outcome.NEEDS_JUDGEMENT,
        "Det er ikke vurdert om søkers nåværende bolig er egnet og godkjent.",
        "Det er ikkje vurdert om den noverande bustaden til søkjaren er eigna og godkjend.",
        facts,
    )


# --- no_alternative_housing ----------------------------------------------------------------------


def _check_no_alternative(spec: CriterionSpec) -> None:
    _allowed_params(spec, "brokered_offer_disqualifies")
    _bool_param(spec, "brokered_offer_disqualifies", True)


def _eval_no_alternative(spec: CriterionSpec, ctx: Context) -> CriterionResult:
    """The applicant has no alternative way to obtain suitable housing on their own, and (if
    ``brokered_offer_disqualifies``) has not been offered a dwelling the municipality brokers.

    Rælingen 5.2 (raelingen L5370–5377): "Hvis søker har alternative muligheter til selv å skaffe
    egnet bolig, eller dersom kommunen formidler annen egnet bolig gjennom privat aktør som søker
    får tilbud om, er han/hun som hovedregel ikke kvalifisert".
    """
    brokered_counts = _bool_param(spec, "brokered_offer_disqualifies", True)
    options, options_used = fact_used(ctx.facts, "housing.has_alternative_housing_options")
    offer, offer_used = fact_used(ctx.facts, "housing.has_offer_of_brokered_private_dwelling")
    facts = [options_used, offer_used] if brokered_counts else [options_used]
    if options:
        return _result(
            spec,
            Outcome.NOT_MET,
            "Søker har alternative muligheter til selv å skaffe egnet bolig.",
            "Søkjaren har alternative moglegheiter til sjølv å skaffe eigna bustad.",
            facts,
        )
    if brokered_counts and offer:
        return _result(
            spec,
            Outcome.NOT_MET,
            "Søker har fått tilbud om annen egnet bolig som kommunen formidler gjennom privat "
            "aktør.",
            "Søkjaren har fått tilbod om annan eigna bustad som kommunen formidlar gjennom "
            "privat aktør.",
            facts,
        )
    if options is None or (brokered_counts and offer is None):
        return _result(
            spec,
            Outcome.NEEDS_JUDGEMENT,
            "Det er ikke vurdert fullt ut om søker har alternative muligheter til å skaffe egnet "
            "bolig.",
            "Det er ikkje vurdert fullt ut om søkjaren har alternative moglegheiter til å skaffe "
            "eigna bustad.",
            facts,
        )
    return _result(
        spec,
        Outcome.MET,
        "Søker har ikke alternative muligheter til selv å skaffe egnet bolig.",
        "Søkjaren har ikkje alternative moglegheiter til sjølv å skaffe eigna bustad.",
        facts,
    )


# --- income_ceiling_g and wealth_ceiling ---------------------------------------------------------

_G_LABEL = Text("Grunnbeløpet (G)", "Grunnbeløpet (G)")


def _multipliers(spec: CriterionSpec) -> tuple[Fraction | None, dict[int, Fraction]]:
    single = spec.params.get("multiplier")
    table = spec.params.get("multiplier_by_household_size")
    if (single is None) == (table is None):
        raise GuidelineDefinitionError(
            f"criterion {spec.id!r}: give exactly one of 'multiplier' and "
            "'multiplier_by_household_size'"
        )
    if single is not None:
        return _fraction(spec.id, single), {}
    if not isinstance(table, dict) or not table:
        raise GuidelineDefinitionError(
            f"criterion {spec.id!r}: 'multiplier_by_household_size' must map sizes to numbers"
        )
    by_size: dict[int, Fraction] = {}
    for key, value in table.items():
        if not str(key).isdigit() or int(key) < 1:
            raise GuidelineDefinitionError(f"criterion {spec.id!r}: bad household size {key!r}")
        by_size[int(key)] = _fraction(spec.id, value)
    return None, by_size


def _check_income_ceiling(spec: CriterionSpec) -> None:
    _allowed_params(spec, "multiplier", "multiplier_by_household_size")
    _multipliers(spec)


def _grunnbelop(spec: CriterionSpec, ctx: Context) -> tuple[int, FactUsed]:
    if ctx.grunnbelop is None:
        raise MissingParameterError(
            f"criterion {spec.id!r} needs the grunnbeløp: pass grunnbelop= to evaluate()"
        )
    return ctx.grunnbelop, FactUsed(path="grunnbelop", label=_G_LABEL, value=ctx.grunnbelop)


def _eval_income_ceiling(spec: CriterionSpec, ctx: Context) -> CriterionResult:
    """The household's gross annual income is at most ``multiplier`` × G.

    Oslo (oslo L3657–3659, footnote L3685–3687): "Inntektsgrensen for å kunne få kommunal bolig
    er 4G for en enslig". Income equal to the ceiling is within it ("ikke tjene mer enn 4G",
    oslo L4347). With ``multiplier_by_household_size`` the ceiling depends on the household size;
    a size the guideline does not give needs judgement rather than a guessed ceiling. G is the
    grunnbeløp for the assessment date, passed in by the caller.
    """
    single, by_size = _multipliers(spec)
    g, g_used = _grunnbelop(spec, ctx)
    income, income_used = fact_used(ctx.facts, "economy.gross_annual_income_kroner")
    size, size_used = fact_used(ctx.facts, "household_size")
    facts = [income_used, size_used, g_used]
    multiplier = single if single is not None else by_size.get(size)
    if multiplier is None:
        return _result(
            spec,
            Outcome.NEEDS_JUDGEMENT,
            f"Retningslinjen angir ikke inntektsgrense for husstander med {size} personer.",
            f"Retningslinja gir ikkje inntektsgrense for hushald med {size} personar.",
            facts,
        )
    ceiling = multiplier * g
    limit_nb = f"{fmt_multiplier(multiplier)} G ({fmt_kroner(ceiling)}, med G = {fmt_kroner(g)})"
    if income is None:
        return _result(
            spec,
            Outcome.NEEDS_JUDGEMENT,
            f"Husstandens inntekt er ikke opplyst. Inntektsgrensen er {limit_nb}.",
            f"Inntekta til hushaldet er ikkje opplyst. Inntektsgrensa er {limit_nb}.",
            facts,
        )
    if income <= ceiling:
        return _result(
            spec,
            Outcome.MET,
            f"Husstandens inntekt på {fmt_kroner(income)} er ikke høyere enn inntektsgrensen på "
            f"{limit_nb}.",
            f"Inntekta til hushaldet på {fmt_kroner(income)} er ikkje høgare enn inntektsgrensa "
            f"på {limit_nb}.",
            facts,
        )
    return _result(
        spec,
        Outcome.NOT_MET,
        f"Husstandens inntekt på {fmt_kroner(income)} er høyere enn inntektsgrensen på {limit_nb}.",
        f"Inntekta til hushaldet på {fmt_kroner(income)} er høgare enn inntektsgrensa på "
        f"{limit_nb}.",
        facts,
    )


def _check_wealth_ceiling(spec: CriterionSpec) -> None:
    _allowed_params(spec, "kroner", "multiplier_g")
    if ("kroner" in spec.params) == ("multiplier_g" in spec.params):
        raise GuidelineDefinitionError(
            f"criterion {spec.id!r}: give exactly one of 'kroner' and 'multiplier_g'"
        )
    if "kroner" in spec.params:
        _int_param(spec, "kroner")
    else:
        _fraction(spec.id, spec.params["multiplier_g"])


def _eval_wealth_ceiling(spec: CriterionSpec, ctx: Context) -> CriterionResult:
    """The household's wealth (*formue*) is at most a fixed amount or a multiple of G.

    Wealth is one of the factors of Rælingen 5.6 (raelingen L5421–5425); a municipality that
    turns it into a fixed ceiling uses this kind. Wealth equal to the ceiling is within it.
    """
    facts: list[FactUsed] = []
    if "kroner" in spec.params:
        ceiling: Fraction = Fraction(_int_param(spec, "kroner"))
        limit = fmt_kroner(ceiling)
    else:
        multiplier = _fraction(spec.id, spec.params["multiplier_g"])
        g, g_used = _grunnbelop(spec, ctx)
        facts.append(g_used)
        ceiling = multiplier * g
        limit = f"{fmt_multiplier(multiplier)} G ({fmt_kroner(ceiling)}, med G = {fmt_kroner(g)})"
    wealth, wealth_used = fact_used(ctx.facts, "economy.wealth_kroner")
    facts.insert(0, wealth_used)
    if wealth is None:
        return _result(
            spec,
            Outcome.NEEDS_JUDGEMENT,
            f"Husstandens formue er ikke opplyst. Formuesgrensen er {limit}.",
            f"Formuen til hushaldet er ikkje opplyst. Formuegrensa er {limit}.",
            facts,
        )
    if wealth <= ceiling:
        return _result(
            spec,
            Outcome.MET,
            f"Husstandens formue på {fmt_kroner(wealth)} er ikke høyere enn grensen på {limit}.",
            f"Formuen til hushaldet på {fmt_kroner(wealth)} er ikkje høgare enn grensa på {limit}.",
            facts,
        )
    return _result(
        spec,
        Outcome.NOT_MET,
        f"Husstandens formue på {fmt_kroner(wealth)} er høyere enn grensen på {limit}.",
        f"Formuen til hushaldet på {fmt_kroner(wealth)} er høgare enn grensa på {limit}.",
        facts,
    )


# --- debt_to_municipality ------------------------------------------------------------------------


def _check_debt(spec: CriterionSpec) -> None:
    _allowed_params(spec, "agreement_must_be_realistic")
    _bool_param(spec, "agreement_must_be_realistic", True)


def _eval_debt(spec: CriterionSpec, ctx: Context) -> CriterionResult:  # noqa: PLR0911
    """Defaulted obligations to the municipality are paid, or a (realistic) repayment agreement
    has been made.

    Rælingen 5.7 (raelingen L5428–5436): "Dersom søkeren ovenfor kommunen har misligholdt
    husleie, boliglånsforpliktelser, sosiallån og/eller andre forpliktelser, forutsettes det som
    hovedregel at restansen blir nedbetalt eller at det inngås en realistisk nedbetalingsavtale
    før vedkommende kan få tilsagn".
    """
    realistic_required = _bool_param(spec, "agreement_must_be_realistic", True)
    arrears, arrears_used = fact_used(ctx.facts, "municipal_debt.outstanding_arrears_kroner")
    _kinds, kinds_used = fact_used(ctx.facts, "municipal_debt.kinds")
    agreement, agreement_used = fact_used(ctx.facts, "municipal_debt.has_repayment_agreement")
    realistic, realistic_used = fact_used(
        ctx.facts, "municipal_debt.repayment_agreement_is_realistic"
    )
    facts = [arrears_used, kinds_used, agreement_used]
    if realistic_required:
        facts.append(realistic_used)
    if arrears is None:
        return _result(
            spec,
            Outcome.NEEDS_JUDGEMENT,
            "Det er ikke undersøkt om søker har misligholdt forpliktelser overfor kommunen.",
            "Det er ikkje undersøkt om søkjaren har misleghalde plikter overfor kommunen.",
            facts,
        )
    if arrears < 0:
        raise ValueError("municipal_debt.outstanding_arrears_kroner cannot be negative")
    if arrears == 0:
        return _result(
            spec,
            Outcome.MET,
            "Søker har ingen uoppgjort restanse til kommunen.",
            "Søkjaren har ingen uoppgjord restanse til kommunen.",
            facts,
        )
    owed_nb = f"Søker har en restanse til kommunen på {fmt_kroner(arrears)}"
    owed_nn = f"Søkjaren har ein restanse til kommunen på {fmt_kroner(arrears)}"
    if agreement is None:
        return _result(
            spec,
            Outcome.NEEDS_JUDGEMENT,
            f"{owed_nb}; det er ikke opplyst om det er inngått nedbetalingsavtale.",
            f"{owed_nn}; det er ikkje opplyst om det er inngått nedbetalingsavtale.",
            facts,
        )
    if not agreement:
        return _result(
            spec,
            Outcome.NOT_MET,
            f"{owed_nb} og har ikke inngått nedbetalingsavtale.",
            f"{owed_nn} og har ikkje inngått nedbetalingsavtale.",
            facts,
        )
    if realistic_required and realistic is None:
        return _result(
            spec,
            Outcome.NEEDS_JUDGEMENT,
            f"{owed_nb} og har inngått nedbetalingsavtale; det er ikke vurdert om avtalen er "
            "realistisk.",
            f"{owed_nn} og har inngått nedbetalingsavtale; det er ikkje vurdert om avtalen er "
            "realistisk.",
            facts,
        )
    if realistic_required and not realistic:
        return _result(
            spec,
            Outcome.NOT_MET,
            f"{owed_nb}, og nedbetalingsavtalen er ikke realistisk.",
            f"{owed_nn}, og nedbetalingsavtalen er ikkje realistisk.",
            facts,
        )
    return _result(
        spec,
        Outcome.MET,
        f"{owed_nb}, men har inngått en realistisk nedbetalingsavtale."
        if realistic_required
        else f"{owed_nb}, men har inngått nedbetalingsavtale.",
        f"{owed_nn}, men har inngått ei realistisk nedbetalingsavtale."
        if realistic_required
        else f"{owed_nn}, men har inngått nedbetalingsavtale.",
        facts,
    )


# --- judgement -----------------------------------------------------------------------------------


def _facts_shown(spec: CriterionSpec) -> tuple[str, ...]:
    raw = spec.params.get("facts_shown", [])
    if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
        raise GuidelineDefinitionError(f"criterion {spec.id!r}: 'facts_shown' must be a list")
    for path in raw:
        if path not in FACT_LABELS:
            raise GuidelineDefinitionError(f"criterion {spec.id!r}: unknown fact path {path!r}")
    return tuple(raw)


def _check_judgement(spec: CriterionSpec) -> None:
    _allowed_params(spec, "facts_shown")
    _facts_shown(spec)


def _eval_judgement(spec: CriterionSpec, ctx: Context) -> CriterionResult:
    """An inherently discretionary criterion (*skjønnsmessig vurdering*).

    It needs judgement until the caseworker records a :class:`CaseworkerAssessment` for it, with
    reasons (forvaltningsloven § 25 third paragraph). The facts in ``facts_shown`` are listed to
    support the assessment. Examples: Rælingen 5.6, the individual assessment of the household's
    total economy (raelingen L5416–5426); 7.1, tilsagn "ut fra en skjønnsmessig vurdering".
    """
    facts = [fact_used(ctx.facts, path)[1] for path in _facts_shown(spec)]
    assessment = ctx.assessments.get(spec.id)
    if assessment is None:
        return _result(
            spec,
            Outcome.NEEDS_JUDGEMENT,
            "Dette kravet bygger på en skjønnsmessig vurdering som saksbehandler må gjøre.",
            "Dette kravet byggjer på ei skjønsmessig vurdering som saksbehandlaren må gjere.",
            facts,
            judgeable=True,
        )
    verdict_nb, verdict_nn = _verdict(assessment.outcome)
    return _result(
        spec,
        assessment.outcome,
        f"Saksbehandler har vurdert kravet som {verdict_nb}: {assessment.reason}",
        f"Saksbehandlaren har vurdert kravet som {verdict_nn}: {assessment.reason}",
        facts,
        assessment=assessment,
        judgeable=True,
    )


def _verdict(outcome: Outcome) -> tuple[str, str]:
    if outcome is Outcome.MET:
        return "oppfylt", "oppfylt"
    return "ikke oppfylt", "ikkje oppfylt"


# --- all_of and any_of ---------------------------------------------------------------------------


def _check_composite(spec: CriterionSpec) -> None:
    _allowed_params(spec)
    minimum = 2 if spec.kind == "any_of" else 1
    if len(spec.children) < minimum:
        raise GuidelineDefinitionError(
            f"criterion {spec.id!r}: {spec.kind} needs at least {minimum} sub-criteria"
        )


def _titles(results: Sequence[CriterionResult], outcome: Outcome) -> Text:
    chosen = [r.title for r in results if r.outcome is outcome]
    return Text("; ".join(t.nb for t in chosen), "; ".join(t.nn for t in chosen))


def _eval_all_of(spec: CriterionSpec, ctx: Context) -> CriterionResult:
    """All sub-criteria must be met (three-valued: any not met → not met; else any needing
    judgement → needs judgement). Used where a guideline point joins requirements with "og",
    e.g. Rælingen 5.4: without suitable housing **and** in need of help (raelingen L5388–5390)."""
    children = [evaluate_criterion(child, ctx) for child in spec.children]
    outcomes = {c.outcome for c in children}
    if Outcome.NOT_MET in outcomes:
        t = _titles(children, Outcome.NOT_MET)
        return _result(
            spec,
            Outcome.NOT_MET,
            f"Delkrav som ikke er oppfylt: {t.nb}.",
            f"Delkrav som ikkje er oppfylte: {t.nn}.",
            children=children,
        )
    if Outcome.NEEDS_JUDGEMENT in outcomes:
        t = _titles(children, Outcome.NEEDS_JUDGEMENT)
        return _result(
            spec,
            Outcome.NEEDS_JUDGEMENT,
            f"Delkrav som må vurderes nærmere: {t.nb}.",
            f"Delkrav som må vurderast nærare: {t.nn}.",
            children=children,
        )
    return _result(
        spec,
        Outcome.MET,
        "Alle delkravene er oppfylt.",
        "Alle delkrava er oppfylte.",
        children=children,
    )


def _eval_any_of(spec: CriterionSpec, ctx: Context) -> CriterionResult:
    """At least one alternative must be met (three-valued: any met → met; else any needing
    judgement → needs judgement; all not met → not met). Used for lists joined by "eller",
    e.g. Rælingen 5.4 a)–c) (raelingen L5391–5401)."""
    children = [evaluate_criterion(child, ctx) for child in spec.children]
    outcomes = {c.outcome for c in children}
    if Outcome.MET in outcomes:
        t = _titles(children, Outcome.MET)
        return _result(
            spec,
            Outcome.MET,
            f"Oppfylt gjennom: {t.nb}.",
            f"Oppfylt gjennom: {t.nn}.",
            children=children,
        )
    if Outcome.NEEDS_JUDGEMENT in outcomes:
        t = _titles(children, Outcome.NEEDS_JUDGEMENT)
        return _result(
            spec,
            Outcome.NEEDS_JUDGEMENT,
            f"Ingen av alternativene er oppfylt ennå. Må vurderes nærmere: {t.nb}.",
            f"Ingen av alternativa er oppfylte enno. Må vurderast nærare: {t.nn}.",
            children=children,
        )
    return _result(
        spec,
        Outcome.NOT_MET,
        "Ingen av alternativene er oppfylt.",
        "Ingen av alternativa er oppfylte.",
        children=children,
    )


# --- fact_is_true (a yes/no fact the caseworker records) ------------------------------------------


def _fact_param(spec: CriterionSpec) -> str:
    path = spec.params.get("fact")
    if not isinstance(path, str) or path not in FACT_LABELS:
        raise GuidelineDefinitionError(f"criterion {spec.id!r}: 'fact' must be a known fact path")
    return path


def _check_fact_is_true(spec: CriterionSpec) -> None:
    _allowed_params(spec, "fact")
    _fact_param(spec)


def _eval_fact_is_true(spec: CriterionSpec, ctx: Context) -> CriterionResult:
    """A requirement stated as one yes/no fact that the caseworker records with its source, e.g.
    Rælingen's start-loan criterion 1, long-term financing problems (raelingen L5575–5578), or
    forskrift om lån fra Husbanken § 5-2 (no loan, or not a large enough one, from a bank).
    Unknown needs judgement; never a silent pass."""
    value, used = fact_used(ctx.facts, _fact_param(spec))
    if value is None:
        return _result(
            spec,
            Outcome.NEEDS_JUDGEMENT,
            f"Det er ikke registrert om dette gjelder: {used.label.nb}.",
            f"Det er ikkje registrert om dette gjeld: {used.label.nn}.",
            [used],
        )
    if not isinstance(value, bool):
        raise GuidelineDefinitionError(f"fact {used.path!r} is not a yes/no fact")
    if value:
        return _result(spec, Outcome.MET, f"Ja: {used.label.nb}.", f"Ja: {used.label.nn}.", [used])
    return _result(
        spec, Outcome.NOT_MET, f"Nei: {used.label.nb}.", f"Nei: {used.label.nn}.", [used]
    )


# --- affordability_margin ------------------------------------------------------------------------


def _check_affordability(spec: CriterionSpec) -> None:
    _allowed_params(spec, "at_least_kroner")
    _int_param(spec, "at_least_kroner", 0)


def _eval_affordability(spec: CriterionSpec, ctx: Context) -> CriterionResult:
    """The household can pay interest and instalments and still have enough to live on
    (forskrift om lån fra Husbanken § 5-2; Rælingen start-loan criterion 2, raelingen
    L5580–5590): the monthly margin of the assessed loan solution, from the affordability
    calculation (husly.rules.start_loan), is at least ``at_least_kroner``."""
    least = _int_param(spec, "at_least_kroner", 0)
    margin, used = fact_used(ctx.facts, "start_loan.affordability_margin_kroner")
    if margin is None:
        return _result(
            spec,
            Outcome.NEEDS_JUDGEMENT,
            "Betjeningsevnen er ikke beregnet ennå.",
            "Betalingsevna er ikkje rekna ut enno.",
            [used],
        )
    if margin >= least:
        return _result(
            spec,
            Outcome.MET,
            f"Marginen er {fmt_kroner(margin)} per måned, minst {fmt_kroner(least)}.",
            f"Marginen er {fmt_kroner(margin)} per månad, minst {fmt_kroner(least)}.",
            [used],
        )
    return _result(
        spec,
        Outcome.NOT_MET,
        f"Marginen er {fmt_kroner(margin)} per måned, under {fmt_kroner(least)}.",
        f"Marginen er {fmt_kroner(margin)} per månad, under {fmt_kroner(least)}.",
        [used],
    )


# --- dwelling_in_municipality --------------------------------------------------------------------


def _eval_dwelling_in_municipality(spec: CriterionSpec, ctx: Context) -> CriterionResult:
    """The dwelling lies in the municipality (Rælingen start-loan criterion 5, raelingen
    L5629–5631: "Boligen må ligge i Rælingen kommune"). Every kommunenummer the municipality
    has had counts."""
    number, used = fact_used(ctx.facts, "start_loan.dwelling_municipality_number")
    if number is None:
        return _result(
            spec,
            Outcome.NEEDS_JUDGEMENT,
            "Det er ikke registrert hvor boligen ligger.",
            "Det er ikkje registrert kvar bustaden ligg.",
            [used],
        )
    if number in ctx.municipality_numbers:
        return _result(
            spec,
            Outcome.MET,
            f"Boligen ligger i {ctx.municipality_name}.",
            f"Bustaden ligg i {ctx.municipality_name}.",
            [used],
        )
    return _result(
        spec,
        Outcome.NOT_MET,
        f"Boligen ligger ikke i {ctx.municipality_name} (kommunenummer {number}).",
        f"Bustaden ligg ikkje i {ctx.municipality_name} (kommunenummer {number}).",
        [used],
    )


# --- registry ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KindDef:
    """A criterion kind: parameter check (run at load time) and evaluator."""

    check: Callable[[CriterionSpec], None]
    evaluate: Callable[[CriterionSpec, Context], CriterionResult]
    composite: bool = False
    judgeable: bool = False
    """The set can hand this kind to the caseworker's judgement (``judgement`` always;
    ``lawful_residence`` for the statuses the set lists under ``judgement``). Only such criteria
    take a :class:`CaseworkerAssessment`; the others are decided by recorded facts."""


KINDS: dict[str, KindDef] = {
    "min_age": KindDef(_check_min_age, _eval_min_age),
    "residence_period": KindDef(_check_residence_period, _eval_residence_period),
    "registered_in_municipality": KindDef(_check_registered, _eval_registered),
    "lawful_residence": KindDef(_check_lawful_residence, _eval_lawful_residence, judgeable=True),
    "without_suitable_housing": KindDef(_check_no_params, _eval_without_suitable_housing),
    "lease_ending_within_months": KindDef(_check_lease_ending, _eval_lease_ending),
    "institution_discharge_within_months": KindDef(_check_discharge, _eval_discharge),
    "dwelling_unsuitable": KindDef(_check_no_params, _eval_dwelling_unsuitable),
    "no_alternative_housing": KindDef(_check_no_alternative, _eval_no_alternative),
    "income_ceiling_g": KindDef(_check_income_ceiling, _eval_income_ceiling),
    "wealth_ceiling": KindDef(_check_wealth_ceiling, _eval_wealth_ceiling),
    "debt_to_municipality": KindDef(_check_debt, _eval_debt),
    "judgement": KindDef(_check_judgement, _eval_judgement, judgeable=True),
    "fact_is_true": KindDef(_check_fact_is_true, _eval_fact_is_true),
    "affordability_margin": KindDef(_check_affordability, _eval_affordability),
    "dwelling_in_municipality": KindDef(_check_no_params, _eval_dwelling_in_municipality),
    "all_of": KindDef(_check_composite, _eval_all_of, composite=True),
    "any_of": KindDef(_check_composite, _eval_any_of, composite=True),
}
"""Every criterion kind a guideline set may use, by the name used in YAML."""


def evaluate_criterion(spec: CriterionSpec, ctx: Context) -> CriterionResult:
    """Evaluate one criterion (and its sub-criteria) against the facts in ``ctx``."""
    return KINDS[spec.kind].evaluate(spec, ctx)


# --- predicates (for exceptions, conditions and considerations) ---------------------------------

PREDICATES = ("always", "fact_is_true", "household_has_children", "applicant_younger_than")


def check_predicate(predicate: Predicate, where: str) -> None:
    """Validate a predicate when a set is loaded."""
    if predicate.name not in PREDICATES:
        raise GuidelineDefinitionError(f"{where}: unknown predicate {predicate.name!r}")
    if predicate.name == "fact_is_true" and predicate.argument not in FACT_LABELS:
        raise GuidelineDefinitionError(f"{where}: unknown fact path {predicate.argument!r}")
    if predicate.name == "applicant_younger_than" and (
        isinstance(predicate.argument, bool) or not isinstance(predicate.argument, int)
    ):
        raise GuidelineDefinitionError(f"{where}: applicant_younger_than needs a number of years")
    if predicate.name in ("always", "household_has_children") and predicate.argument is not None:
        raise GuidelineDefinitionError(f"{where}: {predicate.name} takes no argument")


def evaluate_predicate(
    predicate: Predicate, facts: CaseFacts
) -> tuple[bool | None, tuple[FactUsed, ...]]:
    """Evaluate a predicate: ``True``, ``False`` or ``None`` (unknown), with the facts used."""
    if predicate.name == "always":
        return True, ()
    if predicate.name == "fact_is_true":
        value, used = fact_used(facts, str(predicate.argument))
        if value is not None and not isinstance(value, bool):
            raise GuidelineDefinitionError(f"fact {predicate.argument!r} is not a yes/no fact")
        return value, (used,)
    if predicate.name == "household_has_children":
        count, used = fact_used(facts, "children_count")
        return count > 0, (used,)
    if predicate.name == "applicant_younger_than":
        years = predicate.argument
        assert isinstance(years, int)  # noqa: S101 - internal invariant
        dob, dob_used = fact_used(facts, "applicant.date_of_birth")
        ref, ref_used = fact_used(facts, "application_date")
        if dob is None:
            return None, (dob_used, ref_used)
        return add_months(dob, 12 * years) > ref, (dob_used, ref_used)
    raise GuidelineDefinitionError(f"unknown predicate {predicate.name!r}")

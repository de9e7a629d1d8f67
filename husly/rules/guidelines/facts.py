"""The facts of one case that guideline criteria are evaluated against (plain dataclasses).

Every field that the application or the registers may not (yet) tell us is optional and defaults
to ``None``, meaning **unknown**. A criterion that needs an unknown fact evaluates to
``needs_judgement``; it never passes silently. ``False`` and ``0`` are facts, not unknowns.

The Django side fills a :class:`CaseFacts` from its models (person, household, application,
debts) and passes it to :func:`husly.rules.guidelines.evaluate`. Names follow spec/glossary.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from husly.rules.guidelines.text import Text

__all__ = [
    "FACT_LABELS",
    "Applicant",
    "CaseFacts",
    "Economy",
    "FollowUp",
    "GrantFacts",
    "HealthAndSocial",
    "HouseholdMember",
    "HousingKind",
    "HousingSituation",
    "MemberRole",
    "MunicipalDebt",
    "MunicipalDebtKind",
    "ResidenceStatus",
    "StartLoanFacts",
    "resolve_fact",
]


class ResidenceStatus(StrEnum):
    """The applicant's right to stay in Norway (*oppholdsstatus*)."""

    NORWEGIAN_CITIZEN = "norwegian_citizen"
    PERMANENT_RESIDENCE_PERMIT = "permanent_residence_permit"
    TEMPORARY_RESIDENCE_PERMIT = "temporary_residence_permit"
    EEA_RIGHT_OF_RESIDENCE = "eea_right_of_residence"
    """EEA/EFTA national registered with a right of residence (*oppholdsrett*), not a permit."""
    NO_RESIDENCE_PERMIT = "no_residence_permit"
    """For instance an asylum seeker awaiting a decision, or no lawful residence."""


class HousingKind(StrEnum):
    """Where the applicant lives now (*nåværende boforhold*)."""

    OWNED = "owned"
    RENTED_PRIVATE = "rented_private"
    RENTED_MUNICIPAL = "rented_municipal"
    INSTITUTION = "institution"
    """Institution or similar accommodation (*institusjon eller liknende botilbud*), incl.
    prison."""
    TEMPORARY_ACCOMMODATION = "temporary_accommodation"
    WITH_FAMILY_OR_FRIENDS = "with_family_or_friends"
    NO_HOME = "no_home"
    OTHER = "other"


class MemberRole(StrEnum):
    """A household member's relation to the applicant."""

    SPOUSE_OR_PARTNER = "spouse_or_partner"
    CHILD = "child"
    OTHER = "other"


class MunicipalDebtKind(StrEnum):
    """Kinds of obligation to the municipality named in Rælingen point 5.7
    (raelingen L5430–5432)."""

    RENT = "rent"
    HOUSING_LOAN = "housing_loan"
    SOCIAL_LOAN = "social_loan"
    OTHER = "other"


@dataclass(frozen=True)
class Applicant:
    """The main applicant (*søker*)."""

    date_of_birth: date | None = None
    residence_status: ResidenceStatus | None = None
    residence_permit_valid_until: date | None = None
    """Expiry of a temporary permit; ``None`` for citizens, permanent permits or unknown."""
    registered_municipality_number: str | None = None
    """Kommunenummer of the population-register address (*folkeregistrert adresse*), 4 digits."""
    registered_in_municipality_since: date | None = None
    lived_in_municipality_since: date | None = None
    """Start of the current continuous period of living in the municipality (*botid*)."""
    has_daily_care_of_children: bool | None = None


@dataclass(frozen=True)
class HouseholdMember:
    """Another member of the applicant's household (*husstandsmedlem*), not the applicant."""

    role: MemberRole
    date_of_birth: date | None = None


@dataclass(frozen=True)
class HousingSituation:
    """The current housing situation and the alternatives open to the applicant."""

    kind: HousingKind | None = None
    is_without_suitable_housing: bool | None = None
    """Without a suitable dwelling now (*uten egnet bolig*), as assessed by the caseworker."""
    lease_end_date: date | None = None
    has_right_to_renew_lease: bool | None = None
    institution_discharge_date: date | None = None
    has_home_after_discharge: bool | None = None
    current_dwelling_is_suitable: bool | None = None
    current_dwelling_is_approved: bool | None = None
    has_alternative_housing_options: bool | None = None
    """Can obtain suitable housing in another way on their own (*alternative muligheter*)."""
    has_offer_of_brokered_private_dwelling: bool | None = None
    """Has been offered another suitable dwelling that the municipality brokers from a private
    actor (*formidler gjennom privat aktør*)."""


@dataclass(frozen=True)
class Economy:
    """The household's total economy (*husstandens totaløkonomi*), whole kroner."""

    gross_annual_income_kroner: int | None = None
    wealth_kroner: int | None = None
    debt_kroner: int | None = None
    maintenance_obligations_kroner_per_year: int | None = None
    """Child maintenance and similar obligations paid (*bidragsforpliktelse*)."""


@dataclass(frozen=True)
class MunicipalDebt:
    """Defaulted obligations to the municipality itself (Rælingen point 5.7)."""

    outstanding_arrears_kroner: int | None = None
    """Unpaid defaulted amount (*restanse*); 0 means none or paid off; ``None`` means not
    checked."""
    kinds: tuple[MunicipalDebtKind, ...] = ()
    has_repayment_agreement: bool | None = None
    repayment_agreement_is_realistic: bool | None = None


@dataclass(frozen=True)
class HealthAndSocial:
    """Health, functional and social circumstances (sensitive). Used for target group and
    prioritisation, not as pass/fail criteria."""

    has_reduced_functional_ability: bool | None = None
    has_health_problems: bool | None = None
    has_social_problems: bool | None = None


@dataclass(frozen=True)
class FollowUp:
    """Ability to live independently and follow-up needs (*boevne/oppfølgingsbehov*)."""

    needs_housing_follow_up: bool | None = None
    """The municipality considers housing follow-up (*booppfølging*) necessary."""
    has_rent_payment_plan: bool | None = None
    all_measures_tried: bool | None = None
    """All other measures tried, so income management (*forvaltning av inntekt*) is considered."""


@dataclass(frozen=True)
class StartLoanFacts:
    """What a start-loan (*startlån*) application adds: the financing problem, the affordability
    margin the calculation gave, savings, the dwelling and the grounds for exception
    (forskrift om lån fra Husbanken §§ 5-2 and 5-4; Rælingen's start-loan criteria 1–5,
    raelingen L5567–5636)."""

    has_long_term_financing_problems: bool | None = None
    """Long-term problems financing an owned home (§ 5-4 a; Rælingen criterion 1)."""
    bank_cannot_finance: bool | None = None
    """Cannot get a loan, or a large enough loan, from an ordinary bank (§ 5-2; never waived)."""
    affordability_margin_kroner: int | None = None
    """Monthly margin after the loan payment and living costs in the assessed loan solution."""
    has_used_opportunity_to_save: bool | None = None
    """Has saved within what income and necessary living costs allow (§ 5-4 b; criterion 4)."""
    dwelling_municipality_number: str | None = None
    """Kommunenummer where the dwelling sought or found lies."""
    dwelling_is_suitable: bool | None = None
    dwelling_price_is_reasonable: bool | None = None
    """Price (with the share of common debt for a cooperative) reasonable for the local level."""
    health_needs_stable_home_soon: bool | None = None
    """Special health challenges mean a safe, stable home must be secured soon (exception a)."""
    refinancing_lets_household_stay: bool | None = None
    """Struggles with housing costs; refinancing lets the household stay (exception b)."""
    housing_prevents_work_or_business: bool | None = None
    """The housing situation prevents keeping a job or hinders local business (exception c)."""
    frees_municipal_dwelling: bool | None = None
    """The loan frees up a municipally disposed dwelling (exception d)."""


@dataclass(frozen=True)
class GrantFacts:
    """What a municipal housing grant application adds (establishment grant, *etableringstilskudd*;
    adaptation grant, *tilpasningstilskudd*). The grants are municipal with no national amounts
    (spec/law-and-parameters.md 3): the municipality's own rules decide."""

    cannot_finance_otherwise: bool | None = None
    """Strict economic needs test: the household cannot finance the purchase or the adaptation
    with its own means and the loans it can carry."""
    longer_term_fully_used: bool | None = None
    """A longer start-loan term and the other loan steps were considered first (establishment)."""
    dwelling_is_suitable: bool | None = None
    """The dwelling is, or after necessary repair will be, habitable and suitable
    (establishment)."""
    has_reduced_function_or_is_older: bool | None = None
    """Someone in the household has reduced function, or is older and adapts preventively
    (adaptation)."""
    adaptation_is_appropriate: bool | None = None
    """The adaptation is appropriate for the need (adaptation)."""


@dataclass(frozen=True)
class CaseFacts:
    """Everything a guideline set may look at for one application.

    ``application_date`` is the *søknadstidspunkt*; ``assessment_date`` is the date the facts
    describe and present-tense criteria are judged at (defaults to the application date). When a
    situation is checked again before the lease is signed (Rælingen 7.3 a), pass the new facts
    with a later ``assessment_date`` and the same ``application_date``.
    """

    application_date: date
    assessment_date: date | None = None
    applicant: Applicant = field(default_factory=Applicant)
    household_members: tuple[HouseholdMember, ...] = ()
    housing: HousingSituation = field(default_factory=HousingSituation)
    economy: Economy = field(default_factory=Economy)
    municipal_debt: MunicipalDebt = field(default_factory=MunicipalDebt)
    health: HealthAndSocial = field(default_factory=HealthAndSocial)
    follow_up: FollowUp = field(default_factory=FollowUp)
    start_loan: StartLoanFacts = field(default_factory=StartLoanFacts)
    grant: GrantFacts = field(default_factory=GrantFacts)

    @property
    def effective_assessment_date(self) -> date:
        """The assessment date, or the application date when none was given."""
        return self.assessment_date or self.application_date

    @property
    def household_size(self) -> int:
        """Persons in the household, the applicant included."""
        return 1 + len(self.household_members)

    @property
    def children_count(self) -> int:
        """Household members registered with the role child."""
        return sum(1 for m in self.household_members if m.role is MemberRole.CHILD)


def _t(nb: str, nn: str) -> Text:
    return Text(nb=nb, nn=nn)


FACT_LABELS: dict[str, Text] = {
    "application_date": _t("Søknadsdato", "Søknadsdato"),
    "effective_assessment_date": _t("Vurderingsdato", "Vurderingsdato"),
    "household_size": _t("Antall personer i husstanden", "Tal på personar i hushaldet"),
    "children_count": _t("Antall barn i husstanden", "Tal på barn i hushaldet"),
    "applicant.date_of_birth": _t("Søkers fødselsdato", "Fødselsdatoen til søkjaren"),
    "applicant.residence_status": _t("Oppholdsstatus", "Opphaldsstatus"),
    "applicant.residence_permit_valid_until": _t(
        "Oppholdstillatelsen gjelder til", "Opphaldsløyvet gjeld til"
    ),
    "applicant.registered_municipality_number": _t(
        "Folkeregistrert i kommune (kommunenummer)", "Folkeregistrert i kommune (kommunenummer)"
    ),
    "applicant.registered_in_municipality_since": _t(
        "Folkeregistrert i kommunen siden", "Folkeregistrert i kommunen sidan"
    ),
    "applicant.lived_in_municipality_since": _t(
        "Bodd sammenhengende i kommunen siden", "Budd samanhengande i kommunen sidan"
    ),
    "applicant.has_daily_care_of_children": _t(
        "Har daglig omsorg for barn", "Har dagleg omsorg for barn"
    ),
    "housing.kind": _t("Nåværende boforhold", "Noverande butilhøve"),
    "housing.is_without_suitable_housing": _t("Er uten egnet bolig", "Er utan eigna bustad"),
    "housing.lease_end_date": _t("Leiekontrakten utløper", "Leigekontrakten går ut"),
    "housing.has_right_to_renew_lease": _t("Har rett til fornyelse", "Har rett til fornying"),
    "housing.institution_discharge_date": _t("Dato for utskrivning", "Dato for utskriving"),
    "housing.has_home_after_discharge": _t(
        "Har bosted ved utskrivning", "Har bustad ved utskriving"
    ),
    "housing.current_dwelling_is_suitable": _t(
        "Nåværende bolig er egnet", "Noverande bustad er eigna"
    ),
    "housing.current_dwelling_is_approved": _t(
        "Nåværende bolig er godkjent", "Noverande bustad er godkjend"
    ),
    "housing.has_alternative_housing_options": _t(
        "Har alternative muligheter til selv å skaffe egnet bolig",
        "Har alternative moglegheiter til sjølv å skaffe eigna bustad",
    ),
    "housing.has_offer_of_brokered_private_dwelling": _t(
        "Har fått tilbud om annen egnet bolig formidlet gjennom privat aktør",
        "Har fått tilbod om annan eigna bustad formidla gjennom privat aktør",
    ),
    "economy.gross_annual_income_kroner": _t(
        "Husstandens samlede bruttoinntekt per år", "Samla bruttoinntekt for hushaldet per år"
    ),
    "economy.wealth_kroner": _t("Formue", "Formue"),
    "economy.debt_kroner": _t("Gjeld", "Gjeld"),
    "economy.maintenance_obligations_kroner_per_year": _t(
        "Bidragsforpliktelser per år", "Bidragsplikter per år"
    ),
    "municipal_debt.outstanding_arrears_kroner": _t(
        "Restanse til kommunen", "Restanse til kommunen"
    ),
    "municipal_debt.kinds": _t("Type forpliktelse", "Type plikt"),
    "municipal_debt.has_repayment_agreement": _t(
        "Har inngått nedbetalingsavtale", "Har inngått nedbetalingsavtale"
    ),
    "municipal_debt.repayment_agreement_is_realistic": _t(
        "Nedbetalingsavtalen er realistisk", "Nedbetalingsavtalen er realistisk"
    ),
    "health.has_reduced_functional_ability": _t("Nedsatt funksjonsevne", "Nedsett funksjonsevne"),
    "health.has_health_problems": _t("Helsemessige problemer", "Helsemessige problem"),
    "health.has_social_problems": _t("Sosiale problemer", "Sosiale problem"),
    "follow_up.needs_housing_follow_up": _t(
        "Kommunen vurderer booppfølging som nødvendig",
        "Kommunen vurderer buoppfølging som naudsynt",
    ),
    "follow_up.has_rent_payment_plan": _t(
        "Har plan for hvordan husleien blir betalt", "Har plan for korleis husleiga blir betalt"
    ),
    "follow_up.all_measures_tried": _t("Alle muligheter er forsøkt", "Alle moglegheiter er prøvde"),
    "start_loan.has_long_term_financing_problems": _t(
        "Har langvarige problemer med å finansiere bolig",
        "Har langvarige problem med å finansiere bustad",
    ),
    "start_loan.bank_cannot_finance": _t(
        "Får ikke lån, eller stort nok lån, i vanlig bank",
        "Får ikkje lån, eller stort nok lån, i vanleg bank",
    ),
    "start_loan.affordability_margin_kroner": _t(
        "Margin etter lån og livsopphold (kr per måned)",
        "Margin etter lån og livsopphald (kr per månad)",
    ),
    "start_loan.has_used_opportunity_to_save": _t(
        "Har benyttet muligheten til å spare", "Har nytta moglegheita til å spare"
    ),
    "start_loan.dwelling_municipality_number": _t(
        "Boligen ligger i kommune (kommunenummer)", "Bustaden ligg i kommune (kommunenummer)"
    ),
    "start_loan.dwelling_is_suitable": _t(
        "Boligen er egnet for husstanden", "Bustaden er eigna for hushaldet"
    ),
    "start_loan.dwelling_price_is_reasonable": _t(
        "Prisen (med andel fellesgjeld) er nøktern for prisnivået",
        "Prisen (med del av fellesgjeld) er nøktern for prisnivået",
    ),
    "start_loan.health_needs_stable_home_soon": _t(
        "Helsemessige utfordringer gjør at trygg bolig må sikres snart",
        "Helsemessige utfordringar gjer at trygg bustad må sikrast snart",
    ),
    "start_loan.refinancing_lets_household_stay": _t(
        "Refinansiering gjør at husstanden kan bli boende",
        "Refinansiering gjer at hushaldet kan bli buande",
    ),
    "start_loan.housing_prevents_work_or_business": _t(
        "Bosituasjonen hindrer arbeid eller næringsutvikling",
        "Busituasjonen hindrar arbeid eller næringsutvikling",
    ),
    "start_loan.frees_municipal_dwelling": _t(
        "Lånet frigjør en kommunalt disponert bolig",
        "Lånet frigjer ein kommunalt disponert bustad",
    ),
    "grant.cannot_finance_otherwise": _t(
        "Kan ikke finansiere kjøpet eller tilpasningen på annen måte",
        "Kan ikkje finansiere kjøpet eller tilpassinga på annan måte",
    ),
    "grant.longer_term_fully_used": _t(
        "Lengre nedbetalingstid og de andre lånetrinnene er vurdert først",
        "Lengre nedbetalingstid og dei andre lånetrinna er vurderte først",
    ),
    "grant.dwelling_is_suitable": _t(
        "Boligen er, eller blir etter nødvendig utbedring, egnet",
        "Bustaden er, eller blir etter naudsynt utbetring, eigna",
    ),
    "grant.has_reduced_function_or_is_older": _t(
        "Nedsatt funksjonsevne, eller eldre som tilpasser i forebyggende hensikt",
        "Nedsett funksjonsevne, eller eldre som tilpassar for å førebyggje",
    ),
    "grant.adaptation_is_appropriate": _t(
        "Tilpasningen er hensiktsmessig for behovet",
        "Tilpassinga er føremålstenleg for behovet",
    ),
}
"""Norwegian labels for every fact path a guideline set may refer to. A set that names a path
not in this table is rejected when it is loaded."""


def resolve_fact(facts: CaseFacts, path: str) -> object:
    """Return the value at a dotted ``path`` such as ``"applicant.date_of_birth"``.

    Only paths in :data:`FACT_LABELS` are allowed, so a typo in a guideline set fails loudly.
    """
    if path not in FACT_LABELS:
        raise KeyError(f"unknown fact path: {path!r}")
    value: object = facts
    for part in path.split("."):
        value = getattr(value, part)
    return value

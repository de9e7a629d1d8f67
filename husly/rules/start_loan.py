"""Startlån affordability (betjeningsevne), largest loan, fees and the duty to advise against.

Sources: forskrift om lån fra Husbanken kap. 5 (§ 5-2: the applicant must be able to service the
loan over time and still have what is needed to live on) and § 8-5 (annuity or serial loan,
up to 30 years, 50 in special cases); Husbanken, Veileder for startlån: "Beregne
betjeningsevnen" (income after tax - living costs - other fixed costs - housing running costs =
what is left for the loan; living costs at least the state guideline rates), "Kalkulasjonsrente"
(stress test: policy rate + 2.5 pp); finansavtaleloven 2020 (frarådningsplikt: advise against in
writing when the customer clearly cannot service the loan; the advice is not a refusal). The
municipality's own guideline sets fees and its living-cost norm (``parameters/municipal``).

    payment(L)   = L * i / (1 - (1 + i)^-n)     annuity, i = rate / 12, n = months
                 = L * (1/n + i)                 serial loan, first (largest) month
    available    = net income - other fixed costs - housing running costs - living costs
    margin       = available - payment at the stressed rate
    largest loan = max(available, 0) / payment factor

All amounts are kroner per month except loan amounts and one-off fees. Entry points:
:func:`explain_start_loan` (one household, with trace) and :func:`compute_start_loan` (batch).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from husly.rules.errors import (
    MissingMunicipalParametersError,
    RulesInputError,
)
from husly.rules.language import each, number_in, pick, quote, shown_each
from husly.rules.living_costs import NavRates, PersonArrays, SifoBudget, nav_norm, sifo_norm
from husly.rules.municipalities import check_municipality_number, register_for
from husly.rules.params import ParameterTree, ResolvedValue, default_tree
from husly.rules.trace import ENGINE_VERSION, StepInfo, Trace, Tracer
from husly.rules.validation import (
    check_amount,
    check_amount_array,
    check_bool,
    check_bool_array,
    check_date,
    check_int_array,
    check_lengths,
    check_members,
    check_whole,
)

F64 = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

N = "national.start_loan."
FORSKRIFT = "Forskrift om lån fra Husbanken"
VEILEDER = "Husbanken, Veileder for startlån"
MAX_AGE = 130
MAX_STRESS_RATE = 0.5  # a rate above 50 % is a typing error (6.5 written for 0.065)

LivingCostNorm = Literal["sifo", "nav"]
RepaymentProfile = Literal["annuity", "serial"]

STEPS: Mapping[str, StepInfo] = {
    "living_cost_norm": StepInfo(
        label_nb="Norm for livsopphold",
        label_nn="Norm for livsopphald",
        label_en="Living-cost norm",
        unit="",
        formula_nb="kommunens valg (SIFO eller statlige veiledende satser), eller saksbehandlers "
        "valg",
        formula_nn="valet til kommunen (SIFO eller statlege rettleiande satsar), eller valet til "
        "saksbehandlaren",
        formula_en="the municipality's choice (SIFO or the state guideline rates), or the "
        "caseworker's choice",
        source=f"{VEILEDER}, Vurdere utgifter; kommunens retningslinjer",
    ),
    "nav_guideline_amount": StepInfo(
        label_nb="Statlige veiledende satser for husstanden",
        label_nn="Statlege rettleiande satsar for husstanden",
        label_en="State guideline rates for the household",
        unit="kr/mnd",
        formula_nb="voksensats (enslig eller par, pluss enslig sats for hver voksen utover to) "
        "+ barnesatser",
        formula_nn="vaksensats (einsleg eller par, pluss einsleg sats for kvar vaksen utover to) "
        "+ barnesatsar",
        formula_en="adult rate (single or couple, plus the single rate for each adult beyond "
        "two) + child rates",
        source="Sosialtjenesteloven § 18; rundskriv om statlige veiledende retningslinjer",
    ),
    "sifo_amount": StepInfo(
        label_nb="SIFOs referansebudsjett for husstanden",
        label_nn="Referansebudsjettet frå SIFO for husstanden",
        label_en="SIFO reference budget for the household",
        unit="kr/mnd",
        formula_nb="individspesifikke utgifter etter alder og kjønn + husholdsspesifikke etter "
        "antall personer + bil",
        formula_nn="individspesifikke utgifter etter alder og kjønn + hushaldsspesifikke etter "
        "talet på personar + bil",
        formula_en="individual costs by age and sex + household costs by number of persons + car",
        source="SIFO referansebudsjett (OsloMet)",
    ),
    "actual_living_costs": StepInfo(
        label_nb="Faktiske utgifter til livsopphold (oppgitt)",
        label_nn="Faktiske utgifter til livsopphald (oppgitt)",
        label_en="Actual living costs (entered)",
        unit="kr/mnd",
        formula_nb="saksbehandlers vurdering av husstandens faktiske forbruk",
        formula_nn="vurderinga saksbehandlaren gjer av det faktiske forbruket til husstanden",
        formula_en="the caseworker's assessment of what the household actually spends",
        source=f"{VEILEDER}, Vurdere utgifter",
    ),
    "living_costs": StepInfo(
        label_nb="Utgifter til livsopphold som legges til grunn",
        label_nn="Utgifter til livsopphald som blir lagde til grunn",
        label_en="Living costs used",
        unit="kr/mnd",
        formula_nb="faktiske utgifter eller valgt norm, men aldri under statlige veiledende satser",
        formula_nn="faktiske utgifter eller vald norm, men aldri under statlege rettleiande satsar",
        formula_en="actual costs or the chosen norm, but never below the state guideline rates",
        source=f"{VEILEDER}, Beregne betjeningsevnen; {FORSKRIFT} § 5-2",
    ),
    "net_income": StepInfo(
        label_nb="Netto inntekt (etter skatt)",
        label_nn="Netto inntekt (etter skatt)",
        label_en="Net income after tax",
        unit="kr/mnd",
        formula_nb="husstandens samlede inntekt etter skatt",
        formula_nn="den samla inntekta til husstanden etter skatt",
        formula_en="the household's total income after tax",
        source=f"{VEILEDER}, Beregne betjeningsevnen",
    ),
    "other_fixed_costs": StepInfo(
        label_nb="Andre faste utgifter",
        label_nn="Andre faste utgifter",
        label_en="Other fixed costs",
        unit="kr/mnd",
        formula_nb="forbruksgjeld, studielån, barnehage/SFO, bidrag o.l.",
        formula_nn="forbruksgjeld, studielån, barnehage/SFO, bidrag o.l.",
        formula_en="consumer debt, student loans, kindergarten/after-school care, child "
        "maintenance and the like",
        source=f"{VEILEDER}, Beregne betjeningsevnen",
    ),
    "housing_running_costs": StepInfo(
        label_nb="Løpende boutgifter utenom lånet",
        label_nn="Løpande buutgifter utanom lånet",
        label_en="Housing running costs besides the loan",
        unit="kr/mnd",
        formula_nb="felleskostnader, kommunale avgifter, strøm, forsikring, forventet vedlikehold",
        formula_nn="felleskostnader, kommunale avgifter, straum, forsikring, venta vedlikehald",
        formula_en="joint costs, municipal charges, electricity, insurance, expected maintenance",
        source=f"{VEILEDER}, Beregne betjeningsevnen",
    ),
    "available_for_loan": StepInfo(
        label_nb="Til disposisjon for renter og avdrag",
        label_nn="Til disposisjon for renter og avdrag",
        label_en="Available for the loan payment",
        unit="kr/mnd",
        formula_nb="netto inntekt − andre faste utgifter − løpende boutgifter − livsopphold",
        formula_nn="netto inntekt − andre faste utgifter − løpande buutgifter − livsopphald",
        formula_en="net income − other fixed costs − housing running costs − living costs",
        source=f"{VEILEDER}, Beregne betjeningsevnen",
    ),
    "stress_rate": StepInfo(
        label_nb="Kalkulasjonsrente (rentestresstest)",
        label_nn="Kalkulasjonsrente (rentestresstest)",
        label_en="Stress-test rate",
        unit="rente/år",
        formula_nb="styringsrenten + påslag, eller kommunens/saksbehandlers kalkulasjonsrente",
        formula_nn="styringsrenta + påslag, eller kalkulasjonsrenta til kommunen eller "
        "saksbehandlaren",
        formula_en="the policy rate + a margin, or the municipality's or caseworker's "
        "calculation rate",
        source=f"{VEILEDER}, Kalkulasjonsrente",
    ),
    "term_years": StepInfo(
        label_nb="Nedbetalingstid",
        label_nn="Nedbetalingstid",
        label_en="Repayment term",
        unit="år",
        formula_nb="inntil 30 år; inntil 50 år når vilkårene i § 8-5 er oppfylt",
        formula_nn="inntil 30 år; inntil 50 år når vilkåra i § 8-5 er oppfylte",
        formula_en="up to 30 years; up to 50 years when the conditions in § 8-5 are met",
        source=f"{FORSKRIFT} § 8-5",
    ),
    "repayment_profile": StepInfo(
        label_nb="Lånetype",
        label_nn="Lånetype",
        label_en="Repayment profile",
        unit="",
        formula_nb="annuitetslån (like terminbeløp) eller serielån (like avdrag; første termin er "
        "størst)",
        formula_nn="annuitetslån (like terminbeløp) eller serielån (like avdrag; første termin er "
        "størst)",
        formula_en="annuity loan (equal payments) or serial loan (equal repayments; the first "
        "payment is the largest)",
        source=f"{FORSKRIFT} § 8-5",
        value_labels={
            "annuity": ("annuitetslån", "annuitetslån", "annuity loan"),
            "serial": ("serielån", "serielån", "serial loan"),
        },
    ),
    "loan_amount": StepInfo(
        label_nb="Lånebeløp",
        label_nn="Lånebeløp",
        label_en="Loan amount",
        unit="kr",
        formula_nb="omsøkt startlån",
        formula_nn="startlånet det er søkt om",
        formula_en="the start loan applied for",
        source=f"{FORSKRIFT} kap. 5",
    ),
    "stressed_payment": StepInfo(
        label_nb="Terminbeløp med kalkulasjonsrente",
        label_nn="Terminbeløp med kalkulasjonsrente",
        label_en="Monthly payment at the stress-test rate",
        unit="kr/mnd",
        formula_nb="annuitet: L·i/(1-(1+i)^-n); serie: L·(1/n + i), i = rente/12, n = måneder",
        formula_nn="annuitet: L·i/(1-(1+i)^-n); serie: L·(1/n + i), i = rente/12, n = månader",
        formula_en="annuity: L·i/(1-(1+i)^-n); serial: L·(1/n + i), i = rate/12, n = months",
        source=f"{FORSKRIFT} § 8-5; {VEILEDER}, Kalkulasjonsrente",
    ),
    "margin": StepInfo(
        label_nb="Margin etter lån og livsopphold",
        label_nn="Margin etter lån og livsopphald",
        label_en="Margin after the loan and living costs",
        unit="kr/mnd",
        formula_nb="til disposisjon − terminbeløp med kalkulasjonsrente",
        formula_nn="til disposisjon − terminbeløp med kalkulasjonsrente",
        formula_en="available − payment at the stress-test rate",
        source=f"{FORSKRIFT} § 5-2",
    ),
    "can_service_loan": StepInfo(
        label_nb="Kan betjene lånet",
        label_nn="Kan betene lånet",
        label_en="Can service the loan",
        unit="ja/nei",
        formula_nb="margin ≥ 0",
        formula_nn="marginen er minst 0",
        formula_en="the margin is at least 0",
        source=f"{FORSKRIFT} § 5-2",
    ),
    "advise_against": StepInfo(
        label_nb="Frarådningsplikt utløst",
        label_nn="Frårådingsplikt utløyst",
        label_en="Duty to advise against",
        unit="ja/nei",
        formula_nb="margin under terskelen for frarådning; frarådningen skal være skriftlig og er "
        "ikke et avslag",
        formula_nn="margin under terskelen for fråråding; frårådinga skal vere skriftleg og er "
        "ikkje eit avslag",
        formula_en="margin below the threshold for advising against; the advice must be in "
        "writing and is not a refusal",
        source="Finansavtaleloven 2020 (frarådningsplikt); Husbanken, Finansavtaleloven og "
        "SEF-skjema",
    ),
    "margin_is_thin": StepInfo(
        label_nb="Tynn margin",
        label_nn="Tynn margin",
        label_en="Thin margin",
        unit="ja/nei",
        formula_nb="margin under varselgrensen (vurder frarådning)",
        formula_nn="margin under varselgrensa (vurder fråråding)",
        formula_en="margin below the warning limit (consider advising against)",
        source="Husly (varsel, ikke regel)",
    ),
    "largest_loan": StepInfo(
        label_nb="Største lån husstanden kan betjene",
        label_nn="Største lånet husstanden kan betene",
        label_en="Largest loan the household can service",
        unit="kr",
        formula_nb="til disposisjon delt på terminbeløp per krone lånt, rundet ned til hele kroner",
        formula_nn="til disposisjon delt på terminbeløp per lånt krone, runda ned til heile kroner",
        formula_en="available divided by the payment per krone borrowed, rounded down to whole "
        "kroner",
        source=f"{FORSKRIFT} § 5-2; {VEILEDER}, Beregne betjeningsevnen",
    ),
    "borrower_rate": StepInfo(
        label_nb="Rente for låntaker",
        label_nn="Rente for låntakaren",
        label_en="Borrower's rate",
        unit="rente/år",
        formula_nb="Husbankens flytende rente + kommunalt påslag (høyst 0,25 prosentpoeng)",
        formula_nn="den flytande renta i Husbanken + kommunalt påslag (høgst 0,25 prosentpoeng)",
        formula_en="Husbanken's floating rate + the municipal markup (at most 0.25 percentage "
        "points)",
        source=f"{FORSKRIFT} § 8-2",
    ),
    "actual_payment": StepInfo(
        label_nb="Terminbeløp med dagens rente, med termingebyr",
        label_nn="Terminbeløp med dagens rente, med termingebyr",
        label_en="Monthly payment at today's rate, with instalment fee",
        unit="kr/mnd",
        formula_nb="som over, med låntakers rente, pluss termingebyr",
        formula_nn="som over, med renta til låntakaren, pluss termingebyr",
        formula_en="as above, at the borrower's rate, plus the instalment fee",
        source="Husbanken, Renter og Gebyr",
    ),
    "establishment_fee": StepInfo(
        label_nb="Etableringsgebyr",
        label_nn="Etableringsgebyr",
        label_en="Establishment fee",
        unit="kr",
        formula_nb="kommunens regel (Rælingen: 1 % av lånet, minst 500 og høyst 1 500 kroner)",
        formula_nn="regelen til kommunen (Rælingen: 1 % av lånet, minst 500 og høgst 1 500 kroner)",
        formula_en="the municipality's rule (Rælingen: 1 % of the loan, at least NOK 500 and at "
        "most NOK 1,500)",
        source="Kommunens retningslinje for saksbehandling av startlån",
    ),
    "registration_fee": StepInfo(
        label_nb="Tinglysingsgebyr",
        label_nn="Tinglysingsgebyr",
        label_en="Registration fee",
        unit="kr",
        formula_nb="fast gebyr",
        formula_nn="fast gebyr",
        formula_en="a fixed fee",
        source="Husbanken, Gebyr",
    ),
    "amount_disbursed": StepInfo(
        label_nb="Utbetalt beløp",
        label_nn="Utbetalt beløp",
        label_en="Amount disbursed",
        unit="kr",
        formula_nb="lånebeløp − etableringsgebyr − tinglysingsgebyr når kommunen trekker "
        "gebyrene fra lånet",
        formula_nn="lånebeløp − etableringsgebyr − tinglysingsgebyr når kommunen trekkjer "
        "gebyra frå lånet",
        formula_en="loan amount − establishment fee − registration fee, when the municipality "
        "deducts the fees from the loan",
        source="Kommunens retningslinje for saksbehandling av startlån",
    ),
    "loan_in_g": StepInfo(
        label_nb="Lånebeløp i G",
        label_nn="Lånebeløp i G",
        label_en="Loan in G",
        unit="G",
        formula_nb="lånebeløp delt på grunnbeløpet (til orientering; kommunale G-grenser kan ikke "
        "være absolutte)",
        formula_nn="lånebeløp delt på grunnbeløpet (til orientering; kommunale G-grenser kan "
        "ikkje vere absolutte)",
        formula_en="loan amount divided by the basic amount G (for information; municipal "
        "limits in G cannot be absolute)",
        source="Folketrygdloven § 1-4; Husbanken, Kommunale retningslinjer",
    ),
}


# --------------------------------------------------------------------------------------------
# Parameters for one municipality and date
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StartLoanParameters:
    """National and municipal startlån parameters in force on one date."""

    on: dt.date
    municipality_number: str
    stress_rate: float
    borrower_rate: float
    max_term_years: int
    max_term_years_special: int
    term_fee: float
    registration_fee: float
    establishment_fee_rate: float
    establishment_fee_min: float
    establishment_fee_max: float
    fees_deducted_from_loan: bool
    living_cost_norm: LivingCostNorm
    advise_against_below: float
    thin_margin_below: float
    basic_amount_g: float
    used: Mapping[str, ResolvedValue] = field(repr=False)

    @classmethod
    def for_municipality(
        cls, municipality_number: str, on: dt.date, tree: ParameterTree | None = None
    ) -> StartLoanParameters:
        number = check_municipality_number(municipality_number)
        return _start_loan_parameters(tree or default_tree(), number, check_date("date", on))

    def values(self, *names: str) -> tuple[ResolvedValue, ...]:
        return tuple(self.used[n] for n in names if n in self.used)


#: The names of the municipal startlån parameters that have no national fallback (as in the
#: parameter files), for a message saying that a municipality lacks one.
MUNICIPAL_LABELS: Mapping[str, tuple[str, str, str]] = {
    "calculation_rate_rule": ("Kalkulasjonsrente", "Kalkulasjonsrente", "Calculation rate rule"),
    "municipal_markup": ("Kommunalt rentepåslag", "Kommunalt rentepåslag", "Municipal rate markup"),
    "living_cost_norm": ("Norm for livsopphold", "Norm for livsopphald", "Living-cost norm"),
    "establishment_fee_rate": (
        "Etableringsgebyr, andel av lånet",
        "Etableringsgebyr, del av lånet",
        "Establishment fee rate",
    ),
    "establishment_fee_min": (
        "Etableringsgebyr, minst",
        "Etableringsgebyr, minst",
        "Establishment fee, minimum",
    ),
    "establishment_fee_max": (
        "Etableringsgebyr, høyst",
        "Etableringsgebyr, høgst",
        "Establishment fee, maximum",
    ),
    "fees_at_disbursement": (
        "Gebyrer ved utbetaling",
        "Gebyr ved utbetaling",
        "Fees at disbursement",
    ),
}


@functools.lru_cache(maxsize=256)
def _start_loan_parameters(tree: ParameterTree, number: str, on: dt.date) -> StartLoanParameters:
    register = register_for(on, tree)
    register.lookup(
        np.asarray(number)
    )  # UnknownMunicipalityError if not a municipality on that date
    municipal = f"municipal.{number}.start_loan."
    who = f"{register.name(number)} ({number})"
    if not any(p.startswith(municipal) for p in tree.paths(municipal)):
        raise MissingMunicipalParametersError(
            "municipality_number",
            nb=f"{who} har ikke lagt inn sine regler for startlån i Husly (gebyr, norm for "
            "livsopphold), så startlån kan ikke beregnes for denne kommunen ennå.",
            nn=f"{who} har ikkje lagt inn reglane sine for startlån i Husly (gebyr, norm for "
            "livsopphald), så startlån kan ikkje reknast ut for denne kommunen enno.",
            en=f"{who} has not entered its start loan rules in Husly (fees, living-cost norm), so "
            "start loans cannot be calculated for this municipality yet.",
            detail=f"no parameters under {municipal}",
        )
    used: dict[str, ResolvedValue] = {}

    def get(path: str, key: str) -> ResolvedValue:
        used[key] = tree.at(path, on, field="date")
        return used[key]

    def national(name: str) -> ResolvedValue:
        return get(N + name, name)

    def local(name: str, fallback: str | None = None) -> ResolvedValue:
        if municipal + name in tree:
            return get(municipal + name, name)
        if fallback is not None:
            return get(N + fallback, name)
        labels = MUNICIPAL_LABELS.get(name, (name, name, name))
        label = each(lambda language: quote(pick(language, *labels), language))
        raise MissingMunicipalParametersError(
            "municipality_number",
            nb=f"{who} mangler regelen {label.nb} for startlån i Husly.",
            nn=f"{who} manglar regelen {label.nn} for startlån i Husly.",
            en=f"{who} is missing the start loan rule {label.en} in Husly.",
            detail=f"municipal parameter {municipal + name} is missing",
        )

    rule_value = local("calculation_rate_rule")
    rule = rule_value.as_choice()
    if rule != "husbanken_stress_test":  # the only rule encoded so far
        named = each(lambda language: quote(rule_value.value_label_in(rule, language), language))
        raise MissingMunicipalParametersError(
            "municipality_number",
            nb=f"{who} bruker en regel for kalkulasjonsrente som Husly ikke kan regne med ennå: "
            f"{named.nb}.",
            nn=f"{who} brukar ein regel for kalkulasjonsrente som Husly ikkje kan rekne med "
            f"enno: {named.nn}.",
            en=f"{who} uses a rule for the stress-test interest rate that Husly cannot calculate "
            f"with yet: {named.en}.",
            detail=f"calculation_rate_rule {rule!r}",
        )
    stress = national("rates.policy_rate").as_number("annual_rate") + national(
        "rates.stress_margin"
    ).as_number("annual_rate")
    markup = local("municipal_markup").as_number("annual_rate")
    most = national("terms.max_municipal_markup").as_number("annual_rate")
    if markup > most:
        given = each(lambda language: number_in(round(markup * 100, 6), language))
        limit = each(lambda language: number_in(round(most * 100, 6), language))
        raise MissingMunicipalParametersError(
            "municipality_number",
            nb=f"Rentepåslaget til {who} er {given.nb} prosentpoeng, men forskriften tillater "
            f"høyst {limit.nb} prosentpoeng.",
            nn=f"Rentepåslaget til {who} er {given.nn} prosentpoeng, men forskrifta tillèt "
            f"høgst {limit.nn} prosentpoeng.",
            en=f"The interest markup of {who} is {given.en} percentage points, but the "
            f"regulation allows at most {limit.en} percentage points.",
            detail="municipal markup above the § 8-2 maximum",
        )
    borrower = national("rates.husbanken_floating_rate").as_number("annual_rate") + markup
    norm_value = local("living_cost_norm")
    norm = norm_value.as_choice()
    if norm not in ("sifo", "nav"):
        named = each(lambda language: quote(norm_value.value_label_in(norm, language), language))
        raise MissingMunicipalParametersError(
            "municipality_number",
            nb=f"{who} bruker en norm for livsopphold som Husly ikke kan regne med ennå: "
            f"{named.nb}.",
            nn=f"{who} brukar ein norm for livsopphald som Husly ikkje kan rekne med enno: "
            f"{named.nn}.",
            en=f"{who} uses a living-cost norm that Husly cannot calculate with yet: {named.en}.",
            detail=f"living_cost_norm {norm!r}",
        )
    return StartLoanParameters(
        on=on,
        municipality_number=number,
        stress_rate=stress,
        borrower_rate=borrower,
        max_term_years=int(national("terms.max_term_years").as_number("years")),
        max_term_years_special=int(national("terms.max_term_years_special").as_number("years")),
        term_fee=national("fees.term_fee").as_number("NOK"),
        registration_fee=national("fees.registration_fee").as_number("NOK"),
        establishment_fee_rate=local("establishment_fee_rate").as_number("ratio"),
        establishment_fee_min=local("establishment_fee_min").as_number("NOK"),
        establishment_fee_max=local("establishment_fee_max").as_number("NOK"),
        fees_deducted_from_loan=local("fees_at_disbursement").as_choice() == "deducted_from_loan",
        living_cost_norm="sifo" if norm == "sifo" else "nav",
        advise_against_below=local(
            "advise_against_below_margin", "advice.advise_against_below_margin"
        ).as_number("NOK/month"),
        thin_margin_below=local("thin_margin_below", "advice.thin_margin_below").as_number(
            "NOK/month"
        ),
        basic_amount_g=get("national.basic_amount_g", "basic_amount_g").as_number("NOK/year"),
        used=used,
    )


# --------------------------------------------------------------------------------------------
# Batch
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StartLoanBatch:
    """Households as arrays. Monthly amounts in kroner; ``loan_amount`` in kroner."""

    net_income_monthly: F64
    other_fixed_costs_monthly: F64
    housing_operating_costs_monthly: F64
    living_costs_monthly: F64
    loan_amount: F64
    term_years: npt.NDArray[np.integer[Any]]
    is_serial: Bools

    def validate(self, max_term_years: int) -> int:
        arrays = {k: getattr(self, k) for k in self.__dataclass_fields__}
        n = check_lengths(arrays)
        for name in (
            "net_income_monthly",
            "other_fixed_costs_monthly",
            "housing_operating_costs_monthly",
            "living_costs_monthly",
            "loan_amount",
        ):
            check_amount_array(name, arrays[name])
        check_int_array("term_years", self.term_years, 1, max_term_years)
        check_bool_array("is_serial", self.is_serial)
        return n


@dataclass(frozen=True)
class StartLoanBatchResult:
    """Per-household results (kroner; payments per month, rounded to whole kroner)."""

    available_for_loan: F64
    stressed_payment: F64
    margin: F64
    can_service_loan: Bools
    advise_against: Bools
    margin_is_thin: Bools
    largest_loan: F64
    actual_payment: F64
    establishment_fee: F64
    amount_disbursed: F64


def payment_factor(rate: float, term_years: npt.NDArray[Any], is_serial: Bools) -> F64:
    """Monthly payment per krone borrowed: annuity, or the first (largest) serial instalment.

    Forskrift om lån fra Husbanken § 8-5 (annuity or serial loan). ``rate`` is nominal per year.
    """
    months = term_years.astype(np.float64) * 12.0
    i = rate / 12.0
    annuity = i / (1.0 - (1.0 + i) ** -months) if i > 0 else 1.0 / months
    serial = 1.0 / months + i
    return np.where(is_serial, serial, annuity)


def _round(values: F64) -> F64:
    return np.floor(values + 0.5)


def _formula(
    b: StartLoanBatch, p: StartLoanParameters, tracer: Tracer | None
) -> StartLoanBatchResult:
    """Affordability for every household: forskrift om lån fra Husbanken § 5-2 (betjeningsevne
    with money left to live on) and § 8-5 (annuity/serial, term); Husbanken, Beregne
    betjeningsevnen and Kalkulasjonsrente; finansavtaleloven 2020 (frarådningsplikt); the
    municipality's guideline (fees). Sources per step in :data:`STEPS`.
    """
    available = (
        b.net_income_monthly
        - b.other_fixed_costs_monthly
        - b.housing_operating_costs_monthly
        - b.living_costs_monthly
    )
    stressed_factor = payment_factor(p.stress_rate, b.term_years, b.is_serial)
    stressed_payment = _round(b.loan_amount * stressed_factor)
    margin = _round(available) - stressed_payment
    can_service = margin >= 0
    advise_against = margin < p.advise_against_below
    thin = margin < p.thin_margin_below
    largest = np.floor(np.maximum(available, 0.0) / stressed_factor)
    actual_payment = _round(
        b.loan_amount * payment_factor(p.borrower_rate, b.term_years, b.is_serial)
    ) + np.where(b.loan_amount > 0, p.term_fee, 0.0)
    establishment = np.where(
        b.loan_amount > 0,
        _round(
            np.clip(
                b.loan_amount * p.establishment_fee_rate,
                p.establishment_fee_min,
                p.establishment_fee_max,
            )
        ),
        0.0,
    )
    registration = np.where(b.loan_amount > 0, p.registration_fee, 0.0)
    deducted = establishment + registration if p.fees_deducted_from_loan else 0.0
    disbursed = np.maximum(b.loan_amount - deducted, 0.0)

    if tracer is not None:
        tracer.record("net_income", b.net_income_monthly)
        tracer.record("other_fixed_costs", b.other_fixed_costs_monthly)
        tracer.record("housing_running_costs", b.housing_operating_costs_monthly)
        tracer.record(
            "available_for_loan",
            available,
            inputs=("net_income", "other_fixed_costs", "housing_running_costs", "living_costs"),
        )
        tracer.record(
            "stress_rate",
            p.stress_rate,
            parameters=p.values(
                "rates.policy_rate", "rates.stress_margin", "calculation_rate_rule"
            ),
        )
        tracer.record(
            "term_years",
            b.term_years,
            parameters=p.values("terms.max_term_years", "terms.max_term_years_special"),
        )
        tracer.record("repayment_profile", "serial" if bool(b.is_serial[0]) else "annuity")
        tracer.record("loan_amount", b.loan_amount)
        tracer.record(
            "stressed_payment",
            stressed_payment,
            inputs=("loan_amount", "stress_rate", "term_years", "repayment_profile"),
        )
        tracer.record("margin", margin, inputs=("available_for_loan", "stressed_payment"))
        tracer.record("can_service_loan", can_service, inputs=("margin",))
        tracer.record(
            "advise_against",
            advise_against,
            inputs=("margin",),
            parameters=p.values("advise_against_below_margin"),
        )
        tracer.record(
            "margin_is_thin", thin, inputs=("margin",), parameters=p.values("thin_margin_below")
        )
        tracer.record(
            "largest_loan",
            largest,
            inputs=("available_for_loan", "stress_rate", "term_years", "repayment_profile"),
        )
        tracer.record(
            "borrower_rate",
            p.borrower_rate,
            parameters=p.values("rates.husbanken_floating_rate", "municipal_markup"),
        )
        tracer.record(
            "actual_payment",
            actual_payment,
            inputs=("loan_amount", "borrower_rate", "term_years"),
            parameters=p.values("fees.term_fee"),
        )
        tracer.record(
            "establishment_fee",
            establishment,
            inputs=("loan_amount",),
            parameters=p.values(
                "establishment_fee_rate", "establishment_fee_min", "establishment_fee_max"
            ),
        )
        tracer.record(
            "registration_fee", registration, parameters=p.values("fees.registration_fee")
        )
        tracer.record(
            "amount_disbursed",
            disbursed,
            inputs=("loan_amount", "establishment_fee", "registration_fee"),
            parameters=p.values("fees_at_disbursement"),
        )
        tracer.record(
            "loan_in_g",
            b.loan_amount / p.basic_amount_g,
            inputs=("loan_amount",),
            parameters=p.values("basic_amount_g"),
        )

    return StartLoanBatchResult(
        available_for_loan=available,
        stressed_payment=stressed_payment,
        margin=margin,
        can_service_loan=can_service,
        advise_against=advise_against,
        margin_is_thin=thin,
        largest_loan=largest,
        actual_payment=actual_payment,
        establishment_fee=establishment,
        amount_disbursed=disbursed,
    )


def compute_start_loan(
    batch: StartLoanBatch, parameters: StartLoanParameters
) -> StartLoanBatchResult:
    """Affordability for a batch of households of one municipality on one date.

    ``living_costs_monthly`` must already be the amount to use (norm or actual, floored at the
    NAV guideline rates); see :func:`explain_start_loan` for how one household's is found.
    """
    batch.validate(parameters.max_term_years_special)
    return _formula(batch, parameters, None)


# --------------------------------------------------------------------------------------------
# One household, explained
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoanHouseholdMember:
    """A member of the borrowing household (for the living-cost norm)."""

    age: int
    sex: Literal["female", "male"]
    is_student: bool = False
    is_pregnant: bool = False


@dataclass(frozen=True)
class StartLoanApplication:
    """One household's startlån application. Monthly amounts in kroner.

    ``actual_living_costs_monthly``: the caseworker's estimate of actual spending (Husbanken
    recommends starting from it); None uses the norm. Either way the amount is never below the
    state guideline rates. ``living_cost_norm``: None uses the municipality's choice.
    ``long_term_conditions_met``: the conditions in § 8-5 for a term over 30 years hold.
    ``stress_rate``: overrides the stress-test rate (nominal per year), e.g. a rate the
    municipality has decided.
    """

    municipality_number: str
    members: Sequence[LoanHouseholdMember]
    net_income_monthly: float
    loan_amount: float
    term_years: int = 30
    repayment_profile: RepaymentProfile = "annuity"
    other_fixed_costs_monthly: float = 0.0
    housing_operating_costs_monthly: float = 0.0
    actual_living_costs_monthly: float | None = None
    living_cost_norm: LivingCostNorm | None = None
    cars_petrol: int = 0
    cars_electric: int = 0
    long_term_conditions_met: bool = False
    stress_rate: float | None = None


@dataclass(frozen=True)
class StartLoanResult:
    """The affordability assessment for one household, with its explanation."""

    on: dt.date
    municipality_number: str
    municipality_name: str
    living_costs_monthly: int
    available_for_loan: int
    stressed_payment: int
    margin: int
    can_service_loan: bool
    advise_against: bool
    margin_is_thin: bool
    largest_loan: int
    actual_payment: int
    establishment_fee: int
    amount_disbursed: int
    trace: Trace
    parameters_checksum: str
    engine_version: str = ENGINE_VERSION

    def to_dict(self) -> dict[str, Any]:
        data = {k: getattr(self, k) for k in self.__dataclass_fields__ if k not in ("trace", "on")}
        data["rule"] = "start_loan"
        data["on"] = self.on.isoformat()
        data["trace"] = self.trace.to_dict()
        return data


def _person_arrays(members: object) -> PersonArrays:
    members = check_members(members, LoanHouseholdMember)
    ages, female, student, pregnant = [], [], [], []
    for i, m in enumerate(members):
        ages.append(check_whole(f"members[{i}].age", m.age, 0, MAX_AGE))
        if m.sex not in ("female", "male"):
            given = shown_each(m.sex)
            raise RulesInputError(
                f"members[{i}].sex",
                nb=f"Kjønn for husstandsmedlem nr. {i + 1} må være kvinne eller mann, fordi "
                f"SIFO-budsjettet er ulikt for kvinner og menn (oppgitt: {given.nb}).",
                nn=f"Kjønn for husstandsmedlem nr. {i + 1} må vere kvinne eller mann, fordi "
                f"SIFO-budsjettet er ulikt for kvinner og menn (oppgitt: {given.nn}).",
                en=f"The sex of household member {i + 1} must be female or male, because the "
                f"SIFO budget differs for women and men (entered: {given.en}).",
            )
        female.append(m.sex == "female")
        student.append(check_bool(f"members[{i}].is_student", m.is_student))
        pregnant.append(check_bool(f"members[{i}].is_pregnant", m.is_pregnant))
    k = len(members)
    return PersonArrays(
        household=np.zeros(k, dtype=np.intp),
        age=np.array(ages, dtype=np.int64),
        is_female=np.array(female, dtype=np.bool_),
        is_student=np.array(student, dtype=np.bool_),
        is_pregnant=np.array(pregnant, dtype=np.bool_),
    )


def _term(years: object, long_term: bool, p: StartLoanParameters) -> tuple[int, int]:
    """The repayment period in years and the longest allowed (§ 8-5: longer if the conditions
    for it are met)."""
    most = p.max_term_years_special if long_term else p.max_term_years
    if (
        isinstance(years, int)
        and not isinstance(years, bool)
        and p.max_term_years < years <= p.max_term_years_special
        and not long_term
    ):
        usual = p.max_term_years
        raise RulesInputError(
            "term_years",
            nb=f"Nedbetalingstid over {usual} år krever at vilkårene i forskrift om lån fra "
            f"Husbanken § 8-5 er oppfylt (oppgitt: {years} år).",
            nn=f"Nedbetalingstid over {usual} år krev at vilkåra i § 8-5 i forskrifta om lån frå "
            f"Husbanken er oppfylte (oppgitt: {years} år).",
            en=f"A repayment period over {usual} years requires the conditions in § 8-5 of the "
            f"regulation on loans from Husbanken to be met (entered: {years} years).",
        )
    return check_whole("term_years", years, 1, most), most


def _choices(app: StartLoanApplication, p: StartLoanParameters) -> str:
    """Checks the loan type; returns the living-cost norm (the application's or the
    municipality's)."""
    if app.repayment_profile not in ("annuity", "serial"):
        given = shown_each(app.repayment_profile)
        raise RulesInputError(
            "repayment_profile",
            nb=f"Lånetype må være annuitetslån eller serielån (oppgitt: {given.nb}).",
            nn=f"Lånetype må vere annuitetslån eller serielån (oppgitt: {given.nn}).",
            en=f"The loan type must be an annuity loan or a serial loan (entered: {given.en}).",
            detail="repayment_profile is 'annuity' or 'serial'",
        )
    norm_name = app.living_cost_norm or p.living_cost_norm
    if norm_name not in ("sifo", "nav"):
        given = shown_each(norm_name)
        raise RulesInputError(
            "living_cost_norm",
            nb="Norm for livsopphold må være SIFOs referansebudsjett eller statlige veiledende "
            f"satser (oppgitt: {given.nb}).",
            nn="Norm for livsopphald må vere referansebudsjettet til SIFO eller statlege "
            f"rettleiande satsar (oppgitt: {given.nn}).",
            en="The living-cost norm must be the SIFO reference budget or the state guideline "
            f"rates (entered: {given.en}).",
            detail="living_cost_norm is 'sifo' or 'nav'",
        )
    return norm_name


def _stress_rate(value: object) -> float:
    """A stress-test rate given instead of the municipality's: a fraction per year."""
    stress = check_amount("stress_rate", value)
    if stress > MAX_STRESS_RATE:
        given, limit = shown_each(stress), shown_each(MAX_STRESS_RATE)
        raise RulesInputError(
            "stress_rate",
            nb="Kalkulasjonsrenten skal oppgis som en andel per år, for eksempel 0,065 for "
            f"6,5 %, og kan ikke være over {limit.nb} (oppgitt: {given.nb}).",
            nn="Kalkulasjonsrenta skal oppgjevast som ein del per år, til dømes 0,065 for "
            f"6,5 %, og kan ikkje vere over {limit.nn} (oppgitt: {given.nn}).",
            en="The stress-test interest rate is given as a fraction per year, for example "
            f"0.065 for 6.5 %, and cannot be over {limit.en} (entered: {given.en}).",
        )
    return stress


def explain_start_loan(
    application: StartLoanApplication,
    on: dt.date,
    *,
    tree: ParameterTree | None = None,
) -> StartLoanResult:
    """Startlån affordability for one household on ``on``, with a full trace.

    Raises a :class:`~husly.rules.errors.RulesInputError` subclass naming the field for bad
    input, an unknown municipality, a municipality without start-loan parameters, or a date the
    parameters do not cover.
    """
    on = check_date("date", on)
    app = application
    p = StartLoanParameters.for_municipality(app.municipality_number, on, tree)
    tracer = Tracer(STEPS)
    persons = _person_arrays(app.members)

    net_income = check_amount("net_income_monthly", app.net_income_monthly)
    loan = check_amount("loan_amount", app.loan_amount)
    other = check_amount("other_fixed_costs_monthly", app.other_fixed_costs_monthly)
    running = check_amount("housing_operating_costs_monthly", app.housing_operating_costs_monthly)
    long_term = check_bool("long_term_conditions_met", app.long_term_conditions_met)
    term, max_term = _term(app.term_years, long_term, p)
    norm_name = _choices(app, p)
    cars_petrol = check_whole("cars_petrol", app.cars_petrol, 0, 10)
    cars_electric = check_whole("cars_electric", app.cars_electric, 0, 10)
    if app.stress_rate is not None:
        p = _replace_stress_rate(p, _stress_rate(app.stress_rate))

    # Living costs: the chosen norm or the actual amount, never below the NAV guideline rates.
    nav = NavRates.for_date(on, tree)
    nav_amount = float(nav_norm(persons, 1, nav)[0])
    tracer.record("living_cost_norm", norm_name, parameters=p.values("living_cost_norm"))
    tracer.record("nav_guideline_amount", nav_amount, parameters=[nav.source])
    if app.actual_living_costs_monthly is not None:
        chosen = check_amount("actual_living_costs_monthly", app.actual_living_costs_monthly)
        tracer.record("actual_living_costs", chosen)
    elif norm_name == "sifo":
        budget = SifoBudget.for_date(on, tree)
        chosen = float(
            sifo_norm(persons, 1, budget, np.array([cars_petrol]), np.array([cars_electric])).total[
                0
            ]
        )
        tracer.record("sifo_amount", chosen, parameters=budget.used)
    else:
        chosen = nav_amount
    living = max(chosen, nav_amount)
    sources = [name for name in ("sifo_amount", "actual_living_costs") if name in tracer.names()]
    tracer.record("living_costs", living, inputs=("nav_guideline_amount", *sources))

    batch = StartLoanBatch(
        net_income_monthly=np.array([net_income]),
        other_fixed_costs_monthly=np.array([other]),
        housing_operating_costs_monthly=np.array([running]),
        living_costs_monthly=np.array([living]),
        loan_amount=np.array([loan]),
        term_years=np.array([term]),
        is_serial=np.array([app.repayment_profile == "serial"]),
    )
    batch.validate(max_term)
    r = _formula(batch, p, tracer)
    register = register_for(on, tree)
    return StartLoanResult(
        on=on,
        municipality_number=p.municipality_number,
        municipality_name=register.name(p.municipality_number),
        living_costs_monthly=int(np.floor(living + 0.5)),
        available_for_loan=int(np.floor(r.available_for_loan[0] + 0.5)),
        stressed_payment=int(r.stressed_payment[0]),
        margin=int(r.margin[0]),
        can_service_loan=bool(r.can_service_loan[0]),
        advise_against=bool(r.advise_against[0]),
        margin_is_thin=bool(r.margin_is_thin[0]),
        largest_loan=int(r.largest_loan[0]),
        actual_payment=int(r.actual_payment[0]),
        establishment_fee=int(r.establishment_fee[0]),
        amount_disbursed=int(r.amount_disbursed[0]),
        trace=tracer.trace(),
        parameters_checksum=(tree or default_tree()).checksum,
    )


def _replace_stress_rate(p: StartLoanParameters, rate: float) -> StartLoanParameters:
    from dataclasses import replace

    used = {
        k: v for k, v in p.used.items() if k not in ("rates.policy_rate", "rates.stress_margin")
    }
    return replace(p, stress_rate=rate, used=used)

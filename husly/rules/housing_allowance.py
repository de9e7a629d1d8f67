"""Statlig bostøtte (housing allowance): vectorised formula, one household or a million.

Legal basis: lov om bustøtte 24.08.2012 nr. 64 (bustøttelova) §§ 3-5 and forskrift om bustøtte
29.11.2012 nr. 1283 §§ 1-7 and 13, as explained in Husbanken's "Veileder i regelverk for
bostøtte". All amounts are annual; the allowance is calculated one month at a time from the
month's income made annual (Husbanken, Beregning og utbetaling).

    approved   = min(documented costs + fixed additions (§ 2), cap by group and size (§ 3))
    income     = household income + 65 % of net wealth above the exempt amount (§ 5, § 6)
    weighted   = round(income / household weight)                                 (§ 7)
    own share  = minimum + first term + second term + progressive term             (§ 4)
    annual     = 73.7 % x max(0, approved - own share)                             (§ 1)
    monthly    = round(annual / 12); not paid if annual / 12 is below the minimum     (§ 13)

Three entry points:

* :func:`explain_housing_allowance` - one household, with a caseworker-readable trace;
* :func:`compute_housing_allowance` - a batch of households as NumPy arrays (no trace);
* :func:`households_from_members` - aggregates person-level arrays into a batch.

Formulas branch with ``np.where``/``take`` on arrays and on dated parameters, never with a
Python loop over households. The only loop is over cache-sized chunks of the batch.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from husly.rules.errors import EmptyHouseholdError, RulesInputError
from husly.rules.language import Texts
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

P = "national.housing_allowance."
FORSKRIFT = "Forskrift om bustøtte (FOR-2012-11-29-1283)"
LAW = "Lov om bustøtte (2012)"
MAX_AGE = 130
ADULT_AGE = 18  # bustøttelova § 3 (over 18 år); forskrift § 7 (barn under 18 år)
MAX_HOUSEHOLD = 50
CAP_STRIDE = MAX_HOUSEHOLD + 1  # cap_table: one row of household sizes 0..50 per category

#: Labels, units, formulas and sources of every step; the UI may use this table directly.
STEPS: Mapping[str, StepInfo] = {
    "applicant_adult_or_parent": StepInfo(
        label_nb="Søker er over 18 år eller har egne barn i boligen",
        label_nn="Søkjaren er over 18 år eller har eigne barn i bustaden",
        label_en="Applicant is 18 or over, or has own children in the home",
        unit="ja/nei",
        formula_nb="søker har fylt 18 år, eller et medlem under 18 år er søkers barn",
        formula_nn="søkjaren har fylt 18 år, eller eit medlem under 18 år er barn av søkjaren",
        formula_en="the applicant has turned 18, or a member under 18 is the applicant's child",
        source=f"{LAW} § 3",
    ),
    "no_member_in_compulsory_service": StepInfo(
        label_nb="Ingen i husstanden avtjener førstegangstjeneste eller siviltjeneste",
        label_nn="Ingen i husstanden gjer førstegongsteneste eller sivilteneste",
        label_en="Nobody in compulsory military or civilian service",
        unit="ja/nei",
        formula_nb="ingen medlemmer i førstegangstjeneste/siviltjeneste",
        formula_nn="ingen medlemer i førstegongsteneste/sivilteneste",
        formula_en="no member is in compulsory military or civilian service",
        source=f"{LAW} § 4",
    ),
    "no_excluded_student": StepInfo(
        label_nb="Ingen studenter uten barn i husstanden (søkers egne studerende barn unntatt)",
        label_nn="Ingen studentar utan barn i husstanden (med unntak av eigne barn av søkjaren "
        "som studerer)",
        label_en="No students without children (the applicant's own student children excepted)",
        unit="ja/nei",
        formula_nb="ingen student som ikke er søkers barn, med mindre søker har barn i boligen",
        formula_nn="ingen student som ikkje er barn av søkjaren, med mindre søkjaren har barn i "
        "bustaden",
        formula_en="no student who is not the applicant's child, unless the applicant has "
        "children in the home",
        source=f"{LAW} § 4",
    ),
    "not_in_institution": StepInfo(
        label_nb="Bor ikke i institusjon med inntektsavhengig betaling",
        label_nn="Bur ikkje i institusjon med vederlag etter inntekt",
        label_en="Does not live in an institution with income-based fees",
        unit="ja/nei",
        formula_nb="oppgitt av saksbehandler",
        formula_nn="oppgitt av saksbehandlaren",
        formula_en="entered by the caseworker",
        source=f"{LAW} § 4",
    ),
    "dwelling_approved": StepInfo(
        label_nb="Boligen er godkjent (egen inngang, bad, wc, kjøkkenløsning, hvilemulighet)",
        label_nn="Bustaden er godkjend (eigen inngang, bad, wc, kjøkkenløysing, høve til kvile)",
        label_en="The dwelling is approved (own entrance, bathroom, toilet, cooking facilities, "
        "a place to rest)",
        unit="ja/nei",
        formula_nb="oppgitt av saksbehandler",
        formula_nn="oppgitt av saksbehandlaren",
        formula_en="entered by the caseworker",
        source=f"{LAW} § 5",
    ),
    "is_eligible": StepInfo(
        label_nb="Husstanden fyller vilkårene",
        label_nn="Husstanden fyller vilkåra",
        label_en="Household meets the conditions",
        unit="ja/nei",
        formula_nb="søker over 18 år eller har egne barn i boligen; ingen i førstegangstjeneste; "
        "ingen studenter uten barn (unntatt søkers egne barn); ikke institusjon; boligen er "
        "godkjent",
        formula_nn="søkjaren er over 18 år eller har eigne barn i bustaden; ingen i "
        "førstegongsteneste; ingen studentar utan barn (med unntak av eigne barn av søkjaren); "
        "ikkje institusjon; bustaden er godkjend",
        formula_en="applicant 18 or over or has own children in the home; nobody in compulsory "
        "service; no students without children (except the applicant's own children); not an "
        "institution; the dwelling is approved",
        source=f"{LAW} §§ 3, 4 og 5",
    ),
    "municipality_group": StepInfo(
        label_nb="Kommunegruppe",
        label_nn="Kommunegruppe",
        label_en="Municipality group",
        unit="",
        formula_nb="1 Oslo; 2 Bergen, Trondheim, Tromsø, Stavanger, Bærum; 3 Kristiansand, "
        "Lillestrøm (Skedsmo), Frogn, Lørenskog, Nordre Follo, Asker, Nesodden, Sola, Sandnes; "
        "4 andre",
        formula_nn="1 Oslo; 2 Bergen, Trondheim, Tromsø, Stavanger, Bærum; 3 Kristiansand, "
        "Lillestrøm (Skedsmo), Frogn, Lørenskog, Nordre Follo, Asker, Nesodden, Sola, Sandnes; "
        "4 alle andre",
        formula_en="1 Oslo; 2 Bergen, Trondheim, Tromsø, Stavanger, Bærum; 3 Kristiansand, "
        "Lillestrøm (Skedsmo), Frogn, Lørenskog, Nordre Follo, Asker, Nesodden, Sola, Sandnes; "
        "4 all others",
        source=f"{FORSKRIFT} § 3; Husbanken, Inntektsgrenser",
    ),
    "household_size": StepInfo(
        label_nb="Antall personer i husstanden",
        label_nn="Talet på personar i husstanden",
        label_en="Persons in the household",
        unit="personer",
        formula_nb="alle som bor i boligen og er folkeregistrert der",
        formula_nn="alle som bur i bustaden og er folkeregistrerte der",
        formula_en="everyone who lives in the home and is registered there in the population "
        "register",
        source="Husbanken, Definisjoner og begreper (husstand)",
    ),
    "housing_cost_cap": StepInfo(
        label_nb="Øvre grense for boutgifter",
        label_nn="Øvre grense for buutgifter",
        label_en="Housing cost cap",
        unit="kr/år",
        formula_nb="grunnsats etter antall personer (5 eller flere) + tillegg for kommunegruppe "
        "+ tillegg for spesialtilpasset bolig",
        formula_nn="grunnsats etter talet på personar (5 eller fleire) + tillegg for "
        "kommunegruppe + tillegg for spesialtilpassa bustad",
        formula_en="base amount by number of persons (5 or more) + supplement for the "
        "municipality group + supplement for a specially adapted dwelling",
        source=f"{FORSKRIFT} § 3",
    ),
    "documented_housing_costs": StepInfo(
        label_nb="Dokumenterte boutgifter",
        label_nn="Dokumenterte buutgifter",
        label_en="Documented housing costs",
        unit="kr/år",
        formula_nb="husleie, eller felleskostnader og renter/avdrag, eller renter/avdrag, "
        "kommunale avgifter, eiendomsskatt og festeavgift",
        formula_nn="husleige, eller felleskostnader og renter/avdrag, eller renter/avdrag, "
        "kommunale avgifter, eigedomsskatt og festeavgift",
        formula_en="rent; or joint costs and interest/repayments; or interest/repayments, "
        "municipal charges, property tax and ground rent",
        source=f"{FORSKRIFT} § 2 bokstav a-c",
    ),
    "fixed_cost_additions": StepInfo(
        label_nb="Faste tillegg i boutgiftene",
        label_nn="Faste tillegg i buutgiftene",
        label_en="Fixed additions to housing costs",
        unit="kr/år",
        formula_nb="sats for driftsutgifter (enebolig) + oppvarmingstillegg (pensjonister som "
        "ikke betaler oppvarming i husleien)",
        formula_nn="sats for driftsutgifter (einebustad) + oppvarmingstillegg (pensjonistar som "
        "ikkje betaler for oppvarming i husleiga)",
        formula_en="operating cost allowance (detached house) + heating supplement (pensioners "
        "who do not pay for heating in the rent)",
        source=f"{FORSKRIFT} § 2 bokstav c og d",
    ),
    "approved_housing_costs": StepInfo(
        label_nb="Godkjente boutgifter",
        label_nn="Godkjente buutgifter",
        label_en="Approved housing costs",
        unit="kr/år",
        formula_nb="det minste av (dokumenterte boutgifter + faste tillegg) og øvre grense",
        formula_nn="det minste av (dokumenterte buutgifter + faste tillegg) og øvre grense",
        formula_en="the lower of (documented housing costs + fixed additions) and the cap",
        source=f"{FORSKRIFT} §§ 2 og 3",
    ),
    "wealth_exempt_amount": StepInfo(
        label_nb="Fribeløp for formue",
        label_nn="Fribeløp for formue",
        label_en="Wealth exempt amount",
        unit="kr",
        formula_nb="leid bolig: fast fribeløp; ellers likningsverdien av egen bolig, høyst et "
        "fast beløp",
        formula_nn="leigd bustad: fast fribeløp; elles likningsverdien av eigen bustad, høgst "
        "eit fast beløp",
        formula_en="rented home: a fixed exempt amount; otherwise the assessed tax value of the "
        "own home, at most a fixed amount",
        source=f"{FORSKRIFT} § 6",
    ),
    "wealth_supplement": StepInfo(
        label_nb="Formuestillegg",
        label_nn="Formuestillegg",
        label_en="Wealth supplement",
        unit="kr/år",
        formula_nb="65 % av nettoformue over fribeløpet",
        formula_nn="65 % av nettoformuen over fribeløpet",
        formula_en="65 % of net wealth above the exempt amount",
        source=f"{FORSKRIFT} § 6",
    ),
    "household_income": StepInfo(
        label_nb="Husstandens inntekt med formuestillegg",
        label_nn="Inntekta til husstanden med formuestillegg",
        label_en="Household income with wealth supplement",
        unit="kr/år",
        formula_nb="inntekt (månedens inntekt omregnet til år, barns inntekt holdes utenfor) "
        "+ formuestillegg",
        formula_nn="inntekt (inntekta for månaden rekna om til år, inntekta til barn blir halden "
        "utanfor) + formuestillegg",
        formula_en="income (the month's income made annual, children's income left out) "
        "+ wealth supplement",
        source=f"{FORSKRIFT} §§ 5 og 6",
    ),
    "household_weight": StepInfo(
        label_nb="Husstandens vekt",
        label_nn="Vekta til husstanden",
        label_en="Household weight",
        unit="vekt",
        formula_nb="1,0 for første person + vekt for hver av de andre (barn under 18 år har "
        "egen vekt)",
        formula_nn="1,0 for første person + vekt for kvar av dei andre (barn under 18 år har "
        "eiga vekt)",
        formula_en="1.0 for the first person + a weight for each of the others (children under "
        "18 have their own weight)",
        source=f"{FORSKRIFT} § 7",
    ),
    "weighted_income": StepInfo(
        label_nb="Omregnet (vektet) inntekt",
        label_nn="Omrekna (vekta) inntekt",
        label_en="Weighted income",
        unit="kr/år",
        formula_nb="inntekt med formuestillegg delt på husstandens vekt, avrundet til nærmeste "
        "hele krone",
        formula_nn="inntekt med formuestillegg delt på vekta til husstanden, avrunda til "
        "næraste heile krone",
        formula_en="income with wealth supplement divided by the household weight, rounded to "
        "the nearest whole krone",
        source=f"{FORSKRIFT} § 7",
    ),
    "own_share_minimum": StepInfo(
        label_nb="Minste egenandel",
        label_nn="Minste eigendel",
        label_en="Minimum own share",
        unit="kr/år",
        formula_nb="fast beløp for alle",
        formula_nn="fast beløp for alle",
        formula_en="a fixed amount for everyone",
        source=f"{FORSKRIFT} § 4 første ledd",
    ),
    "own_share_first_term": StepInfo(
        label_nb="Egenandel, første ledd",
        label_nn="Eigendel, første ledd",
        label_en="Own share, first term",
        unit="kr/år",
        formula_nb="sats × omregnet inntekt over første innslagspunkt",
        formula_nn="sats × omrekna inntekt over første innslagspunkt",
        formula_en="rate × weighted income above the first threshold",
        source=f"{FORSKRIFT} § 4 andre ledd",
    ),
    "own_share_second_term": StepInfo(
        label_nb="Egenandel, andre ledd",
        label_nn="Eigendel, andre ledd",
        label_en="Own share, second term",
        unit="kr/år",
        formula_nb="lineær sats × omregnet inntekt over andre innslagspunkt, eller progressiv "
        "sats × antall påbegynte trinn × hele den omregnede inntekten",
        formula_nn="lineær sats × omrekna inntekt over andre innslagspunkt, eller progressiv "
        "sats × talet på påbyrja trinn × heile den omrekna inntekta",
        formula_en="linear rate × weighted income above the second threshold, or progressive "
        "rate × number of started steps × the whole weighted income",
        source=f"{FORSKRIFT} § 4 tredje ledd",
    ),
    "own_share": StepInfo(
        label_nb="Egenandel",
        label_nn="Eigendel",
        label_en="Own share",
        unit="kr/år",
        formula_nb="minste egenandel + første ledd + andre ledd",
        formula_nn="minste eigendel + første ledd + andre ledd",
        formula_en="minimum own share + first term + second term",
        source=f"{FORSKRIFT} § 4",
    ),
    "annual_allowance": StepInfo(
        label_nb="Beregnet bostøtte per år",
        label_nn="Utrekna bustøtte per år",
        label_en="Calculated allowance per year",
        unit="kr/år",
        formula_nb="dekningsprosent × (godkjente boutgifter − egenandel), ikke under 0",
        formula_nn="dekningsprosent × (godkjente buutgifter − eigendel), ikkje under 0",
        formula_en="coverage rate × (approved housing costs − own share), not below 0",
        source=f"{FORSKRIFT} § 1",
    ),
    "monthly_amount": StepInfo(
        label_nb="Beregnet bostøtte for måneden",
        label_nn="Utrekna bustøtte for månaden",
        label_en="Calculated allowance for the month",
        unit="kr/mnd",
        formula_nb="beregnet bostøtte per år delt på 12, avrundet til nærmeste hele krone",
        formula_nn="utrekna bustøtte per år delt på 12, avrunda til næraste heile krone",
        formula_en="calculated allowance per year divided by 12, rounded to the nearest whole "
        "krone",
        source=f"{FORSKRIFT} § 1; Husbanken, Beregning og utbetaling",
    ),
    "monthly_payout": StepInfo(
        label_nb="Bostøtte til utbetaling for måneden",
        label_nn="Bustøtte til utbetaling for månaden",
        label_en="Allowance paid for the month",
        unit="kr/mnd",
        formula_nb="beregnet bostøtte for måneden, men 0 hvis beløpet før avrunding er under "
        "minste utbetaling",
        formula_nn="utrekna bustøtte for månaden, men 0 dersom beløpet før avrunding er under "
        "minste utbetaling",
        formula_en="calculated allowance for the month, but 0 if the amount before rounding is "
        "below the minimum payout",
        source=f"{FORSKRIFT} § 13",
    ),
}


ELIGIBILITY_STEPS = (
    "applicant_adult_or_parent",
    "no_member_in_compulsory_service",
    "no_excluded_student",
    "not_in_institution",
    "dwelling_approved",
)

# --------------------------------------------------------------------------------------------
# Parameters for one date
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HousingAllowanceParameters:
    """All bostøtte parameters in force on one date, pre-arranged as lookup tables."""

    on: dt.date
    coverage_rate: float
    # cap_table[size + CAP_STRIDE * (group + 5 * special)]: every size has its own entry, so
    # the batch needs no min(size, 5) (sizes of 5 or more repeat the 5-person cap).
    cap_table: F64
    # addition_table[is_detached_owner * 2 + gets_heating_supplement]
    addition_table: F64
    # weight_table[household_size * MAX_HOUSEHOLD + children_count] (forskrift § 7)
    weight_table: F64
    weight_first: float
    weight_other_adult: float
    weight_child: float
    wealth_rate: float
    exempt_renting: float
    exempt_owning_cap: float
    minimum_own_share: float
    first_rate: float
    second_rate: float
    step_rate: float
    step_size: float
    # threshold tables indexed by is_young_disabled + 2 * is_single_pensioner
    first_threshold_table: F64
    second_threshold_table: F64
    minimum_payout: float
    used: Mapping[str, ResolvedValue] = field(repr=False)

    @classmethod
    def for_date(cls, on: dt.date, tree: ParameterTree | None = None) -> HousingAllowanceParameters:
        """Parameters in force on ``on`` (cached). OutsideParameterCoverageError if none."""
        return _parameters_for(tree or default_tree(), check_date("date", on))

    def values(self, *names: str) -> tuple[ResolvedValue, ...]:
        return tuple(self.used[n] for n in names)

    def cap_for(self, household_size: int, municipality_group: int, special: bool) -> float:
        """The housing cost cap (forskrift om bustøtte § 3) for one household."""
        return float(
            self.cap_table[household_size + CAP_STRIDE * (municipality_group + 5 * special)]
        )


@functools.lru_cache(maxsize=128)
def _parameters_for(tree: ParameterTree, on: dt.date) -> HousingAllowanceParameters:
    def get(name: str) -> ResolvedValue:
        return tree.at(P + name, on, field="date")

    used: dict[str, ResolvedValue] = {}

    def number(name: str, unit: str) -> float:
        used[name] = get(name)
        return used[name].as_number(unit)

    base_rv = used["housing_cost_cap.base_by_household_size"] = get(
        "housing_cost_cap.base_by_household_size"
    )
    supp_rv = used["housing_cost_cap.group_supplement"] = get("housing_cost_cap.group_supplement")
    base = np.array(base_rv.as_number_list("NOK/year"), dtype=np.float64)
    supplement = np.array(supp_rv.as_number_list("NOK/year"), dtype=np.float64)
    special = number("housing_cost_cap.special_adaptation_supplement", "NOK/year")
    # Laid out so that cap_table[size + CAP_STRIDE * (group + 5 * special)] is the cap.
    by_size = np.concatenate(([0.0], base, np.repeat(base[-1], MAX_HOUSEHOLD - len(base))))
    cap_table = np.zeros(CAP_STRIDE * 10)
    for s in (0, 1):
        for g in range(1, 5):
            row = CAP_STRIDE * (g + 5 * s)
            cap_table[row + 1 : row + CAP_STRIDE] = by_size[1:] + supplement[g - 1] + s * special

    operating = number("housing_costs.operating_cost_allowance", "NOK/year")
    heating = number("housing_costs.heating_supplement", "NOK/year")
    addition_table = np.array([0.0, heating, operating, operating + heating])

    weight_first = number("household_weight.first_person", "weight")
    weight_other_adult = number("household_weight.other_adult", "weight")
    weight_child = number("household_weight.child", "weight")
    # § 7 for every (size, children) pair: 1.0 for the first person, one weight per other adult
    # and per child (same floating-point operations as written out per household).
    sizes, children = np.divmod(np.arange((MAX_HOUSEHOLD + 1) * MAX_HOUSEHOLD), MAX_HOUSEHOLD)
    weight_table = sizes * weight_other_adult
    if weight_child != weight_other_adult:  # dated formula: children weigh differently
        weight_table = weight_table + children * (weight_child - weight_other_adult)
    weight_table = weight_table + (weight_first - weight_other_adult)

    t1 = number("own_share.first_threshold", "NOK/year")
    t2 = number("own_share.second_threshold", "NOK/year")
    yd_t2 = number("own_share.young_disabled_second_threshold", "NOK/year")
    sp_t1 = number("own_share.single_pensioner_first_threshold", "NOK/year")
    sp_t2 = number("own_share.single_pensioner_second_threshold", "NOK/year")
    step_rate = number("own_share.progressive_step_rate", "ratio")
    # Dated formula: the step size only matters while the progressive term is stepped.
    step_size = number("own_share.progressive_step_size", "NOK/year") if step_rate else 0.0

    return HousingAllowanceParameters(
        on=on,
        coverage_rate=number("coverage_rate", "ratio"),
        cap_table=cap_table,
        addition_table=addition_table,
        weight_table=weight_table,
        weight_first=weight_first,
        weight_other_adult=weight_other_adult,
        weight_child=weight_child,
        wealth_rate=number("wealth.rate", "ratio"),
        exempt_renting=number("wealth.exempt_amount_renting", "NOK"),
        exempt_owning_cap=number("wealth.exempt_amount_owning_cap", "NOK"),
        minimum_own_share=number("own_share.minimum", "NOK/year"),
        first_rate=number("own_share.first_rate", "ratio"),
        second_rate=number("own_share.second_rate", "ratio"),
        step_rate=step_rate,
        step_size=step_size,
        # index: young_disabled + 2 * single_pensioner. Young disabled takes precedence for the
        # second threshold, a single pensioner's first threshold applies to the first [U].
        first_threshold_table=np.array([t1, t1, sp_t1, sp_t1]),
        second_threshold_table=np.array([t2, yd_t2, sp_t2, yd_t2]),
        minimum_payout=number("minimum_payout", "NOK/month"),
        used=used,
    )


# --------------------------------------------------------------------------------------------
# Batch input and result
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HousingAllowanceBatch:
    """Households as arrays, one element per household (see :func:`households_from_members`).

    Amounts are annual kroner. ``municipality_group`` is the bostøtte kommunegruppe 1-4 (encode
    kommunenummer with ``register_for(on).group_codes(...)``).
    """

    municipality_group: npt.NDArray[np.integer[Any]]
    household_size: npt.NDArray[np.integer[Any]]
    children_count: npt.NDArray[np.integer[Any]]
    income_annual: F64
    net_wealth: F64
    housing_costs_annual: F64
    home_assessed_value: F64
    is_renting: Bools
    is_detached_owner: Bools
    gets_heating_supplement: Bools
    has_special_adaptation: Bools
    is_young_disabled: Bools
    is_single_pensioner: Bools
    meets_conditions: Bools

    def __len__(self) -> int:
        return len(self.income_annual)

    def arrays(self) -> dict[str, npt.NDArray[Any]]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    def validate(self) -> int:
        """Check shapes, types and ranges; returns the number of households."""
        arrays = self.arrays()
        n = check_lengths(arrays)
        check_int_array("municipality_group", self.municipality_group, 1, 4)
        size = self.household_size
        if size.size and size.dtype.kind in "iu" and size.min() < 1:
            i = int(np.flatnonzero(size < 1)[0])
            raise EmptyHouseholdError(
                f"household_size[{i}]",
                nb=f"Husstand nr. {i + 1} har ingen medlemmer (antall personer: {size[i]}).",
                nn=f"Husstand nr. {i + 1} har ingen medlemer (talet på personar: {size[i]}).",
                en=f"Household {i + 1} has no members (number of persons: {size[i]}).",
            )
        check_int_array("household_size", self.household_size, 1, MAX_HOUSEHOLD)
        check_int_array("children_count", self.children_count, 0, MAX_HOUSEHOLD - 1)
        if self.children_count.size and (self.children_count >= self.household_size).any():
            i = int(np.flatnonzero(self.children_count >= self.household_size)[0])
            children, persons = self.children_count[i], self.household_size[i]
            raise RulesInputError(
                f"children_count[{i}]",
                nb=f"I husstand nr. {i + 1} må antall barn under 18 år ({children}) være lavere "
                f"enn antall personer ({persons}, søkeren medregnet).",
                nn=f"I husstand nr. {i + 1} må talet på barn under 18 år ({children}) vere lågare "
                f"enn talet på personar ({persons}, søkjaren medrekna).",
                en=f"In household {i + 1} the number of children under 18 ({children}) must be "
                f"lower than the number of persons ({persons}, the applicant included).",
            )
        for name in ("income_annual", "net_wealth", "housing_costs_annual", "home_assessed_value"):
            check_amount_array(name, arrays[name])
        for name, values in arrays.items():
            if name.startswith(("is_", "gets_", "has_", "meets_")):
                check_bool_array(name, values)
        return n


@dataclass(frozen=True)
class HousingAllowanceBatchResult:
    """Per-household results. ``monthly_payout`` is whole kroner (0 if not paid)."""

    annual_allowance: F64
    monthly_payout: npt.NDArray[np.int64]


# --------------------------------------------------------------------------------------------
# The formula
# --------------------------------------------------------------------------------------------


def _formula(  # noqa: PLR0915 - one statement per legal step, kept in one readable place
    b: HousingAllowanceBatch,
    sl: slice,
    p: HousingAllowanceParameters,
    *,
    annual_out: F64,
    monthly_out: npt.NDArray[np.int64],
    tracer: Tracer | None,
) -> None:
    """The bostøtte formula for households ``sl`` of ``b``; writes into the output arrays.

    Sources per step in :data:`STEPS`. Pure array code: no branch depends on a household.
    """
    # Categories become table indexes: the arithmetic runs in int16 (validated ranges: size
    # <= 50, group 1-4), then one cast to the platform index type, which ``take`` needs for its
    # fast path. Booleans multiply directly; ``where`` with a mask is slow on mixed data.
    size = b.household_size[sl].astype(np.int16, copy=False)
    children = b.children_count[sl].astype(np.int16, copy=False)

    # § 3: cap by group and size (5 or more persons share a cap), plus special adaptation.
    cap_index = b.municipality_group[sl] * np.int16(CAP_STRIDE)
    cap_index += b.has_special_adaptation[sl] * np.int16(5 * CAP_STRIDE)
    cap_index += size
    cap = p.cap_table.take(cap_index.astype(np.intp))

    # § 2: documented costs + fixed additions (operating allowance, heating); § 3: capped.
    addition_index = b.is_detached_owner[sl] * np.int8(2)
    addition_index += b.gets_heating_supplement[sl]
    additions = p.addition_table.take(addition_index.astype(np.intp))
    approved = b.housing_costs_annual[sl] + additions
    np.minimum(approved, cap, out=approved)

    # § 6: wealth supplement. Exempt amount per household: fixed when renting, otherwise the
    # assessed value of the own home up to a cap.
    renting = b.is_renting[sl].astype(np.float64)
    exempt = np.minimum(b.home_assessed_value[sl], p.exempt_owning_cap)
    exempt *= 1.0 - renting
    renting *= p.exempt_renting
    exempt += renting
    wealth_supplement = b.net_wealth[sl] - exempt
    np.maximum(wealth_supplement, 0.0, out=wealth_supplement)
    wealth_supplement *= p.wealth_rate
    income = b.income_annual[sl] + wealth_supplement

    # § 7: weight 1.0 for the first person and one weight per other adult and per child.
    weight_index = size * np.int16(MAX_HOUSEHOLD)
    weight_index += children
    weight = p.weight_table.take(weight_index.astype(np.intp))
    # Rounded to the nearest whole krone (half up; incomes are never negative).
    weighted = income / weight
    weighted += 0.5
    np.floor(weighted, out=weighted)

    # § 4: own share. Thresholds depend on young-disabled and single-pensioner status.
    category_small = b.is_single_pensioner[sl] * np.int8(2)
    category_small += b.is_young_disabled[sl]
    category = category_small.astype(np.intp)
    first = weighted - p.first_threshold_table.take(category)
    np.maximum(first, 0.0, out=first)
    first *= p.first_rate
    own_share = first + p.minimum_own_share
    over_second = weighted - p.second_threshold_table.take(category)
    if p.second_rate:  # dated formula: a linear second term
        second = np.maximum(over_second, 0.0)
        second *= p.second_rate
    else:
        second = np.zeros_like(weighted)
    if p.step_rate:  # dated formula: n started steps x rate x whole weighted income
        steps = over_second - 1.0
        steps /= p.step_size
        np.floor(steps, out=steps)
        steps += 1.0
        np.maximum(steps, 0.0, out=steps)
        steps *= p.step_rate
        steps *= weighted
        second += steps
    own_share += second

    # § 1: 73.7 % of (approved costs - own share), not below zero; law §§ 3-5: eligibility.
    annual = annual_out[sl]
    np.subtract(approved, own_share, out=annual)
    np.maximum(annual, 0.0, out=annual)
    annual *= p.coverage_rate
    annual *= b.meets_conditions[sl]

    # Monthly amount in whole kroner; § 13: not paid below the minimum payout, compared with
    # the amount before rounding (49.60 kroner is below 50 even though it rounds to 50).
    monthly = annual / 12.0
    payable = monthly >= p.minimum_payout
    monthly += 0.5
    np.floor(monthly, out=monthly)
    paid = monthly * payable
    payout = monthly_out[sl]
    np.copyto(payout, paid, casting="unsafe")

    if tracer is not None:
        u = p.used
        tracer.record("is_eligible", b.meets_conditions[sl], inputs=ELIGIBILITY_STEPS)
        tracer.record("municipality_group", b.municipality_group[sl])
        tracer.record("household_size", size)
        tracer.record(
            "housing_cost_cap",
            cap,
            inputs=("municipality_group", "household_size"),
            parameters=p.values(
                "housing_cost_cap.base_by_household_size",
                "housing_cost_cap.group_supplement",
                "housing_cost_cap.special_adaptation_supplement",
            ),
        )
        tracer.record("documented_housing_costs", b.housing_costs_annual[sl])
        tracer.record(
            "fixed_cost_additions",
            additions,
            parameters=p.values(
                "housing_costs.operating_cost_allowance", "housing_costs.heating_supplement"
            ),
        )
        tracer.record(
            "approved_housing_costs",
            approved,
            inputs=("documented_housing_costs", "fixed_cost_additions", "housing_cost_cap"),
        )
        tracer.record(
            "wealth_exempt_amount",
            exempt,
            parameters=p.values("wealth.exempt_amount_renting", "wealth.exempt_amount_owning_cap"),
        )
        tracer.record(
            "wealth_supplement",
            wealth_supplement,
            inputs=("wealth_exempt_amount",),
            parameters=p.values("wealth.rate"),
        )
        tracer.record("household_income", income, inputs=("wealth_supplement",))
        tracer.record(
            "household_weight",
            weight,
            inputs=("household_size",),
            parameters=p.values(
                "household_weight.first_person",
                "household_weight.other_adult",
                "household_weight.child",
            ),
        )
        tracer.record("weighted_income", weighted, inputs=("household_income", "household_weight"))
        tracer.record(
            "own_share_minimum", p.minimum_own_share, parameters=p.values("own_share.minimum")
        )
        first_params = ["own_share.first_rate", "own_share.first_threshold"]
        second_params = ["own_share.second_rate", "own_share.second_threshold"]
        if p.step_rate:
            second_params += ["own_share.progressive_step_rate", "own_share.progressive_step_size"]
        else:
            tracer.use(u["own_share.progressive_step_rate"])
        if b.is_single_pensioner[sl].any():
            first_params.append("own_share.single_pensioner_first_threshold")
            second_params.append("own_share.single_pensioner_second_threshold")
        if b.is_young_disabled[sl].any():
            second_params.append("own_share.young_disabled_second_threshold")
        tracer.record(
            "own_share_first_term",
            first,
            inputs=("weighted_income",),
            parameters=p.values(*first_params),
        )
        tracer.record(
            "own_share_second_term",
            second,
            inputs=("weighted_income",),
            parameters=p.values(*second_params),
        )
        tracer.record(
            "own_share",
            own_share,
            inputs=("own_share_minimum", "own_share_first_term", "own_share_second_term"),
        )
        tracer.record(
            "annual_allowance",
            annual,
            inputs=("approved_housing_costs", "own_share", "is_eligible"),
            parameters=p.values("coverage_rate"),
        )
        tracer.record("monthly_amount", monthly, inputs=("annual_allowance",))
        tracer.record(
            "monthly_payout",
            payout,
            inputs=("monthly_amount", "annual_allowance"),
            parameters=p.values("minimum_payout"),
        )


def compute_housing_allowance(
    batch: HousingAllowanceBatch,
    parameters: HousingAllowanceParameters,
    *,
    chunk_size: int = 32_768,
    validate: bool = True,
) -> HousingAllowanceBatchResult:
    """Bostøtte for every household in ``batch`` with the parameters of one date.

    The batch is processed in cache-sized chunks (a loop over chunks, not households), which keeps
    temporaries in the CPU cache and memory flat. Raises RulesInputError for bad input.
    """
    n = batch.validate() if validate else len(batch)
    annual = np.empty(n, dtype=np.float64)
    monthly = np.empty(n, dtype=np.int64)
    for start in range(0, n, chunk_size):
        _formula(
            batch,
            slice(start, start + chunk_size),
            parameters,
            annual_out=annual,
            monthly_out=monthly,
            tracer=None,
        )
    return HousingAllowanceBatchResult(annual_allowance=annual, monthly_payout=monthly)


# --------------------------------------------------------------------------------------------
# Person level -> household level
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberArrays:
    """Household members as arrays, one element per person.

    ``household`` is the household's position (0..n-1) for each person; exactly one person per
    household has ``is_applicant``.
    """

    household: npt.NDArray[np.integer[Any]]
    age: npt.NDArray[np.integer[Any]]
    is_applicant: Bools
    is_child_of_applicant: Bools
    is_student: Bools
    is_in_compulsory_service: Bools
    is_young_disabled: Bools
    is_pensioner: Bools


@dataclass(frozen=True)
class HouseholdArrays:
    """Household-level facts that are not derived from members. Amounts are annual kroner."""

    municipality_group: npt.NDArray[np.integer[Any]]
    income_annual: F64
    net_wealth: F64
    housing_costs_annual: F64
    home_assessed_value: F64
    is_renting: Bools
    is_detached_owner: Bools
    heating_included_in_costs: Bools
    has_special_adaptation: Bools
    lives_in_institution: Bools
    dwelling_meets_requirements: Bools


def households_from_members(
    households: HouseholdArrays, members: MemberArrays, *, tracer: Tracer | None = None
) -> HousingAllowanceBatch:
    """Aggregate members into the household facts the formula needs (who is in the household).

    Sources: bustøttelova § 3 (applicant over 18 or with own children in the home), § 4
    (exclusions: compulsory military/civilian service; students without children, except a
    parent's own student children; residents of institutions), § 5 (approved dwelling);
    forskrift § 2 d (heating supplement for pensioners), § 4 (single pensioners, ung ufør),
    § 7 (weights for children). Interpretation: "students without children" is read as a student
    who is not the applicant's child in a household with no children of the applicant.
    """
    n = check_lengths({k: getattr(households, k) for k in households.__dataclass_fields__})
    check_lengths({k: getattr(members, k) for k in members.__dataclass_fields__})
    check_int_array("household", members.household, 0, max(n - 1, 0))
    check_int_array("age", members.age, 0, MAX_AGE)
    hh = members.household.astype(np.intp)

    def count(mask: npt.NDArray[Any]) -> npt.NDArray[np.int64]:
        return np.bincount(hh, weights=mask, minlength=n).astype(np.int64)

    size = np.bincount(hh, minlength=n).astype(np.int64)
    if n and size.min() < 1:
        i = int(np.flatnonzero(size < 1)[0])
        raise EmptyHouseholdError(
            f"members[{i}]" if n > 1 else "members",
            nb="Husstanden må ha minst ett medlem."
            if n == 1
            else f"Husstand nr. {i + 1} har ingen medlemmer; hver husstand må ha minst ett.",
            nn="Husstanden må ha minst eitt medlem."
            if n == 1
            else f"Husstand nr. {i + 1} har ingen medlemer; kvar husstand må ha minst eitt.",
            en="The household must have at least one member."
            if n == 1
            else f"Household {i + 1} has no members; every household must have at least one.",
        )
    applicants = count(members.is_applicant)
    if n and (applicants != 1).any():
        i = int(np.flatnonzero(applicants != 1)[0])
        found = applicants[i]
        where = (
            Texts("husstanden", "husstanden", "the household")
            if n == 1
            else Texts(f"husstand nr. {i + 1}", f"husstand nr. {i + 1}", f"household {i + 1}")
        )
        raise RulesInputError(
            "members.is_applicant",
            nb=f"Nøyaktig én person i {where.nb} må være søker, men {found} er oppgitt som søker.",
            nn=f"Nøyaktig éin person i {where.nn} må vere søkjar, men {found} er oppgitt som "
            "søkjar.",
            en=f"Exactly one person in {where.en} must be the applicant, but {found} are given "
            "as the applicant.",
        )
    minor = members.age < ADULT_AGE
    children = count(minor & ~members.is_applicant)
    own_children = count(minor & members.is_child_of_applicant) > 0
    applicant_adult = count(members.is_applicant & ~minor) > 0
    in_service = count(members.is_in_compulsory_service) > 0
    excluded_students = (
        count(members.is_student & ~members.is_child_of_applicant) > 0
    ) & ~own_children
    meets = (applicant_adult | own_children) & ~in_service & ~excluded_students
    meets &= ~households.lives_in_institution & households.dwelling_meets_requirements
    if tracer is not None:
        tracer.record("applicant_adult_or_parent", applicant_adult | own_children)
        tracer.record("no_member_in_compulsory_service", ~in_service)
        tracer.record("no_excluded_student", ~excluded_students)
        tracer.record("not_in_institution", ~households.lives_in_institution)
        tracer.record("dwelling_approved", households.dwelling_meets_requirements)
    pensioners = count(members.is_pensioner) > 0
    return HousingAllowanceBatch(
        municipality_group=households.municipality_group,
        household_size=size,
        children_count=children,
        income_annual=households.income_annual,
        net_wealth=households.net_wealth,
        housing_costs_annual=households.housing_costs_annual,
        home_assessed_value=households.home_assessed_value,
        is_renting=households.is_renting,
        is_detached_owner=households.is_detached_owner,
        gets_heating_supplement=pensioners & ~households.heating_included_in_costs,
        has_special_adaptation=households.has_special_adaptation,
        is_young_disabled=count(members.is_young_disabled) > 0,
        is_single_pensioner=pensioners & (size == 1),
        meets_conditions=meets,
    )


# --------------------------------------------------------------------------------------------
# One household, explained
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """One person living in the dwelling. The first member of a household is the applicant."""

    age: int
    is_child_of_applicant: bool = False
    is_student: bool = False
    is_in_compulsory_service: bool = False
    is_young_disabled: bool = False
    is_pensioner: bool = False


@dataclass(frozen=True)
class HousingAllowanceApplication:
    """One household applying for bostøtte for one month. Amounts are annual kroner.

    ``income_annual`` is the household's income for the month made annual (* 12), children's
    income excluded (forskrift § 5). ``housing_costs_annual`` is the documented costs under § 2
    a-c (rent, or common costs and loan costs, or loan costs, municipal charges, property tax and
    ground rent); the fixed operating allowance and heating supplement are added by the engine.
    """

    municipality_number: str
    members: Sequence[Member]
    housing_costs_annual: float
    income_annual: float
    net_wealth: float = 0.0
    is_renting: bool = True
    home_assessed_value: float = 0.0
    is_detached_house_owner: bool = False
    heating_included_in_costs: bool = True
    has_special_adaptation: bool = False
    lives_in_institution: bool = False
    dwelling_meets_requirements: bool = True


@dataclass(frozen=True)
class HousingAllowanceResult:
    """The outcome for one household and month, with its explanation."""

    on: dt.date
    municipality_number: str
    municipality_name: str
    municipality_group: int
    is_eligible: bool
    annual_allowance: int
    monthly_payout: int
    trace: Trace
    parameters_checksum: str
    engine_version: str = ENGINE_VERSION

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": "housing_allowance",
            "on": self.on.isoformat(),
            "municipality_number": self.municipality_number,
            "municipality_name": self.municipality_name,
            "municipality_group": self.municipality_group,
            "is_eligible": self.is_eligible,
            "annual_allowance": self.annual_allowance,
            "monthly_payout": self.monthly_payout,
            "engine_version": self.engine_version,
            "parameters_checksum": self.parameters_checksum,
            "trace": self.trace.to_dict(),
        }


def _application_arrays(
    app: HousingAllowanceApplication, group: int
) -> tuple[HouseholdArrays, MemberArrays]:
    members = check_members(app.members, Member, MAX_HOUSEHOLD)
    ages = []
    flags: dict[str, list[bool]] = {
        "is_child_of_applicant": [],
        "is_student": [],
        "is_in_compulsory_service": [],
        "is_young_disabled": [],
        "is_pensioner": [],
    }
    for i, m in enumerate(members):
        ages.append(check_whole(f"members[{i}].age", m.age, 0, MAX_AGE))
        for name, values in flags.items():
            values.append(check_bool(f"members[{i}].{name}", getattr(m, name)))
    k = len(members)

    def one(value: float) -> F64:
        return np.array([value], dtype=np.float64)

    def flag(value: bool) -> Bools:
        return np.array([value], dtype=np.bool_)

    households = HouseholdArrays(
        municipality_group=np.array([group], dtype=np.int8),
        income_annual=one(check_amount("income_annual", app.income_annual)),
        net_wealth=one(check_amount("net_wealth", app.net_wealth)),
        housing_costs_annual=one(check_amount("housing_costs_annual", app.housing_costs_annual)),
        home_assessed_value=one(check_amount("home_assessed_value", app.home_assessed_value)),
        is_renting=flag(check_bool("is_renting", app.is_renting)),
        is_detached_owner=flag(check_bool("is_detached_house_owner", app.is_detached_house_owner)),
        heating_included_in_costs=flag(
            check_bool("heating_included_in_costs", app.heating_included_in_costs)
        ),
        has_special_adaptation=flag(
            check_bool("has_special_adaptation", app.has_special_adaptation)
        ),
        lives_in_institution=flag(check_bool("lives_in_institution", app.lives_in_institution)),
        dwelling_meets_requirements=flag(
            check_bool("dwelling_meets_requirements", app.dwelling_meets_requirements)
        ),
    )
    member_arrays = MemberArrays(
        household=np.zeros(k, dtype=np.intp),
        age=np.array(ages, dtype=np.int64),
        is_applicant=np.arange(k) == 0,
        **{name: np.array(values, dtype=np.bool_) for name, values in flags.items()},
    )
    return households, member_arrays


def explain_housing_allowance(
    application: HousingAllowanceApplication,
    on: dt.date,
    *,
    tree: ParameterTree | None = None,
) -> HousingAllowanceResult:
    """Bostøtte for one household for the month containing ``on``, with a full trace.

    Uses the parameters in force on ``on`` (use the situation date, the 1st of the month).
    Raises a :class:`~husly.rules.errors.RulesInputError` subclass naming the field for bad input,
    an unknown municipality or a date the parameters do not cover.
    """
    on = check_date("date", on)
    number = check_municipality_number(application.municipality_number)
    params = HousingAllowanceParameters.for_date(on, tree)
    register = register_for(on, tree)
    group = int(register.group_codes(np.asarray(number)))
    households, members = _application_arrays(application, group)
    tracer = Tracer(STEPS)
    batch = households_from_members(households, members, tracer=tracer)
    batch.validate()
    tracer.use(register.register, register.group_map)
    annual = np.empty(1, dtype=np.float64)
    monthly = np.empty(1, dtype=np.int64)
    _formula(batch, slice(0, 1), params, annual_out=annual, monthly_out=monthly, tracer=tracer)
    trace = tracer.trace()
    return HousingAllowanceResult(
        on=on,
        municipality_number=number,
        municipality_name=register.name(number),
        municipality_group=group,
        is_eligible=bool(batch.meets_conditions[0]),
        annual_allowance=int(np.floor(annual[0] + 0.5)),
        monthly_payout=int(monthly[0]),
        trace=trace,
        parameters_checksum=(tree or default_tree()).checksum,
    )


def income_limit(
    batch: HousingAllowanceBatch,
    parameters: HousingAllowanceParameters,
    *,
    upper: float = 5_000_000.0,
) -> F64:
    """Lowest annual income at which each household gets no payout (øvre inntektsgrense).

    There is no statutory income limit: it follows from the formula (Husbanken, Inntektsgrenser).
    Found by vectorised bisection on whole kroner (a loop over ~23 halvings, not households);
    the other facts of each household (costs, wealth, size...) are kept.
    """
    n = batch.validate()
    low = np.zeros(n)
    high = np.full(n, upper)
    fields = batch.arrays()
    while True:
        open_ = high - low > 1.0
        if not open_.any():
            break
        mid = np.floor((low + high) / 2.0)
        fields["income_annual"] = mid
        paid = (
            compute_housing_allowance(
                HousingAllowanceBatch(**fields), parameters, validate=False
            ).monthly_payout
            > 0
        )
        low = np.where(open_ & paid, mid, low)
        high = np.where(open_ & ~paid, mid, high)
    fields["income_annual"] = np.zeros(n)
    paid_at_zero = (
        compute_housing_allowance(
            HousingAllowanceBatch(**fields), parameters, validate=False
        ).monthly_payout
        > 0
    )
    return np.where(paid_at_zero, high, 0.0)

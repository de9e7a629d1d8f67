"""Input checks shared by the rules: every failure names the field and says what is wrong, with
the value or the limit, in bokmål, nynorsk and English.

Scalar checks serve the single-household API; array checks serve the batch API and run as a few
vectorised reductions per array (no per-household Python).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Mapping, Sequence
from numbers import Real
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from husly.rules.errors import EmptyHouseholdError, InvalidAmountError, RulesInputError
from husly.rules.language import Texts, each, pick, quote, shown_each

T = TypeVar("T")

#: The names of input fields in bokmål, nynorsk and English, used in error messages and by the UI.
FIELD_LABELS: Mapping[str, tuple[str, str, str]] = {
    "date": ("beregningsdato", "utrekningsdato", "calculation date"),
    "municipality_number": ("kommunenummer", "kommunenummer", "municipality number"),
    "members": ("husstandsmedlemmer", "husstandsmedlemer", "household members"),
    "household": ("husstand", "husstand", "household"),
    "age": ("alder", "alder", "age"),
    "sex": ("kjønn", "kjønn", "sex"),
    "is_female": ("kvinne", "kvinne", "female"),
    "is_applicant": ("søker", "søkjar", "applicant"),
    "is_child_of_applicant": ("barn av søkeren", "barn av søkjaren", "child of the applicant"),
    "is_student": ("student", "student", "student"),
    "is_pregnant": ("gravid", "gravid", "pregnant"),
    "is_in_compulsory_service": (
        "i førstegangstjeneste",
        "i førstegongsteneste",
        "in compulsory military or civilian service",
    ),
    "is_young_disabled": ("ung ufør", "ung ufør", "young and disabled"),
    "is_pensioner": ("pensjonist", "pensjonist", "pensioner"),
    "is_single_pensioner": ("enslig pensjonist", "einsleg pensjonist", "single pensioner"),
    "housing_costs_annual": ("boutgifter per år", "buutgifter per år", "housing costs per year"),
    "income_annual": (
        "husstandens inntekt per år",
        "inntekta til husstanden per år",
        "household income per year",
    ),
    "net_wealth": ("nettoformue", "nettoformue", "net wealth"),
    "home_assessed_value": (
        "likningsverdi av egen bolig",
        "likningsverdi av eigen bustad",
        "assessed tax value of own home",
    ),
    "is_renting": ("leier boligen", "leiger bustaden", "rents the home"),
    "is_detached_owner": ("eier enebolig", "eig einebustad", "owns a detached house"),
    "is_detached_house_owner": ("eier enebolig", "eig einebustad", "owns a detached house"),
    "heating_included_in_costs": (
        "oppvarming er med i boutgiftene",
        "oppvarming er med i buutgiftene",
        "heating is included in the housing costs",
    ),
    "gets_heating_supplement": (
        "får oppvarmingstillegg",
        "får oppvarmingstillegg",
        "gets the heating supplement",
    ),
    "has_special_adaptation": (
        "boligen er særskilt tilpasset",
        "bustaden er særskilt tilpassa",
        "the home is specially adapted",
    ),
    "lives_in_institution": ("bor i institusjon", "bur på institusjon", "lives in an institution"),
    "dwelling_meets_requirements": (
        "boligen fyller kravene",
        "bustaden fyller krava",
        "the home meets the requirements",
    ),
    "meets_conditions": ("fyller vilkårene", "fyller vilkåra", "meets the conditions"),
    "household_size": (
        "antall personer i husstanden",
        "talet på personar i husstanden",
        "number of persons in the household",
    ),
    "children_count": (
        "antall barn under 18 år",
        "talet på barn under 18 år",
        "number of children under 18",
    ),
    "municipality_group": ("kommunegruppe", "kommunegruppe", "municipality group"),
    "net_income_monthly": (
        "netto inntekt per måned",
        "nettoinntekt per månad",
        "net income per month",
    ),
    "other_fixed_costs_monthly": (
        "andre faste utgifter per måned",
        "andre faste utgifter per månad",
        "other fixed costs per month",
    ),
    "housing_operating_costs_monthly": (
        "løpende boutgifter per måned",
        "løpande buutgifter per månad",
        "running housing costs per month",
    ),
    "actual_living_costs_monthly": (
        "faktiske utgifter til livsopphold per måned",
        "faktiske utgifter til livsopphald per månad",
        "actual living costs per month",
    ),
    "living_costs_monthly": (
        "utgifter til livsopphold per måned",
        "utgifter til livsopphald per månad",
        "living costs per month",
    ),
    "living_costs_floor_monthly": (
        "minste livsopphold per måned",
        "minste livsopphald per månad",
        "minimum living costs per month",
    ),
    "loan_amount": ("lånebeløp", "lånebeløp", "loan amount"),
    "term_years": ("nedbetalingstid", "nedbetalingstid", "repayment period"),
    "repayment_profile": ("lånetype", "lånetype", "loan type"),
    "is_serial": ("serielån", "serielån", "serial loan"),
    "long_term_conditions_met": (
        "vilkårene for nedbetalingstid over 30 år er oppfylt",
        "vilkåra for nedbetalingstid over 30 år er oppfylte",
        "the conditions for a repayment period over 30 years are met",
    ),
    "stress_rate": ("kalkulasjonsrente", "kalkulasjonsrente", "stress-test interest rate"),
    "cars_petrol": (
        "antall bensin- og dieselbiler",
        "talet på bensin- og dieselbilar",
        "number of petrol and diesel cars",
    ),
    "cars_electric": ("antall elbiler", "talet på elbilar", "number of electric cars"),
    "living_cost_norm": ("norm for livsopphold", "norm for livsopphald", "living-cost norm"),
}

_MEMBER_FIELD = re.compile(r"members\[(\d+)\]\.(\w+)")


def _base(field: str) -> str:
    return re.sub(r"\[\d+\]", "", field).rsplit(".", 1)[-1]


def label_in(field: str, language: str | None) -> str:
    """The name of a field in ``language`` (``nb``, ``nn`` or ``en``); the field itself if it
    has none. ``members[0].age`` is named by its last part (``alder``)."""
    labels = FIELD_LABELS.get(_base(field))
    return pick(language, *labels) if labels else field


def label_nb(field: str) -> str:
    """The bokmål name of a field (the field name itself if there is none)."""
    return label_in(field, "nb")


def subject(field: str, language: str | None) -> str:
    """The field as the subject of an error message: ``«alder» for husstandsmedlem nr. 1`` for
    ``members[0].age``, otherwise the quoted name (``«nettoformue»``, ``“net wealth”``)."""
    named = quote(label_in(field, language), language)
    member = _MEMBER_FIELD.fullmatch(field)
    if member is None:
        return named
    number = int(member.group(1)) + 1
    return pick(
        language,
        f"{named} for husstandsmedlem nr. {number}",
        f"{named} for husstandsmedlem nr. {number}",
        f"{named} of household member {number}",
    )


def kind_of(values: npt.NDArray[Any], language: str | None) -> str:
    """What an array holds, in words (``tekst``, ``desimaltal``, ``yes/no values``)."""
    kinds = {
        "U": ("tekst", "tekst", "text"),
        "S": ("tekst", "tekst", "text"),
        "O": ("blandede verdier", "blanda verdiar", "mixed values"),
        "b": ("ja/nei-verdier", "ja/nei-verdiar", "yes/no values"),
        "f": ("desimaltall", "desimaltal", "decimal numbers"),
        "i": ("hele tall", "heile tal", "whole numbers"),
        "u": ("hele tall", "heile tal", "whole numbers"),
        "c": ("komplekse tall", "komplekse tal", "complex numbers"),
        "M": ("datoer", "datoar", "dates"),
        "m": ("tidsrom", "tidsrom", "time spans"),
    }
    words = kinds.get(values.dtype.kind)
    return pick(language, *words) if words else str(values.dtype)


@functools.lru_cache(maxsize=4096)  # on the success path of every check: built once per field
def _names(field: str) -> Texts:
    return each(lambda language: subject(field, language))


def check_amount(field: str, value: object) -> float:
    """A money amount: a real number (not bool), finite and not negative. Returns it as float."""
    if isinstance(value, bool) or not isinstance(value, Real):
        name, given = _names(field), shown_each(value)
        raise InvalidAmountError(
            field,
            nb=f"{name.nb} må være et tall (oppgitt: {given.nb}).",
            nn=f"{name.nn} må vere eit tal (oppgitt: {given.nn}).",
            en=f"{name.en} must be a number (entered: {given.en}).",
        )
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        name, given = _names(field), shown_each(value)
        raise InvalidAmountError(
            field,
            nb=f"{name.nb} må være et endelig tall (oppgitt: {given.nb}).",
            nn=f"{name.nn} må vere eit endeleg tal (oppgitt: {given.nn}).",
            en=f"{name.en} must be a finite number (entered: {given.en}).",
        )
    if number < 0:
        name, given = _names(field), shown_each(value)
        raise InvalidAmountError(
            field,
            nb=f"{name.nb} kan ikke være negativ (oppgitt: {given.nb}).",
            nn=f"{name.nn} kan ikkje vere negativ (oppgitt: {given.nn}).",
            en=f"{name.en} cannot be negative (entered: {given.en}).",
        )
    return number


def check_whole(field: str, value: object, low: int, high: int) -> int:
    """A whole number (not bool) in low..high."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        name, given = _names(field), shown_each(value)
        raise RulesInputError(
            field,
            nb=f"{name.nb} må være et helt tall (oppgitt: {given.nb}).",
            nn=f"{name.nn} må vere eit heilt tal (oppgitt: {given.nn}).",
            en=f"{name.en} must be a whole number (entered: {given.en}).",
        )
    number = int(value)
    if not low <= number <= high:
        name, given = _names(field), shown_each(value)
        raise RulesInputError(
            field,
            nb=f"{name.nb} må være mellom {low} og {high} (oppgitt: {given.nb}).",
            nn=f"{name.nn} må vere mellom {low} og {high} (oppgitt: {given.nn}).",
            en=f"{name.en} must be between {low} and {high} (entered: {given.en}).",
        )
    return number


def check_bool(field: str, value: object) -> bool:
    """A real bool, not a truthy string."""
    if not isinstance(value, bool | np.bool_):
        name, given = _names(field), shown_each(value)
        raise RulesInputError(
            field,
            nb=f"{name.nb} må være ja eller nei (oppgitt: {given.nb}).",
            nn=f"{name.nn} må vere ja eller nei (oppgitt: {given.nn}).",
            en=f"{name.en} must be yes or no (entered: {given.en}).",
        )
    return bool(value)


def check_date(field: str, value: object) -> dt.date:
    """A date (not a datetime)."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        name, given = _names(field), shown_each(value)
        raise RulesInputError(
            field,
            nb=f"{name.nb} må være en dato uten klokkeslett (oppgitt: {given.nb}).",
            nn=f"{name.nn} må vere ein dato utan klokkeslett (oppgitt: {given.nn}).",
            en=f"{name.en} must be a date without a time of day (entered: {given.en}).",
        )
    return value


def check_members(members: object, kind: type[T], most: int | None = None) -> Sequence[T]:
    """A household's members: a non-empty list of ``kind`` (``Member``, say), at most ``most``."""
    if not isinstance(members, Sequence) or isinstance(members, str):
        given = shown_each(members)
        raise RulesInputError(
            "members",
            nb=f"Husstandsmedlemmene må være en liste (oppgitt: {given.nb}).",
            nn=f"Husstandsmedlemene må vere ei liste (oppgitt: {given.nn}).",
            en=f"The household members must be a list (entered: {given.en}).",
        )
    if len(members) == 0:
        raise EmptyHouseholdError(
            "members",
            nb="Husstanden må ha minst ett medlem.",
            nn="Husstanden må ha minst eitt medlem.",
            en="The household must have at least one member.",
        )
    if most is not None and len(members) > most:
        count = len(members)
        raise RulesInputError(
            "members",
            nb=f"Husstanden kan ha høyst {most} medlemmer (oppgitt: {count}).",
            nn=f"Husstanden kan ha høgst {most} medlemer (oppgitt: {count}).",
            en=f"The household can have at most {most} members (entered: {count}).",
        )
    for i, member in enumerate(members):
        if not isinstance(member, kind):
            given = shown_each(member)
            raise RulesInputError(
                f"members[{i}]",
                nb=f"Husstandsmedlem nr. {i + 1} mangler opplysninger (oppgitt: {given.nb}).",
                nn=f"Husstandsmedlem nr. {i + 1} manglar opplysningar (oppgitt: {given.nn}).",
                en=f"Household member {i + 1} is missing its details (entered: {given.en}).",
                detail=f"expected {kind.__name__}, got {type(member).__name__}",
            )
    return members


def check_amount_array(field: str, values: npt.NDArray[Any]) -> None:
    """Every element a finite, non-negative number. Names the first bad element."""
    name = _names(field)
    if values.dtype.kind not in "iuf":
        kind = each(lambda language: kind_of(values, language))
        raise InvalidAmountError(
            field,
            nb=f"{name.nb} må være tall (oppgitt: {kind.nb}).",
            nn=f"{name.nn} må vere tal (oppgitt: {kind.nn}).",
            en=f"{name.en} must be numbers (entered: {kind.en}).",
            detail=f"dtype {values.dtype}",
        )
    if values.size == 0 or values.dtype.kind == "u":
        return
    low = values.min()
    high = values.max()
    if low >= 0 and (values.dtype.kind == "i" or math.isfinite(high)):
        return
    bad = ~np.isfinite(values) | (values < 0) if values.dtype.kind == "f" else values < 0
    i = int(np.flatnonzero(bad)[0])
    given = shown_each(values[i].item())
    raise InvalidAmountError(
        f"{field}[{i}]",
        nb=f"{name.nb} for husstand nr. {i + 1} må være et endelig tall som ikke er negativt "
        f"(oppgitt: {given.nb}).",
        nn=f"{name.nn} for husstand nr. {i + 1} må vere eit endeleg tal som ikkje er negativt "
        f"(oppgitt: {given.nn}).",
        en=f"{name.en} for household {i + 1} must be a finite number that is not negative "
        f"(entered: {given.en}).",
    )


def check_int_array(field: str, values: npt.NDArray[Any], low: int, high: int) -> None:
    """Every element a whole number in low..high."""
    name = _names(field)
    if values.dtype.kind not in "iu":
        kind = each(lambda language: kind_of(values, language))
        raise RulesInputError(
            field,
            nb=f"{name.nb} må være hele tall (oppgitt: {kind.nb}).",
            nn=f"{name.nn} må vere heile tal (oppgitt: {kind.nn}).",
            en=f"{name.en} must be whole numbers (entered: {kind.en}).",
            detail=f"dtype {values.dtype}",
        )
    if values.size == 0:
        return
    if values.min() >= low and values.max() <= high:
        return
    i = int(np.flatnonzero((values < low) | (values > high))[0])
    given = shown_each(values[i].item())
    raise RulesInputError(
        f"{field}[{i}]",
        nb=f"{name.nb} i rad nr. {i + 1} må være mellom {low} og {high} (oppgitt: {given.nb}).",
        nn=f"{name.nn} i rad nr. {i + 1} må vere mellom {low} og {high} (oppgitt: {given.nn}).",
        en=f"{name.en} in row {i + 1} must be between {low} and {high} (entered: {given.en}).",
    )


def check_bool_array(field: str, values: npt.NDArray[Any]) -> None:
    """A boolean array."""
    if values.dtype != np.bool_:
        name = _names(field)
        kind = each(lambda language: kind_of(values, language))
        raise RulesInputError(
            field,
            nb=f"{name.nb} må være ja/nei-verdier (oppgitt: {kind.nb}).",
            nn=f"{name.nn} må vere ja/nei-verdiar (oppgitt: {kind.nn}).",
            en=f"{name.en} must be yes/no values (entered: {kind.en}).",
            detail=f"dtype {values.dtype}",
        )


def check_lengths(arrays: Mapping[str, npt.NDArray[Any]]) -> int:
    """All arrays one-dimensional and of the same length; returns it."""
    n: int | None = None
    first = ""
    for field, values in arrays.items():
        name = _names(field)
        if values.ndim != 1:
            dims = values.ndim
            raise RulesInputError(
                field,
                nb=f"{name.nb} må være en liste med verdier, ikke "
                + ("én enkelt verdi." if dims == 0 else f"en tabell med {dims} dimensjoner."),
                nn=f"{name.nn} må vere ei liste med verdiar, ikkje "
                + ("éin enkelt verdi." if dims == 0 else f"ein tabell med {dims} dimensjonar."),
                en=f"{name.en} must be a list of values, not "
                + ("a single value." if dims == 0 else f"a table with {dims} dimensions."),
                detail=f"shape {values.shape}",
            )
        if n is None:
            n, first = len(values), field
        elif len(values) != n:
            count, other = len(values), _names(first)
            raise RulesInputError(
                field,
                nb=f"{name.nb} har {count} verdier, men {other.nb} har {n}. De må ha like mange.",
                nn=f"{name.nn} har {count} verdiar, men {other.nn} har {n}. Dei må ha like mange.",
                en=f"{name.en} has {count} values, but {other.en} has {n}. They must have the "
                "same number.",
            )
    return n or 0

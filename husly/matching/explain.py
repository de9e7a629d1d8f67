"""Explanations as plain data: a stable code, Norwegian (bokmål) text and the numbers behind it.

The codes are what other code and the statistics module should key on; the text is what a
caseworker, the decision team or a letter shows. Hard-constraint codes are bit flags so that one
integer per (household, dwelling) pair records every reason the pair is incompatible.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "CONSTRAINT_BITS",
    "Reason",
    "constraint_codes",
    "reason",
]

#: Hard constraints, one bit each (see ``husly.matching.constraints`` for the rule and source).
TOO_FEW_ROOMS = 1
TOO_MANY_ROOMS = 2
NOT_WHEELCHAIR_ACCESSIBLE = 4
FLOOR_WITHOUT_LIFT = 8
CATEGORY_NOT_APPROVED = 16
OUTSIDE_AREA = 32
BUILDING_HEAVY_NEEDS_LIMIT = 64

CONSTRAINT_BITS: dict[str, int] = {
    "too_few_rooms": TOO_FEW_ROOMS,
    "too_many_rooms": TOO_MANY_ROOMS,
    "not_wheelchair_accessible": NOT_WHEELCHAIR_ACCESSIBLE,
    "floor_without_lift": FLOOR_WITHOUT_LIFT,
    "category_not_approved": CATEGORY_NOT_APPROVED,
    "outside_area": OUTSIDE_AREA,
    "building_heavy_needs_limit": BUILDING_HEAVY_NEEDS_LIMIT,
}

_TEXTS: dict[str, str] = {
    # why a pair is incompatible
    "too_few_rooms": (
        "Boligen har {rooms} rom, men en husstand på {persons} personer skal ha minst "
        "{min_rooms} rom etter normen."
    ),
    "too_many_rooms": (
        "Boligen har {rooms} rom, flere enn normens {max_rooms} rom for en husstand på "
        "{persons} personer."
    ),
    "not_wheelchair_accessible": (
        "Husstanden trenger rullestoltilgjengelig bolig, og denne boligen er ikke det."
    ),
    "floor_without_lift": (
        "Boligen ligger i {floor}. etasje uten heis; husstanden kan bo høyst i "
        "{max_floor}. etasje uten heis."
    ),
    "category_not_approved": "Vedtaket gjelder ikke boligkategorien «{category}».",
    "outside_area": "Boligen ligger i {district}, utenfor husstandens områdeavgrensning.",
    "building_heavy_needs_limit": (
        "Bygget har allerede {current} beboere med stort oppfølgingsbehov (grensen er {limit}); "
        "regelen om spredning hindrer flere."
    ),
    # why a pair fits
    "rooms_within_norm": (
        "{rooms} rom passer for {persons} personer (normen er {min_rooms}–{max_rooms} rom)."
    ),
    "category_approved": "Vedtaket omfatter boligkategorien «{category}».",
    "preferred_district": "Boligen ligger i husstandens ønskede bydel ({district}).",
    "accepted_district": "Boligen ligger i {district}, som husstanden har godtatt.",
    "accessibility_met": "Boligen dekker husstandens behov for tilgjengelighet.",
    "accessible_unit_not_needed": (
        "Boligen er rullestoltilgjengelig uten at husstanden trenger det; passformen trekkes ned "
        "slik at slike boliger spares til dem som trenger dem."
    ),
    "spread_rule_ok": (
        "Husstanden har stort oppfølgingsbehov; bygget har {current} slike beboere og grensen "
        "er {limit}."
    ),
    "fit_score": (
        "Passform {fit:.2f} × prioritet {points:.1f} poeng = vektet passform {weighted:.1f}."
    ),
    # batch proposal
    "proposed": (
        "Foreslått fordi fordelingen gir høyest samlet prioritetsvektet passform for alle ledige "
        "boliger i runden{band_note}."
    ),
    "higher_priority_elsewhere": (
        "Husstand {household} har høyere prioritet ({points:.1f} poeng) og er foreslått "
        "bolig {dwelling}."
    ),
    "higher_priority_not_housed": (
        "Husstand {household} har høyere prioritet ({points:.1f} poeng), men lavere vektet "
        "passform her ({weighted:.1f} mot {this_weighted:.1f}); den er ikke foreslått bolig i "
        "denne runden."
    ),
    "higher_priority_incompatible": (
        "Husstand {household} har høyere prioritet ({points:.1f} poeng), men passer ikke: {why}"
    ),
    "left_vacant_no_compatible": "Ingen husstand på ventelisten oppfyller kravene til boligen.",
    "left_vacant_all_taken": (
        "Alle {n} husstander som passer boligen, er foreslått andre boliger."
    ),
    "not_housed_no_compatible": "Ingen av de ledige boligene i runden passer husstanden.",
    "not_housed_outranked": (
        "{n} ledige boliger passer husstanden, men alle er foreslått husstander med høyere "
        "samlet vektet passform eller høyere prioritetsgruppe."
    ),
    "spread_rule_repair": (
        "Regelen om spredning ble håndhevet ved reparasjon: forslaget er ikke bevist optimalt, "
        "men er høyst {gap:.1f} poeng fra det beste mulige."
    ),
}


@dataclass(frozen=True)
class Reason:
    """One explanation: ``code`` (stable, English snake_case), ``text`` (bokmål), ``params``."""

    code: str
    text: str
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "text": self.text, "params": dict(self.params)}


def reason(code: str, **params: Any) -> Reason:
    """Build a :class:`Reason` from its code, filling the Norwegian text template."""
    return Reason(code=code, text=_TEXTS[code].format(**params), params=params)


def constraint_codes(bits: int) -> tuple[str, ...]:
    """The constraint codes set in ``bits``, in a fixed order."""
    return tuple(code for code, bit in CONSTRAINT_BITS.items() if bits & bit)

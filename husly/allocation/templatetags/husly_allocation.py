from __future__ import annotations

import functools
from typing import Any

from django import template

register = template.Library()


@register.filter
def get(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.inclusion_tag("allocation/portal_notices.html", takes_context=True)
def portal_notices(context: Any) -> dict[str, Any]:
    """Offers and lease notices on the resident's Min side."""
    from husly.allocation.selectors import my_offers
    from husly.tenancy.selectors import my_leases

    user = context["request"].user
    return {
        "offers": my_offers(user).order_by("-made_on")[:10],
        "leases": my_leases(user),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("allocation/_work_list.html", takes_context=True)
def allocation_work(context: Any) -> dict[str, Any]:
    """The allocation and tenancy items on the staff work list: refusals to follow up, offers
    waiting for an answer or a lease, renewal reminders and renewal applications. The work list
    reads them with its own cases (``allocation_work`` in the context: one access event for the
    page); read and logged here otherwise."""
    from django.utils import timezone

    from husly.people.selectors import log_household_reads
    from husly.tenancy.selectors import work_list_item_households, work_list_items

    request = context["request"]
    items = context.get("allocation_work")
    if items is None:
        items = work_list_items(request.user)
        log_household_reads(
            user=request.user,
            household_ids=work_list_item_households(items),
            what="work_list",
            path=request.get_full_path(),
        )
    return {"today": timezone.localdate(), **items}


# --- explanations from the matching engine, in the user's language -----------------------------
# The engine stores each reason as a stable code with its numbers (``husly.matching.explain``);
# pages render them here: Norwegian decimal commas and plurals, labels instead of codes, rooms
# as a Norwegian reads them ("3-roms" is two bedrooms and a living room), names instead of ids.


def _num(value: Any, places: int = 1, language: str | None = None) -> str:
    """``value`` as the active language (or ``language``, when the caller has it) writes it."""
    if language is None:
        from django.utils.translation import get_language

        language = get_language()
    return _num_in(float(value), places, language)


@functools.lru_cache(maxsize=4096)
def _num_in(value: float, places: int, language: str | None) -> str:
    """A number as ``language`` writes it (the same points recur all over a meeting page)."""
    from django.utils.formats import number_format

    return str(number_format(value, places, use_l10n=True))


def _persons(n: Any, language: str | None = None) -> str:
    if language is None:
        from django.utils.translation import get_language

        language = get_language()
    return _persons_in(int(n), language)


@functools.lru_cache(maxsize=512)
def _persons_in(n: int, language: str | None) -> str:
    """``n`` persons in ``language`` (the active one: the caller's key for the cache)."""
    from django.utils.translation import ngettext

    return ngettext("%(n)s person", "%(n)s persons", n) % {"n": n}


def _bedrooms(rooms: Any, language: str | None = None) -> str:
    """``rooms`` counts the living room (matching's unit); bedrooms are one fewer."""
    if language is None:
        from django.utils.translation import get_language

        language = get_language()
    return _bedrooms_in(max(int(rooms) - 1, 0), language)


@functools.lru_cache(maxsize=512)
def _bedrooms_in(bedrooms: int, language: str | None) -> str:
    """``bedrooms`` in ``language`` (the active one: the caller's key for the cache)."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    if bedrooms == 0:
        return _("no separate bedroom")
    return ngettext("%(n)s bedroom", "%(n)s bedrooms", bedrooms) % {"n": bedrooms}


def _category(code: Any) -> str:
    from husly.housing.models import DwellingCategory

    try:
        return str(DwellingCategory(code).label).lower()
    except ValueError:
        return str(code)


@functools.lru_cache(maxsize=8)
def _texts_for(language: str) -> dict[str, str]:
    """The reasons' sentences in ``language``, the active one (a meeting page explains
    hundreds): made once per language and process, from the translation files."""
    return _make_texts()


def _make_texts() -> dict[str, str]:
    from django.utils.translation import gettext as _

    return {
        "too_few_rooms": _(
            "The dwelling is a %(rooms)s-room (%(bedrooms)s); by the norm a household of "
            "%(persons)s needs at least a %(min_rooms)s-room."
        ),
        "too_many_rooms": _(
            "The dwelling is a %(rooms)s-room (%(bedrooms)s), larger than the norm's "
            "%(max_rooms)s-room for a household of %(persons)s."
        ),
        "rooms_within_norm": _(
            "A %(rooms)s-room (%(bedrooms)s) fits a household of %(persons)s (the norm is "
            "%(min_rooms)s- to %(max_rooms)s-room)."
        ),
        "not_wheelchair_accessible": _(
            "The household needs a wheelchair-accessible dwelling, and this one is not."
        ),
        "floor_without_lift": _(
            "The dwelling is on floor %(floor)s without a lift; the household can live at most "
            "on floor %(max_floor)s without a lift."
        ),
        "category_not_approved": _(
            "The decision does not cover the dwelling category «%(category)s»."
        ),
        "category_approved": _("The decision covers the dwelling category «%(category)s»."),
        "outside_area": _(
            "The dwelling is in %(district)s, outside the districts the household accepts."
        ),
        "building_heavy_needs_limit": _(
            "The building already has %(current)s tenants with heavy follow-up needs (the limit "
            "is %(limit)s); the spread rule stops more."
        ),
        "preferred_district": _(
            "The dwelling is in the household's preferred district (%(district)s)."
        ),
        "accepted_district": _("The dwelling is in %(district)s, which the household accepts."),
        "accessibility_met": _("The dwelling meets the household's accessibility needs."),
        "accessible_unit_not_needed": _(
            "The dwelling is wheelchair-accessible although the household does not need it; the "
            "fit is lowered so that such dwellings are kept for those who need them."
        ),
        "spread_rule_ok": _(
            "The household has heavy follow-up needs; the building has %(current)s such tenants "
            "and the limit is %(limit)s."
        ),
        "fit_score": _("Fit %(fit)s × priority %(points)s points = weighted fit %(weighted)s."),
        "proposed": _(
            "Proposed because this gives the highest total priority-weighted fit for all "
            "vacancies in the round."
        ),
        "proposed_top_band": _(
            "Proposed because this gives the highest total priority-weighted fit for all "
            "vacancies in the round (first as many as possible in priority group %(band)s, then "
            "weighted fit)."
        ),
        "higher_priority_elsewhere": _(
            "%(household)s has higher priority (%(points)s points) and is proposed %(dwelling)s."
        ),
        "higher_priority_not_housed": _(
            "%(household)s has higher priority (%(points)s points) but a lower weighted fit here "
            "(%(weighted)s against %(this_weighted)s); it is not proposed a dwelling in this "
            "round."
        ),
        "higher_priority_incompatible": _(
            "%(household)s has higher priority (%(points)s points) but does not fit: %(why)s"
        ),
        "left_vacant_no_compatible": _(
            "No household on the waiting list meets the dwelling's requirements."
        ),
        "not_housed_no_compatible": _("None of the vacancies in the round fits the household."),
        "spread_rule_repair": _(
            "The spread rule was enforced by repair: the proposal is not proven optimal, but is "
            "at most %(gap)s points from the best possible."
        ),
    }


def _values(
    params: dict[str, Any], names: Any, dwellings: Any, language: str | None
) -> dict[str, Any]:
    from django.utils.translation import gettext as _

    values: dict[str, Any] = {k: int(params[k]) for k in _INTEGERS if k in params}
    if "rooms" in params:
        values["bedrooms"] = _bedrooms(params["rooms"], language)
    if "persons" in params:
        values["persons"] = _persons(params["persons"], language)
    for key in ("floor", "max_floor"):  # the engine counts floors above the ground floor
        if key in params:
            values[key] = int(params[key]) + 1
    values.update({k: _num(params[k], 1, language) for k in _DECIMALS if k in params})
    if "fit" in params:
        values["fit"] = _num(params["fit"], 2, language)
    if "category" in params:
        values["category"] = _category(params["category"])
    if "district" in params:
        values["district"] = params["district"]
    if "household" in params:
        hid = int(params["household"])
        values["household"] = str(names.get(hid) or _("Household no. %(id)s") % {"id": hid})
    if "dwelling" in params:
        did = int(params["dwelling"])
        values["dwelling"] = str(dwellings.get(did) or _("dwelling no. %(id)s") % {"id": did})
    if "reasons" in params:
        values["why"] = " ".join(
            explain_reason(r, names, dwellings, language=language) for r in params["reasons"]
        )
    elif "why" in params:
        values["why"] = params["why"]
    return values


_INTEGERS = ("rooms", "min_rooms", "max_rooms", "current", "limit")
_DECIMALS = ("points", "weighted", "this_weighted", "gap")


def _counted(code: str, n: int) -> str | None:
    from django.utils.translation import ngettext

    if code == "left_vacant_all_taken":
        return ngettext(
            "The one household that fits the dwelling is proposed another dwelling.",
            "All %(n)s households that fit the dwelling are proposed other dwellings.",
            n,
        ) % {"n": n}
    if code == "not_housed_outranked":
        return ngettext(
            "%(n)s vacancy fits the household, but it is proposed to a household with a higher "
            "weighted fit or a higher priority group.",
            "%(n)s vacancies fit the household, but all are proposed to households with a higher "
            "weighted fit or a higher priority group.",
            n,
        ) % {"n": n}
    return None


_NO_LANGUAGE = object()


def explain_reason(
    data: Any, names: Any = None, dwellings: Any = None, *, language: Any = _NO_LANGUAGE
) -> str:
    """One stored engine reason (``{"code", "text", "params"}``) as text in the user's language.
    ``names`` maps waiting-list entry ids to household names, ``dwellings`` dwelling ids to
    addresses; an unknown code falls back to the stored (bokmål) text. ``language``: the
    active language, when the caller explains many reasons and has looked it up once."""
    if language is _NO_LANGUAGE:
        from django.utils.translation import get_language

        language = get_language()
    code = str(data.get("code", ""))
    params = dict(data.get("params") or {})
    stored = str(data.get("text", ""))
    counted = _counted(code, int(params.get("n", 0)))
    if counted is not None:
        return counted
    values = _values(params, names or {}, dwellings or {}, language)
    if code == "proposed" and params.get("top_band"):
        code, values["band"] = "proposed_top_band", params["top_band"]
    elif code == "proposed" and params.get("band_note") and "top_band" not in params:
        return stored  # stored before the top band was kept on its own
    template = _texts_for(language or "").get(code)
    if template is None:
        return stored
    try:
        return template % values
    except (KeyError, TypeError, ValueError):
        return stored


@register.simple_tag
def explain(data: Any, names: Any = None, dwellings: Any = None) -> str:
    return explain_reason(data, names, dwellings)


@register.simple_tag
def explain_items(*groups: Any, names: Any = None, dwellings: Any = None) -> str:
    """Each reason of the given lists as a list item (``<li>{% explain r %}</li>`` for each,
    in one tag: a meeting page explains hundreds)."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    return mark_safe(  # noqa: S308 - every reason's text is escaped
        "".join(
            f"<li>{escape(explain_reason(r, names, dwellings))}</li>"
            for group in groups
            for r in group or ()
        )
    )


@register.filter
def rooms_label(dwelling: Any) -> str:
    """A dwelling's size as a Norwegian reads it: "3-roms (2 soverom)"."""
    return rooms_text(dwelling.rooms)


def rooms_text(rooms: Any, language: Any = _NO_LANGUAGE) -> str:
    """:func:`rooms_label` of a dwelling with ``rooms`` bedrooms (``language`` as for
    :func:`explain_reason`)."""
    if language is _NO_LANGUAGE:
        from django.utils.translation import get_language

        language = get_language()
    return _rooms_in(int(rooms), language)


@functools.lru_cache(maxsize=256)
def _rooms_in(bedrooms: int, language: str | None) -> str:
    from django.utils.translation import gettext as _

    return _("%(rooms)s-room (%(bedrooms)s)") % {
        "rooms": bedrooms + 1,
        "bedrooms": _bedrooms_in(max(bedrooms, 0), language),
    }


@register.filter
def spread_rule_label(code: Any) -> str:
    from django.utils.translation import gettext as _

    labels = {
        "off": _("not used"),
        "not_binding": _("respected without changing the proposal"),
        "exact_relaxation": _("respected, solved exactly"),
        "exact_lp": _("respected, solved exactly"),
        "exact_milp": _("respected, solved exactly"),
        "bounded": _("respected; the time ran out before the best proposal was proven"),
        "repair": _("respected by repairing the proposal"),
        "respected_greedily": _("respected, proposal made step by step"),
    }
    return labels.get(str(code), str(code))


@register.filter
def solver_claim(report: Any) -> str:
    """What the run proved about its proposal, in plain words: the best possible (with the
    certificate computed in the run), or how far from it at most. Only the run's own figures are
    used (``husly.matching.SolverReport``); a run stored before those figures existed says so."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    if not report:
        return ""
    report = dict(report)
    if "weight_gap" not in report:  # stored before the solver reported its proof
        if report.get("certified_optimal"):
            return _("The proposal was proven the best possible.")
        return _(
            "The proposal was not proven the best possible. Make a new proposal to get a "
            "proven result."
        )
    if report.get("certified_optimal"):
        if report.get("objective") == "top_band_then_weighted_fit":
            return _(
                "The proposal is proven the best possible: as many households in the highest "
                "priority group as possible, and then the highest total priority-weighted fit."
            )
        return _(
            "The proposal is proven the best possible: the highest total priority-weighted fit."
        )
    percent = _num(max(float(report.get("weight_gap_percent") or 0.0), 0.0), 1)
    if percent in ("0,0", "0.0"):
        percent = _num(max(float(report.get("weight_gap_percent") or 0.0), 0.0), 3)
    text = _("The proposal is at most %(percent)s %% from the best possible") % {"percent": percent}
    gap = int(report.get("top_band_gap") or 0)
    if gap > 0:
        text += "; " + ngettext(
            "%(n)s household in the highest priority group could have been given a place",
            "%(n)s households in the highest priority group could have been given a place",
            gap,
        ) % {"n": gap}
    return text + ": " + _("run it again with more time.")


@register.filter
def persons(n: Any) -> str:
    return _persons(n)

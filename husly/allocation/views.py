"""Waiting list, vacancies and shortlists, allocation meetings and offers (staff), and the
household's answer to an offer (Min side). Thin views: parse, check access, call one action."""

from __future__ import annotations

import functools
import json
from typing import Any, cast

import yaml
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from husly.allocation import actions, engine, selectors
from husly.allocation.forms import (
    AdjustForm,
    EntryAssessForm,
    ItemDecisionForm,
    MeetingForm,
    MinutesForm,
    PolicyForm,
    ReasonForm,
    RefuseForm,
    entry_choice_label,
)
from husly.allocation.models import (
    AllocationMeeting,
    AllocationPolicy,
    AnsweredVia,
    EntryStatus,
    ItemDecision,
    MatchingRun,
    MeetingStatus,
    OfferStatus,
    RunKind,
)
from husly.allocation.templatetags.husly_allocation import _persons
from husly.audit.freshness import until_changed
from husly.cases.selectors import can_act_on
from husly.core.pages import (
    act,
    add_action_errors,
    day_text,
    paginate,
    pk_url,
    require_role,
    user_of,
)
from husly.housing.models import Dwelling, DwellingCategory
from husly.matching import PriorityPolicy, ReplayMismatchError, replay
from husly.organisation.access import municipalities_for_user, municipality_ids
from husly.organisation.models import Municipality, User
from husly.people.selectors import log_household_reads, log_reads
from husly.portal.auth import resident_of

WAITING_LIST_PAGE = 50
"""Rows of the waiting list on one page (Oslo has about 2,000 households waiting)."""


def _allocating(user: User) -> Municipality:
    """The municipality whose waiting list the user works with (403 for anybody else)."""
    ids = selectors.allocation_municipality_ids(user)
    municipality = Municipality.objects.filter(pk__in=ids).first()
    if municipality is None:
        raise PermissionDenied
    return municipality


def _require(user: User, municipality_id: int) -> None:
    if not selectors.can_allocate(user, municipality_id):
        raise PermissionDenied


def waiting_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    # The policy in force in the municipality whose list the user works with (as
    # ``_allocating`` and ``actions.current_policy``), read with its municipality in one query.
    policy = (
        AllocationPolicy.objects.filter(
            municipality_id__in=selectors.allocation_municipality_ids(user)[:1]
        )
        .select_related("municipality")
        .first()
    )
    municipality = policy.municipality if policy else _allocating(user)
    today = timezone.localdate()
    # Every live entry is scored (the order depends on all of them); one page is shown. The
    # order (the entries' ids) is kept until the records change (husly.audit.freshness), for
    # every reader of the same municipalities under the same policy.
    priority = policy.priority if policy else engine.DEFAULT_PRIORITY
    ids = selectors.allocation_municipality_ids(user)
    weights = json.dumps(priority, sort_keys=True, default=str)
    # Only the ids are kept (a few kilobytes to read back), and the page's rows are scored again.
    ranked: list[int] = until_changed(
        f"allocation:ranked-ids:{ids}:{weights}:{today}",
        lambda: selectors.ranked_entry_ids(user, priority, today),
    )
    page = paginate(
        request,
        ranked,  # type: ignore[arg-type] # a sequence pages like a queryset
        per_page=WAITING_LIST_PAGE,
    )
    rows = selectors.page_lines(
        page.object_list, priority, today, numbers={municipality.pk: municipality.number}
    )
    # The lists below the table as plain rows with only what they show.
    on_hold = list(selectors.on_hold(user).values("pk", "household_id", "household__name"))
    offers = list(
        selectors.open_offers(user).values(
            "pk",
            "status",
            "answer_due",
            "dwelling__building__address",
            "dwelling__number",
            "entry__household_id",
            "entry__household__name",
        )
    )
    for offer in offers:
        offer["status_label"] = OfferStatus(offer["status"]).label
    log_household_reads(
        user=user,
        household_ids=[row.entry.household_id for row in rows]
        + [entry["household_id"] for entry in on_hold]
        + [offer["entry__household_id"] for offer in offers],
        what="waiting_list",
        path=request.get_full_path(),
    )
    return render(
        request,
        "allocation/waiting_list.html",
        {
            "rows": _waiting_rows(rows),
            "page": page,
            "querystring": "",
            "policy": policy,
            "on_hold": on_hold,
            "offers": offers,
            "today": today,
            "bands": _bands(policy),
        },
    )


def _waiting_rows(rows: list[selectors.Line]) -> list[dict[str, Any]]:
    """What each row of the waiting list shows, as text (``allocation/waiting_list.html`` has
    the markup): the numbers and dates written as the page writes them, each counted text in
    the reader's language."""
    language = get_language()
    url = pk_url("allocation:entry_detail")
    statuses = {status.value: str(status.label) for status in EntryStatus}
    shown = []
    for row in rows:
        entry, left = row.entry, row.days_left
        shown.append(
            {
                "url": url(entry.pk),
                "name": entry.household.name,
                "total": _one_decimal(row.total, language),
                "items": [
                    f"{label}: {_one_decimal(points, language)}" for label, points in row.items
                ],
                "band": row.band,
                "persons": _persons(entry.persons, language),
                "placed_on": day_text(entry.placed_on),
                "waited": _days("waited", row.waited_days, language),
                "promise": day_text(row.promise),
                "overdue": left < 0,
                "left": _days("overdue", -left, language)
                if left < 0
                else _days("left", left, language),
                "status": statuses.get(entry.status, entry.status),
            }
        )
    return shown


@functools.lru_cache(maxsize=4096)
def _days(kind: str, days: int, language: str | None) -> str:
    """A waiting list row's count of days in ``language`` (the active one: the key of the
    cache; the same counts recur from row to row and request to request)."""
    if kind == "waited":
        return ngettext("%(days)s day", "%(days)s days", days) % {"days": days}
    if kind == "overdue":
        return _("%(days)s days overdue") % {"days": days}
    return ngettext("%(days)s day left", "%(days)s days left", days) % {"days": days}


@functools.lru_cache(maxsize=4096)
def _one_decimal(value: float, language: str | None) -> str:
    """``value|floatformat:1`` in ``language`` (points repeat from row to row)."""
    return floatformat(value, 1)


@require_http_methods(["GET", "POST"])
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    entry = selectors.entry_get_for_user(user, pk)
    members = list(entry.household.members.select_related("person"))
    log_reads(
        user=user,
        persons=[m.person for m in members],
        what="waiting_list_entry",
        path=request.get_full_path(),
    )
    form = EntryAssessForm(request.POST if "assess" in request.POST else None, instance=entry)
    adjust = AdjustForm(
        request.POST if "adjust" in request.POST else None,
        initial={"points": entry.manual_points, "reason": entry.manual_reason},
    )
    if request.method == "POST":
        _require(user, entry.municipality_id)
        try:
            if "assess" in request.POST and form.is_valid():
                data = {k: form.cleaned_data[k] for k in form.Meta.fields}
                entry.refresh_from_db()
                actions.waiting_list_entry_assess(actor=user, entry=entry, data=data)
                messages.success(request, _("The assessment was saved."))
                return redirect("allocation:entry_detail", pk=entry.pk)
            if "adjust" in request.POST and adjust.is_valid():
                entry.refresh_from_db()
                actions.waiting_list_entry_adjust(
                    actor=user,
                    entry=entry,
                    points=adjust.cleaned_data["points"],
                    reason=adjust.cleaned_data["reason"],
                )
                messages.success(request, _("The adjustment was saved."))
                return redirect("allocation:entry_detail", pk=entry.pk)
        except ValidationError as error:
            add_action_errors(adjust if "adjust" in request.POST else form, error)
    policy = actions.current_policy(entry.municipality)
    row = selectors.scored(
        [entry], policy.priority if policy else engine.DEFAULT_PRIORITY, timezone.localdate()
    )[0]
    return render(
        request,
        "allocation/entry_detail.html",
        {
            "entry": entry,
            "row": row,
            "members": members,
            "form": form,
            "adjust": adjust,
            "offers": entry.offers.select_related("dwelling", "dwelling__building"),
            "reason_form": ReasonForm(),
            "can_draft_lapse": can_act_on(user, entry.decision.case),
            "bands": _bands(policy),
        },
    )


@require_POST
def entry_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    user = user_of(request)
    entry = selectors.entry_get_for_user(user, pk)
    _require(user, entry.municipality_id)
    if step == "bortfall":
        decision = act(
            request,
            lambda: actions.waiting_list_lapse_draft(actor=user, entry=entry),
            _("The lapse decision was drafted. Send it for approval."),
        )
        if decision is not None:
            return redirect("cases:decision_detail", pk=decision.pk)
    elif step == "behold":
        act(
            request,
            lambda: actions.waiting_list_entry_resume(
                actor=user, entry=entry, reason=request.POST.get("reason", "")
            ),
            _("The household keeps its place on the waiting list."),
        )
    else:
        raise PermissionDenied
    return redirect("allocation:entry_detail", pk=entry.pk)


def vacancies(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    municipality = _allocating(user)
    return render(
        request,
        "allocation/vacancies.html",
        {
            "dwellings": engine.vacant_dwellings(municipality),
        },
    )


@require_POST
def shortlist(request: HttpRequest, dwelling_pk: int) -> HttpResponse:
    user = user_of(request)
    queryset = Dwelling.objects.select_related("building").filter(
        building__municipality_id__in=selectors.allocation_municipality_ids(user)
    )
    from husly.organisation.access import get_or_404

    dwelling = cast(Dwelling, get_or_404(queryset, dwelling_pk))
    run = act(
        request,
        lambda: actions.matching_shortlist(actor=user, dwelling=dwelling),
        _("The shortlist was made."),
    )
    if run is None:
        return redirect("allocation:vacancies")
    return redirect("allocation:run_detail", pk=run.pk)


def _names(ids: Any) -> dict[int, tuple[int, str]]:
    """``{entry id: (household id, household name)}`` for waiting-list entries (one query)."""
    from husly.allocation.models import WaitingListEntry

    rows = WaitingListEntry.objects.filter(pk__in=ids).values_list(
        "pk", "household_id", "household__name"
    )
    return {pk: (household_id, name) for pk, household_id, name in rows}


@require_http_methods(["GET", "POST"])
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    run = selectors.run_get_for_user(user, pk)
    replayed = None
    if request.method == "POST" and run.kind == RunKind.BATCH:
        try:
            replay(run.snapshot)
            replayed = True
        except ReplayMismatchError:
            replayed = False
    ids: list[int] = []
    dwelling = None
    if run.kind == RunKind.SHORTLIST:
        ids = [c["household_id"] for c in run.result["candidates"]]
        ids += [e["household_id"] for e in run.result["excluded"]]
        dwelling = Dwelling.objects.select_related("building").get(pk=run.result["dwelling_id"])
    else:
        ids = [a["household_id"] for a in run.result["assignments"]]
    reasons: list[dict[str, Any]] = []
    dwelling_ids: list[int] = []
    if run.kind == RunKind.SHORTLIST:
        for c in run.result["candidates"]:
            reasons += c.get("reasons", [])
        for x in run.result["excluded"]:
            reasons += x.get("reasons", [])
    else:
        dwelling_ids = [a["dwelling_id"] for a in run.result["assignments"]]
        reasons = [{"params": {"dwelling": pk}} for pk in dwelling_ids]
    names, dwellings = _reason_names(reasons, also=ids)
    log_household_reads(
        user=user,
        household_ids=[names[pk][0] for pk in ids if pk in names],
        what="matching_run",
        path=request.get_full_path(),
    )
    plain = {pk: name for pk, (_household, name) in names.items()}
    # A proposal's rows as plain values (one loop in the template, no lookups per row), each
    # with its priority in words (text: the template escapes it).
    language = get_language()
    assignments = [
        {
            "name": plain.get(a["household_id"]) or "",
            "dwelling": dwellings.get(a["dwelling_id"]) or a["dwelling_id"],
            "priority": _("priority %(points)s points, group %(band)s")
            % {"points": _one_decimal(a.get("priority_points"), language), "band": a.get("band")},
        }
        for a in (run.result.get("assignments") or [] if run.kind != RunKind.SHORTLIST else [])
    ]
    return render(
        request,
        "allocation/run_detail.html",
        {
            "run": run,
            "dwelling": dwelling,
            "replayed": replayed,
            "assignments": assignments,
            "names": plain,
            "dwellings": dwellings,
            "bands": _bands_of(run.current_priority),
        },
    )


@require_http_methods(["GET", "POST"])
def meeting_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    municipality = _allocating(user)
    form = MeetingForm(
        request.POST or None,
        initial={"held_on": timezone.localdate(), "title": _("Allocation meeting")},
    )
    if request.method == "POST" and form.is_valid():
        _require(user, municipality.pk)
        meeting = actions.allocation_meeting_create(
            actor=user, municipality=municipality, data=form.cleaned_data
        )
        return redirect("allocation:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "allocation/meeting_list.html",
        {
            "meetings": selectors.meetings_for_user(user),
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    meeting = selectors.meeting_read_for_user(user, pk)
    minutes = MinutesForm(request.POST or None, instance=meeting)
    if request.method == "POST" and minutes.is_valid():
        _require(user, meeting.municipality_id)
        meeting.refresh_from_db()
        if (
            act(
                request,
                lambda: actions.allocation_meeting_update(
                    actor=user, meeting=meeting, data=minutes.cleaned_data
                ),
                _("The minutes were saved."),
            )
            is not None
        ):
            return redirect("allocation:meeting_detail", pk=meeting.pk)
    return _render_meeting(request, user, meeting, minutes)


ITEM_ROW = (
    "pk",
    "explanation",
    "proposed_entry_id",
    "chosen_entry_id",
    "decision",
    "reason",
    "decided_by_id",
    "decided_by__first_name",
    "decided_by__last_name",
    "decided_by__username",
    "dwelling_id",
    "dwelling__number",
    "dwelling__rooms",
    "dwelling__category",
    "dwelling__monthly_rent",
    "dwelling__building__address",
)
"""What the meeting page shows of each vacancy (``_vacancies``), read as plain values."""


def _render_meeting(
    request: HttpRequest, user: User, meeting: Any, minutes: MinutesForm | None = None
) -> HttpResponse:
    """The meeting page: each vacancy with its proposal and why, and a link to its decision
    form (``item_decide``; loaded into the page on request, a page of its own without
    JavaScript): the forms name hundreds of households, the page the proposed ones."""
    items = list(meeting.items.values(*ITEM_ROW))
    if meeting.run_id is not None and not AllocationMeeting.run.field.is_cached(meeting):
        # The page shows when the proposal was made and how good it is, not its stored input
        # (read with the meeting on a GET, ``meeting_read_for_user``).
        meeting.run = MatchingRun.objects.defer("snapshot").get(pk=meeting.run_id)
    reasons = [
        r
        for item in items
        for r in [*item["explanation"].get("fits", []), *item["explanation"].get("others", [])]
    ]
    named = [e for i in items for e in (i["proposed_entry_id"], i["chosen_entry_id"]) if e]
    # The reasons name the round's dwellings, which the vacancies have read already.
    known = {
        i["dwelling_id"]: f"{i['dwelling__building__address']} {i['dwelling__number']}"
        for i in items
    }
    names, dwellings = _reason_names(reasons, also=named, dwellings=known)
    # The page names the proposed and chosen households and those its reasons mention.
    log_household_reads(
        user=user,
        household_ids=[household for household, _name in names.values()],
        what="allocation_meeting",
        path=request.get_full_path(),
    )
    plain = {pk: name for pk, (_household, name) in names.items()}
    return render(
        request,
        "allocation/meeting_detail.html",
        {
            "meeting": meeting,
            "vacancies": _vacancies(items, plain, dwellings),
            "minutes": minutes or MinutesForm(instance=meeting),
            "is_open": meeting.status == MeetingStatus.OPEN,
            "bands": _bands_of(meeting.current_priority),
        },
    )


def _item_row(item: Any) -> dict[str, Any]:
    """A vacancy read as a model (``item_decide``) as the values ``_vacancies`` reads."""
    dwelling, decided_by = item.dwelling, item.decided_by
    return {
        "pk": item.pk,
        "explanation": item.explanation,
        "proposed_entry_id": item.proposed_entry_id,
        "chosen_entry_id": item.chosen_entry_id,
        "decision": item.decision,
        "reason": item.reason,
        "decided_by_id": item.decided_by_id,
        "decided_by__first_name": decided_by.first_name if decided_by else None,
        "decided_by__last_name": decided_by.last_name if decided_by else None,
        "decided_by__username": decided_by.username if decided_by else None,
        "dwelling_id": dwelling.pk,
        "dwelling__number": dwelling.number,
        "dwelling__rooms": dwelling.rooms,
        "dwelling__category": dwelling.category,
        "dwelling__monthly_rent": dwelling.monthly_rent,
        "dwelling__building__address": dwelling.building.address,
    }


def _vacancies(
    items: list[dict[str, Any]], names: dict[int, str], dwellings: dict[int, str]
) -> list[dict[str, Any]]:
    """What the meeting page shows of each vacancy (``ITEM_ROW`` values), as plain values for
    one loop in the template (``allocation/meeting_detail.html``)."""
    from husly.allocation.templatetags.husly_allocation import explain_reason, rooms_text

    language = get_language()
    decide_url = pk_url("allocation:item_decide")
    categories = {value: str(label).lower() for value, label in DwellingCategory.choices}
    decisions = {value: str(label) for value, label in ItemDecision.choices}
    rows = []
    for item in items:
        explanation = item["explanation"]
        priority = explanation.get("priority") or {}
        category, decision = item["dwelling__category"], item["decision"]
        rows.append(
            {
                "pk": str(item["pk"]),  # as text: the template would localize a number each time
                "address": item["dwelling__building__address"],
                "number": item["dwelling__number"],
                "rooms": rooms_text(item["dwelling__rooms"], language),
                "category": categories.get(category, category.lower()),
                "rent": item["dwelling__monthly_rent"],
                "proposed": names.get(item["proposed_entry_id"], "")
                if item["proposed_entry_id"]
                else "",
                "priority": bool(priority),
                "points": priority.get("total"),
                "band": priority.get("band"),
                # The words the meeting page shows with them (text: the template escapes it).
                "priority_text": _("priority %(points)s points, group %(band)s")
                % {
                    "points": _one_decimal(priority.get("total"), language),
                    "band": priority.get("band"),
                }
                if priority
                else "",
                "reasons": [
                    explain_reason(r, names, dwellings, language=language)
                    for r in [*explanation.get("fits", []), *explanation.get("others", [])]
                ]
                if explanation.get("fits")
                else (),
                "url": decide_url(item["pk"]) if decision == ItemDecision.PROPOSED else "",
                "decision": decisions.get(decision, decision),
                "chosen": names.get(item["chosen_entry_id"], "") if item["chosen_entry_id"] else "",
                "reason": item["reason"],
                "decided_by": _user_name(item),
            }
        )
    return rows


def _user_name(item: dict[str, Any]) -> str | None:
    """``str(item.decided_by)`` (``User.__str__``) from the vacancy's values; ``None`` when
    nobody has decided."""
    if item["decided_by_id"] is None:
        return None
    full = f"{item['decided_by__first_name']} {item['decided_by__last_name']}".strip()
    return full or item["decided_by__username"]


def _render_item(
    request: HttpRequest,
    user: User,
    item: Any,
    *,
    bound: ItemDecisionForm | None = None,
) -> HttpResponse:
    """A vacancy's decision form: the proposed household and those the engine weighed for it
    (``_item_candidates``), or the whole waiting list (``?alle=1``, or when the form came back
    with an error, with the household and reason the member chose). A page of its own; only
    the form when the meeting page asks for it (htmx)."""
    meeting = item.meeting
    reasons = [*item.explanation.get("fits", []), *item.explanation.get("others", [])]
    named = [e for e in (item.proposed_entry_id, item.chosen_entry_id) if e]
    names, dwellings = _reason_names(reasons, also=named)
    households = [household for household, _name in names.values()]
    full = bound is not None or request.GET.get("alle") == "1"
    form: ItemDecisionForm | None = None
    if item.decision == ItemDecision.PROPOSED:
        today = timezone.localdate()
        shortlist = _item_candidates(item)
        entries = (
            selectors.entries_for_user(user)
            .filter(municipality_id=meeting.municipality_id, status=EntryStatus.WAITING)
            .select_related("household", "decision__case")
            .order_by("household__name", "placed_on", "pk")
        )
        if not full:
            entries = entries.filter(pk__in=shortlist)
        labels = {e.pk: entry_choice_label(e, today) for e in entries}
        households += [e.household_id for e in entries]
        choices = (
            list(labels.items()) if full else [(pk, labels[pk]) for pk in shortlist if pk in labels]
        )
        form = ItemDecisionForm(
            prefix=f"i{item.pk}",
            choices=choices,
            initial={"entry": item.proposed_entry_id},
            units=engine.free_units(item.dwelling) if item.dwelling.shared else None,
        )
        if bound is not None:
            bound.fields["entry"].choices = form.fields["entry"].choices  # type: ignore[attr-defined]
            form = bound
        elif request.htmx:  # type: ignore[attr-defined]
            # Loaded into the meeting page: the form takes the focus the link had.
            form.fields["entry"].widget.attrs["autofocus"] = True
    log_household_reads(
        user=user,
        household_ids=households,
        what="allocation_meeting",
        path=request.get_full_path(),
    )
    plain = {pk: name for pk, (_household, name) in names.items()}
    context = {
        "meeting": meeting,
        "item": item,
        "vacancy": _vacancies([_item_row(item)], plain, dwellings)[0],
        "form": form,
        "full": full,
    }
    if request.htmx and bound is None:  # type: ignore[attr-defined]
        response = render(request, "allocation/_item_decide.html", context)
    else:
        response = render(
            request,
            "allocation/item_decide.html",
            context,
            status=400 if bound is not None else 200,
        )
    patch_vary_headers(response, ["HX-Request"])
    return response


def _item_candidates(item: Any) -> list[int]:
    """The waiting-list entries a vacancy's form offers by default: the proposed one first,
    then those the engine's explanation names (higher-priority households it weighed)."""
    ids = [item.proposed_entry_id] if item.proposed_entry_id else []
    for reason in item.explanation.get("others", []):
        household = (reason.get("params") or {}).get("household")
        if household is not None and int(household) not in ids:
            ids.append(int(household))
    return ids


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _reason_names(
    reasons: list[dict[str, Any]],
    *,
    also: list[int] | None = None,
    dwellings: dict[int, str] | None = None,
) -> tuple[dict[int, Any], dict[int, str]]:
    """Household names and dwelling addresses for the ids the engine's reasons mention. With
    ``also`` (more waiting-list entries the page names), the names come as ``(household id,
    name)`` for the reasons' entries and those, in one query. ``dwellings``: addresses the
    page has read already (only the others are read)."""
    household_ids: set[int] = set(also or [])
    dwelling_ids: set[int] = set()
    for r in reasons:
        params = r.get("params") or {}
        if "household" in params:
            household_ids.add(int(params["household"]))
        if "dwelling" in params:
            dwelling_ids.add(int(params["dwelling"]))
    found = _names(sorted(household_ids))
    names: dict[int, Any] = found if also is not None else {pk: n for pk, (_h, n) in found.items()}
    addresses = {pk: text for pk, text in (dwellings or {}).items() if pk in dwelling_ids}
    if missing := dwelling_ids - addresses.keys():
        addresses |= {
            pk: f"{address} {number}"
            for pk, address, number in Dwelling.objects.filter(pk__in=missing).values_list(
                "pk", "building__address", "number"
            )
        }
    return names, addresses


def _bands(policy: AllocationPolicy | None) -> list[tuple[str, float, float | None]]:
    """The priority groups in force (``policy``, the municipality's current policy or none):
    (name, minimum points, the next group's minimum)."""
    return _bands_of(policy.priority if policy else None)


def _bands_of(priority: dict[str, Any] | None) -> list[tuple[str, float, float | None]]:
    """As :func:`_bands`, from the current policy's priority (``None``: no policy)."""
    bands = PriorityPolicy.from_mapping(
        priority if priority is not None else engine.DEFAULT_PRIORITY
    ).bands
    return [
        (name, minimum, bands[k - 1][1] if k > 0 else None)
        for k, (name, minimum) in enumerate(bands)
    ]


@require_POST
def meeting_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    user = user_of(request)
    meeting = selectors.meeting_get_for_user(user, pk)
    _require(user, meeting.municipality_id)
    if step == "forslag":
        act(
            request,
            lambda: actions.allocation_meeting_propose(actor=user, meeting=meeting),
            _("The proposal was made. Decide each vacancy."),
        )
    elif step == "lukk":
        act(
            request,
            lambda: actions.allocation_meeting_close(actor=user, meeting=meeting),
            _("The meeting was closed."),
        )
    else:
        raise PermissionDenied
    return redirect("allocation:meeting_detail", pk=meeting.pk)


@require_http_methods(["GET", "POST"])
def item_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    item = selectors.item_get_for_user(user, pk)
    if request.method != "POST":
        return _render_item(request, user, item)
    waiting = selectors.entries_for_user(user).filter(status=EntryStatus.WAITING)
    units = engine.free_units(item.dwelling) if item.dwelling.shared else None
    form = ItemDecisionForm(request.POST, prefix=f"i{item.pk}", entries=waiting, units=units)
    if form.is_valid():
        confirm = request.POST.get("decision") == "confirm"
        try:
            actions.meeting_item_decide(
                actor=user,
                item=item,
                confirm=confirm,
                entry=form.cleaned_data["entry"],
                reason=form.cleaned_data["reason"],
                unit=form.cleaned_data.get("unit"),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request, _("The offer was made.") if confirm else _("The decision was recorded.")
            )
            return redirect("allocation:meeting_detail", pk=item.meeting_id)
    # The vacancy as stored (a refused action may have changed the object before it refused).
    item = selectors.item_get_for_user(user, pk)
    return _render_item(request, user, item, bound=form)


@require_http_methods(["GET", "POST"])
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    offer = selectors.offer_get_for_user(user, pk)
    refuse = RefuseForm(request.POST if request.POST.get("step") == "refuse" else None)
    if request.method == "POST":
        _require(user, offer.entry.municipality_id)
        step = request.POST.get("step")
        if step == "accept":
            act(
                request,
                lambda: actions.offer_accept(actor=user, offer=offer),
                _("The acceptance was recorded."),
            )
            return redirect("allocation:offer_detail", pk=offer.pk)
        if step == "withdraw":
            act(
                request,
                lambda: actions.offer_withdraw(
                    actor=user, offer=offer, reason=request.POST.get("reason", "")
                ),
                _("The offer was withdrawn."),
            )
            return redirect("allocation:offer_detail", pk=offer.pk)
        if step == "refuse" and refuse.is_valid():
            act(
                request,
                lambda: actions.offer_refuse(
                    actor=user, offer=offer, reason=refuse.cleaned_data["reason"]
                ),
                _("The refusal was recorded."),
            )
            return redirect("allocation:offer_detail", pk=offer.pk)
    log_household_reads(
        user=user,
        household_ids=[offer.entry.household_id],
        what="offer_detail",
        path=request.get_full_path(),
    )
    return render(
        request,
        "allocation/offer_detail.html",
        {
            "offer": offer,
            "refuse": refuse,
            # Its own ids: the refusal form on the same page has a "reason" field too.
            "reason_form": ReasonForm(auto_id="id_withdraw_%s"),
            "lease": getattr(offer, "lease", None),
        },
    )


@require_http_methods(["GET", "POST"])
def policy(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    ids = set(selectors.allocation_municipality_ids(user))
    ids |= set(municipality_ids(user, selectors.POLICY_WRITE))
    municipality = Municipality.objects.filter(pk__in=ids).first()
    if municipality is None:
        raise PermissionDenied
    current = actions.current_policy(municipality)
    can_edit = bool(
        municipalities_for_user(user, selectors.POLICY_WRITE).filter(pk=municipality.pk).exists()
    )
    initial = {
        "version": "",
        "refusal_rule": current.refusal_rule if current else "lapse",
        "refusals_allowed": current.refusals_allowed if current else 1,
        "answer_days": current.answer_days if current else 7,
        "priority": yaml.safe_dump(
            current.priority if current else engine.DEFAULT_PRIORITY,
            allow_unicode=True,
            sort_keys=False,
        ),
        "matching": yaml.safe_dump(
            current.matching if current else engine.DEFAULT_MATCHING,
            allow_unicode=True,
            sort_keys=False,
        ),
    }
    form = PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST":
        require_role(user, municipality.pk, selectors.POLICY_WRITE)
        if form.is_valid():
            try:
                actions.allocation_policy_set(
                    actor=user, municipality=municipality, data=form.cleaned_data
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("The new policy version is in force."))
                return redirect("allocation:policy")
    return render(
        request,
        "allocation/policy.html",
        {
            "policy": current,
            "form": form if can_edit else None,
            "versions": AllocationPolicy.objects.filter(municipality=municipality)[:20],
        },
    )


# --- Min side ------------------------------------------------------------------------------------


@login_required(login_url="portal:login")
@require_http_methods(["GET", "POST"])
def my_offer(request: HttpRequest, pk: int) -> HttpResponse:
    user = resident_of(request)
    offer = selectors.my_offer(user, pk)
    refuse = RefuseForm(request.POST if request.POST.get("step") == "refuse" else None)
    if request.method == "POST":
        if request.POST.get("step") == "accept":
            act(
                request,
                lambda: actions.offer_accept(actor=user, offer=offer, via=AnsweredVia.PORTAL),
                _("Thank you. You have accepted the offer."),
            )
            return redirect("allocation:my_offer", pk=offer.pk)
        if request.POST.get("step") == "refuse" and refuse.is_valid():
            act(
                request,
                lambda: actions.offer_refuse(
                    actor=user,
                    offer=offer,
                    reason=refuse.cleaned_data["reason"],
                    via=AnsweredVia.PORTAL,
                ),
                _("Your answer was recorded."),
            )
            return redirect("allocation:my_offer", pk=offer.pk)
    policy = actions.current_policy(offer.entry.municipality)
    return render(
        request,
        "allocation/my_offer.html",
        {
            "offer": offer,
            "refuse": refuse,
            "policy": policy,
            "is_open": offer.status == OfferStatus.OPEN,
        },
    )

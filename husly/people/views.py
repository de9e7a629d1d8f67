"""Persons and households. Every view of a person's data is logged (see selectors)."""

from __future__ import annotations

from collections.abc import Iterable
from copy import copy
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from husly.audit.export import EXPORT_ROLES
from husly.audit.selectors import access_events_for_person, change_events_for_person
from husly.core.pages import (
    PAGE_SIZE,
    add_action_errors,
    form_page,
    paginate,
    pk_url,
    querystring_without_page,
    require_role,
    user_of,
    writable_municipalities,
)
from husly.organisation.access import (
    ACCESS_LOG_READ,
    PEOPLE_READ,
    PEOPLE_WRITE,
    has_role,
    municipality_ids,
)
from husly.people import actions, selectors
from husly.people.forms import (
    EmergencyAccessForm,
    HouseholdForm,
    MemberAddForm,
    PersonFilterForm,
    PersonForm,
)
from husly.people.models import Household, Person, ResidencePermit


class _CountedWithPage(Paginator):  # type: ignore[type-arg]
    """A paginator that fetches the requested page and the number of hits in one query
    (``COUNT(*) OVER ()``), so a search is run once rather than once to count the hits and
    once more for the page. A page past the last (no rows, so no count) or a malformed page
    number falls back to counting, and gives the page ``Paginator.get_page`` gives."""

    def __init__(self, queryset: QuerySet[Any], per_page: int, wanted: object) -> None:
        super().__init__(queryset, per_page)
        self._queryset = queryset
        try:
            # Any page past the last is answered by counting: no need to ask past a million.
            self._wanted = min(max(int(str(wanted)), 1), 1_000_000)
        except ValueError:
            self._wanted = 1
        self._rows: list[Any] | None = None

    @cached_property
    def count(self) -> int:
        start = (self._wanted - 1) * self.per_page
        counted = self._queryset.annotate(hits=Window(Count("*")))
        rows = list(counted[start : start + self.per_page])
        if not rows:
            # No rows on the first page: no hits. Past the last page: count them.
            return 0 if start == 0 else self._queryset.count()
        self._rows = rows
        hits: int = rows[0].hits
        return hits

    def page(self, number: int | str) -> Page[Any]:
        valid = self.validate_number(number)
        if self._rows is not None and valid == self._wanted:
            return Page(self._rows, valid, self)
        return super().page(valid)


# Only what the list shows, and the municipality an access event records.
_LISTED = ("national_id", "date_of_birth", "given_name", "family_name", "residence_permit")


def _person_rows(persons: Iterable[Person]) -> list[dict[str, str]]:
    """What the person list shows of each person, as text: the template loops over plain rows
    (no address reversed, date formatted or choice looked up per row in the template)."""
    detail = pk_url("people:person_detail")
    permits = dict(ResidencePermit.choices)
    return [
        {
            "url": detail(person.pk),
            "family_name": person.family_name,
            "given_name": person.given_name,
            "born": dateformat.format(person.date_of_birth, "d.m.Y")
            if person.date_of_birth
            else "",
            "national_id": person.masked_national_id or "–",
            "residence_permit": str(permits.get(person.residence_permit, person.residence_permit)),
            "municipality": person.municipality.name,
        }
        for person in persons
    ]


def person_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    filter_form = PersonFilterForm(request.GET or None)
    search = filter_form.value("q")
    queryset = selectors.person_list(
        user, search=search, residence_permit=filter_form.value("residence_permit")
    ).only(*_LISTED, "municipality__name")
    if search:
        page = _CountedWithPage(queryset, PAGE_SIZE, request.GET.get("side")).get_page(
            request.GET.get("side")
        )
    else:
        page = paginate(request, queryset)
    selectors.log_reads(
        user=user, persons=page.object_list, what="person_list", path=request.get_full_path()
    )
    return render(
        request,
        "people/person_list.html",
        {
            "page": page,
            "rows": _person_rows(page.object_list),
            "filter_form": filter_form,
            "querystring": querystring_without_page(request),
            "can_create": bool(municipality_ids(user, PEOPLE_WRITE)),
        },
    )


def _no_access(
    request: HttpRequest, action: str, pk: int, form: EmergencyAccessForm | None = None
) -> HttpResponse:
    """Not found, or not the reader's to see: a 404 that offers staff who read persons in
    the municipality to break the glass. It looks the same whether the id exists or not."""
    if not municipality_ids(user_of(request), PEOPLE_READ):
        raise Http404
    return render(
        request,
        "people/no_access.html",
        {"form": form or EmergencyAccessForm(), "action": reverse(action, args=[pk])},
        status=404,
    )


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    try:
        person = selectors.person_read(
            user=user, pk=pk, what="person_detail", path=request.get_full_path()
        )
    except Http404:
        return _no_access(request, "people:person_emergency", pk)
    memberships = person.memberships.select_related("household")
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "memberships": memberships,
            "can_edit": not person.emergency_reason  # type: ignore[attr-defined]
            and has_role(user, person.municipality_id, PEOPLE_WRITE),
            "can_read_log": has_role(user, person.municipality_id, ACCESS_LOG_READ),
            "can_export": has_role(user, person.municipality_id, EXPORT_ROLES),
        },
    )


@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    municipalities = writable_municipalities(user, PEOPLE_WRITE)
    if not municipalities.exists():
        raise PermissionDenied
    form = PersonForm(request.POST or None, municipalities=municipalities)
    return form_page(
        request,
        form,
        action=actions.person_create,
        done=_("The person was registered."),
        title=_("Register a person"),
        redirect_to="people:person_detail",
        actor=user,
    )


@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    person = selectors.person_read(
        user=user, pk=pk, what="person_edit", path=request.get_full_path()
    )
    require_role(user, person.municipality_id, PEOPLE_WRITE)
    form = PersonForm(request.POST or None, instance=copy(person))
    return form_page(
        request,
        form,
        action=actions.person_update,
        done=_("The changes were saved."),
        title=_("Edit %(name)s") % {"name": person.full_name},
        redirect_to="people:person_detail",
        actor=user,
        person=person,
    )


def person_access_log(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    person = selectors.person_get_for_user(user, pk)
    require_role(user, person.municipality_id, ACCESS_LOG_READ)
    person = selectors.person_read(
        user=user, pk=pk, what="person_access_log", path=request.get_full_path()
    )
    page = paginate(request, access_events_for_person(person), per_page=50)
    return render(
        request,
        "people/person_access_log.html",
        {
            "person": person,
            "page": page,
            "querystring": querystring_without_page(request),
            "changes": change_events_for_person(person)[:50],
        },
    )


def household_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    search = request.GET.get("q", "").strip()[:100]
    page = paginate(request, selectors.household_list(user, search=search))
    selectors.log_reads(
        user=user,
        persons=[m.person for h in page.object_list for m in h.applicants],
        what="household_list",
        path=request.get_full_path(),
    )
    return render(
        request,
        "people/household_list.html",
        {
            "page": page,
            "search": search,
            "querystring": querystring_without_page(request),
        },
    )


def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    try:
        household = selectors.household_read(
            user=user, pk=pk, what="household_detail", path=request.get_full_path()
        )
    except Http404:
        return _no_access(request, "people:household_emergency", pk)
    can_edit = not household.emergency_reason and has_role(  # type: ignore[attr-defined]
        user, household.municipality_id, PEOPLE_WRITE
    )
    return render(
        request,
        "people/household_detail.html",
        {
            "household": household,
            "members": household.members_read,  # type: ignore[attr-defined]
            "can_edit": can_edit,
            "stated": selectors.stated_members_to_check(
                user=user, household=household, path=request.get_full_path()
            )
            if can_edit and household.has_unchecked  # type: ignore[attr-defined]
            else [],
        },
    )


@require_http_methods(["GET", "POST"])
def household_create(request: HttpRequest, person_pk: int) -> HttpResponse:
    """A household is created from its main applicant's page."""
    user = user_of(request)
    applicant = selectors.person_get_for_user(user, person_pk)
    selectors.log_reads(
        user=user, persons=[applicant], what="household_create", path=request.get_full_path()
    )
    require_role(user, applicant.municipality_id, PEOPLE_WRITE)
    form = HouseholdForm(request.POST or None, initial={"name": applicant.family_name})
    return form_page(
        request,
        form,
        action=_household_create,
        done=_("The household was registered."),
        title=_("New household with %(name)s as main applicant") % {"name": applicant.full_name},
        redirect_to="people:household_detail",
        cancel_url="../../",
        actor=user,
        applicant=applicant,
    )


def _household_create(*, actor: object, applicant: object, data: dict[str, object]) -> Household:
    return actions.household_create(
        actor=actor,
        applicant=applicant,  # type: ignore[arg-type]
        data={**data, "municipality": applicant.municipality},  # type: ignore[attr-defined]
    )


@require_http_methods(["GET", "POST"])
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    household = selectors.household_get_for_user(user, pk)
    selectors.log_household_reads(
        user=user, household_ids=[household.pk], what="household_edit", path=request.get_full_path()
    )
    require_role(user, household.municipality_id, PEOPLE_WRITE)
    form = HouseholdForm(request.POST or None, instance=copy(household))
    return form_page(
        request,
        form,
        action=actions.household_update,
        done=_("The changes were saved."),
        title=_("Edit household %(name)s") % {"name": household.name},
        redirect_to="people:household_detail",
        actor=user,
        household=household,
    )


@require_http_methods(["GET", "POST"])
def household_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    household = selectors.household_get_for_user(user, pk)
    selectors.log_household_reads(
        user=user,
        household_ids=[household.pk],
        what="household_member_add",
        path=request.get_full_path(),
    )
    require_role(user, household.municipality_id, PEOPLE_WRITE)
    form = MemberAddForm(
        request.POST or None, household=household, persons=selectors.person_list(user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.household_member_add(
                actor=user,
                household=household,
                person=form.cleaned_data["person_ref"],
                relation=form.cleaned_data["relation"],
                joint_custody=form.cleaned_data["joint_custody"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The member was added."))
            return redirect("people:household_detail", pk=household.pk)
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "title": _("Add a member to %(name)s") % {"name": household.name},
            "cancel_url": "../",
        },
    )


@require_POST
def household_member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    user = user_of(request)
    household = selectors.household_get_for_user(user, pk)
    require_role(user, household.municipality_id, PEOPLE_WRITE)
    member = selectors.member_get_for_user(user, household, member_pk)
    try:
        actions.household_member_remove(actor=user, member=member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The member was removed."))
    return redirect("people:household_detail", pk=household.pk)


@require_POST
def person_emergency(request: HttpRequest, pk: int) -> HttpResponse:
    """Break the glass for a person (the form on the 404 page)."""
    user = user_of(request)
    form = EmergencyAccessForm(request.POST)
    if form.is_valid():
        person = selectors.person_for_emergency(user, pk)
        try:
            actions.person_emergency_open(
                actor=user, person=person, reason=form.cleaned_data["reason"], path=request.path
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return redirect("people:person_detail", pk=person.pk)
    return _no_access(request, "people:person_emergency", pk, form)


@require_POST
def household_emergency(request: HttpRequest, pk: int) -> HttpResponse:
    """Break the glass for a household (the form on the 404 page)."""
    user = user_of(request)
    form = EmergencyAccessForm(request.POST)
    if form.is_valid():
        household = selectors.household_for_emergency(user, pk)
        try:
            actions.household_emergency_open(
                actor=user,
                household=household,
                reason=form.cleaned_data["reason"],
                path=request.path,
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return redirect("people:household_detail", pk=household.pk)
    return _no_access(request, "people:household_emergency", pk, form)


@require_POST
def stated_member_confirm(request: HttpRequest, pk: int, stated_pk: int) -> HttpResponse:
    """A caseworker has checked a member stated in Min side against the registers and adds
    them to the household."""
    user = user_of(request)
    household = selectors.household_get_for_user(user, pk)
    require_role(user, household.municipality_id, PEOPLE_WRITE)
    stated = selectors.stated_member_get_for_user(user, household, stated_pk)
    try:
        member = actions.stated_member_confirm(actor=user, stated=stated)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s is confirmed as a member of the household.")
            % {"name": member.person.full_name},
        )
    return redirect("people:household_detail", pk=household.pk)


@require_POST
def stated_member_reject(request: HttpRequest, pk: int, stated_pk: int) -> HttpResponse:
    """A caseworker has checked a member stated in Min side and does not add them."""
    user = user_of(request)
    household = selectors.household_get_for_user(user, pk)
    require_role(user, household.municipality_id, PEOPLE_WRITE)
    stated = selectors.stated_member_get_for_user(user, household, stated_pk)
    try:
        actions.stated_member_reject(actor=user, stated=stated)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(name)s was not added to the household.") % {"name": stated.full_name}
        )
    return redirect("people:household_detail", pk=household.pk)

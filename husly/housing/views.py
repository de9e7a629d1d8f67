"""Buildings and dwellings with status history. Thin views: parse, check, act, render."""

from __future__ import annotations

from copy import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from husly.core.pages import (
    form_page,
    paginate,
    pk_url,
    querystring_without_page,
    require_role,
    submit,
    user_of,
    writable_municipalities,
)
from husly.housing import actions, selectors
from husly.housing.forms import (
    BuildingFilterForm,
    BuildingForm,
    DwellingFilterForm,
    DwellingForm,
    StatusChangeForm,
)
from husly.housing.models import Building, DwellingCategory, DwellingStatus
from husly.organisation.access import HOUSING_WRITE, has_role, municipality_ids


def building_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    filter_form = BuildingFilterForm(
        request.GET or None, districts=selectors.districts_for_user(user)
    )
    queryset = selectors.building_list(
        user, search=filter_form.value("q"), district=filter_form.value("district")
    )
    return render(
        request,
        "housing/building_list.html",
        {
            "page": paginate(request, queryset),
            "filter_form": filter_form,
            "querystring": querystring_without_page(request),
            "can_create": writable_municipalities(user, HOUSING_WRITE).exists(),
        },
    )


def building_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    building = selectors.building_get_for_user(user, pk)
    return render(
        request,
        "housing/building_detail.html",
        {
            "building": building,
            "dwellings": building.dwellings.order_by("number"),
            "can_edit": has_role(user, building.municipality_id, HOUSING_WRITE),
        },
    )


@require_http_methods(["GET", "POST"])
def building_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    municipalities = writable_municipalities(user, HOUSING_WRITE)
    if not municipalities.exists():
        raise PermissionDenied
    form = BuildingForm(request.POST or None, municipalities=municipalities)
    return form_page(
        request,
        form,
        action=actions.building_create,
        done=_("The building was registered."),
        title=_("New building"),
        redirect_to="housing:building_detail",
        actor=user,
    )


@require_http_methods(["GET", "POST"])
def building_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    building = selectors.building_get_for_user(user, pk)
    require_role(user, building.municipality_id, HOUSING_WRITE)
    form = BuildingForm(request.POST or None, instance=copy(building))
    return form_page(
        request,
        form,
        action=actions.building_update,
        done=_("The changes were saved."),
        title=_("Edit %(name)s") % {"name": building.name},
        redirect_to="housing:building_detail",
        actor=user,
        building=building,
    )


def dwelling_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    filter_form = DwellingFilterForm(request.GET or None)
    min_rooms = filter_form.value("min_rooms")
    filters = {
        "search": filter_form.value("q"),
        "status": filter_form.value("status"),
        "category": filter_form.value("category"),
        "min_rooms": min_rooms if min_rooms != "" else None,
        "wheelchair": bool(filter_form.value("wheelchair")),
    }
    queryset = selectors.dwelling_list(user, **filters)
    # The page's rows as plain values with only what the table shows, each label and link
    # looked up once for the page. Unfiltered, the count is the one kept for every reader.
    unfiltered = not any(value not in ("", None, False) for value in filters.values())
    page = paginate(request, queryset, count=selectors.dwelling_count(user) if unfiltered else None)
    page.object_list = list(page.object_list.values(*selectors.DWELLING_ROW))
    detail = pk_url("housing:dwelling_detail")
    categories = {value: str(label) for value, label in DwellingCategory.choices}
    statuses = {value: str(label) for value, label in DwellingStatus.choices}
    for dwelling in page.object_list:
        dwelling["url"] = detail(dwelling["pk"])
        dwelling["category_label"] = categories.get(dwelling["category"], dwelling["category"])
        dwelling["status_label"] = statuses.get(dwelling["status"], dwelling["status"])
    return render(
        request,
        "housing/dwelling_list.html",
        {
            "page": page,
            "filter_form": filter_form,
            "querystring": querystring_without_page(request),
            "can_create": bool(municipality_ids(user, HOUSING_WRITE)),
        },
    )


def dwelling_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    dwelling = selectors.dwelling_get_for_user(user, pk)
    return render(
        request,
        "housing/dwelling_detail.html",
        {
            "dwelling": dwelling,
            "history": dwelling.status_changes.select_related("actor"),
            "can_edit": has_role(user, dwelling.building.municipality_id, HOUSING_WRITE),
        },
    )


@require_http_methods(["GET", "POST"])
def dwelling_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    municipalities = writable_municipalities(user, HOUSING_WRITE)
    if not municipalities.exists():
        raise PermissionDenied
    buildings = Building.objects.filter(municipality__in=municipalities)
    form = DwellingForm(
        request.POST or None, buildings=buildings, initial={"building": request.GET.get("bygg")}
    )
    return form_page(
        request,
        form,
        action=actions.dwelling_create,
        done=_("The dwelling was registered."),
        title=_("New dwelling"),
        redirect_to="housing:dwelling_detail",
        actor=user,
    )


@require_http_methods(["GET", "POST"])
def dwelling_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    dwelling = selectors.dwelling_get_for_user(user, pk)
    require_role(user, dwelling.building.municipality_id, HOUSING_WRITE)
    form = DwellingForm(request.POST or None, instance=copy(dwelling))
    return form_page(
        request,
        form,
        action=actions.dwelling_update,
        done=_("The changes were saved."),
        title=_("Edit dwelling %(name)s") % {"name": dwelling},
        redirect_to="housing:dwelling_detail",
        actor=user,
        dwelling=dwelling,
    )


@require_http_methods(["GET", "POST"])
def dwelling_status(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    dwelling = selectors.dwelling_get_for_user(user, pk)
    require_role(user, dwelling.building.municipality_id, HOUSING_WRITE)
    form = StatusChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = submit(request, form, _status_change, actor=user, dwelling=dwelling)
        if done is not None:
            messages.success(request, _("The status was changed."))
            return redirect("housing:dwelling_detail", pk=dwelling.pk)
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "title": _("Change status of %(name)s") % {"name": dwelling},
            "intro": _("Current status: %(status)s") % {"status": dwelling.get_status_display()},
            "cancel_url": "../",
        },
    )


def _status_change(*, actor: object, dwelling: object, data: dict[str, object]) -> object:
    return actions.dwelling_status_change(actor=actor, dwelling=dwelling, **data)  # type: ignore[arg-type]

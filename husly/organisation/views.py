"""Organisation register: municipalities, units and staff. Thin views: parse, check, act, render."""

from __future__ import annotations

from copy import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from husly.core.pages import (
    form_errors_text,
    form_page,
    paginate,
    querystring_without_page,
    require_role,
    user_of,
    writable_municipalities,
)
from husly.organisation import actions, selectors
from husly.organisation.access import ORGANISATION_WRITE, has_role
from husly.organisation.forms import (
    MembershipForm,
    MunicipalityForm,
    StaffCreateForm,
    StaffFilterForm,
    StaffForm,
    UnitFilterForm,
    UnitForm,
)
from husly.organisation.models import Membership, Unit


def _admin_units(request: HttpRequest):  # type: ignore[no-untyped-def]
    user = user_of(request)
    return Unit.objects.filter(municipality__in=writable_municipalities(user, ORGANISATION_WRITE))


def municipality_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    search = request.GET.get("q", "").strip()[:100]
    page = paginate(request, selectors.municipality_list(user, search=search))
    return render(
        request,
        "organisation/municipality_list.html",
        {
            "page": page,
            "querystring": querystring_without_page(request),
            "search": search,
            "can_create": user.is_superuser,
        },
    )


def municipality_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    municipality = selectors.municipality_get_for_user(user, pk)
    return render(
        request,
        "organisation/municipality_detail.html",
        {
            "municipality": municipality,
            "units": selectors.unit_list(user).filter(municipality=municipality),
            "can_edit": has_role(user, municipality.pk, ORGANISATION_WRITE) or user.is_superuser,
        },
    )


@require_http_methods(["GET", "POST"])
def municipality_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not user.is_superuser:
        raise PermissionDenied
    form = MunicipalityForm(request.POST or None)
    return form_page(
        request,
        form,
        action=actions.municipality_create,
        done=_("The municipality was registered."),
        title=_("New municipality"),
        redirect_to="organisation:municipality_detail",
        actor=user,
    )


@require_http_methods(["GET", "POST"])
def municipality_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    municipality = selectors.municipality_get_for_user(user, pk)
    if not user.is_superuser:
        require_role(user, municipality.pk, ORGANISATION_WRITE)
    form = MunicipalityForm(request.POST or None, instance=copy(municipality))
    return form_page(
        request,
        form,
        action=actions.municipality_update,
        done=_("The changes were saved."),
        title=_("Edit %(name)s") % {"name": municipality.name},
        redirect_to="organisation:municipality_detail",
        cancel_url=municipality_url(municipality.pk),
        actor=user,
        municipality=municipality,
    )


def municipality_url(pk: int) -> str:
    from django.urls import reverse

    return reverse("organisation:municipality_detail", args=[pk])


def unit_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    filter_form = UnitFilterForm(request.GET or None)
    queryset = selectors.unit_list(
        user, search=filter_form.value("q"), kind=filter_form.value("kind")
    )
    return render(
        request,
        "organisation/unit_list.html",
        {
            "page": paginate(request, queryset),
            "filter_form": filter_form,
            "querystring": querystring_without_page(request),
            "can_create": writable_municipalities(user, ORGANISATION_WRITE).exists(),
        },
    )


def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    unit = selectors.unit_get_for_user(user, pk)
    memberships = unit.memberships.select_related("user").order_by("user__last_name", "role")
    return render(
        request,
        "organisation/unit_detail.html",
        {
            "unit": unit,
            "memberships": memberships,
            "can_edit": has_role(user, unit.municipality_id, ORGANISATION_WRITE),
        },
    )


@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    municipalities = writable_municipalities(user, ORGANISATION_WRITE)
    if not municipalities.exists():
        raise PermissionDenied
    form = UnitForm(
        request.POST or None,
        municipalities=municipalities,
        initial={"municipality": municipalities.first()},
    )
    return form_page(
        request,
        form,
        action=actions.unit_create,
        done=_("The unit was registered."),
        title=_("New unit"),
        redirect_to="organisation:unit_detail",
        actor=user,
    )


@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    unit = selectors.unit_get_for_user(user, pk)
    require_role(user, unit.municipality_id, ORGANISATION_WRITE)
    form = UnitForm(request.POST or None, instance=copy(unit), municipalities=None)
    return form_page(
        request,
        form,
        action=actions.unit_update,
        done=_("The changes were saved."),
        title=_("Edit %(name)s") % {"name": unit.name},
        redirect_to="organisation:unit_detail",
        actor=user,
        unit=unit,
    )


def staff_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    filter_form = StaffFilterForm(request.GET or None)
    queryset = selectors.staff_list(
        user, search=filter_form.value("q"), role=filter_form.value("role")
    ).prefetch_related("memberships__unit")
    return render(
        request,
        "organisation/staff_list.html",
        {
            "page": paginate(request, queryset),
            "filter_form": filter_form,
            "querystring": querystring_without_page(request),
            "can_create": writable_municipalities(user, ORGANISATION_WRITE).exists(),
        },
    )


def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    staff = selectors.staff_get_for_user(user, pk)
    units = _admin_units(request)
    return render(
        request,
        "organisation/staff_detail.html",
        {
            "staff": staff,
            "memberships": selectors.memberships_visible(user, staff),
            "can_edit": units.exists(),
            "membership_form": MembershipForm(units=units, auto_id="membership_%s"),
        },
    )


@require_http_methods(["GET", "POST"])
def staff_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    units = _admin_units(request)
    if not units.exists():
        raise PermissionDenied
    form = StaffCreateForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = {key: form.cleaned_data[key] for key in StaffForm._meta.fields}
        staff = actions.staff_create(
            actor=user,
            data=data,
            unit=form.cleaned_data["unit"],
            role=form.cleaned_data["role"],
            password=form.cleaned_data["password"] or None,
        )
        messages.success(request, _("The staff member was registered."))
        return redirect("organisation:staff_detail", pk=staff.pk)
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "title": _("New staff member"),
            "cancel_url": "../",
        },
    )


@require_http_methods(["GET", "POST"])
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    staff = selectors.staff_get_for_user(user, pk)
    if not _admin_units(request).filter(memberships__user=staff).exists():
        raise PermissionDenied
    form = StaffForm(request.POST or None, instance=copy(staff))
    editable = actions.identity_editable_by(user, staff)
    return form_page(
        request,
        form,
        action=actions.staff_update,
        done=_("The changes were saved."),
        title=_("Edit %(name)s") % {"name": staff},
        redirect_to="organisation:staff_detail",
        intro="" if editable else actions.identity_refusal(staff),
        actor=user,
        staff=staff,
    )


@require_POST
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    staff = selectors.staff_get_for_user(user, pk)
    form = MembershipForm(
        request.POST, units=_admin_units(request), instance=Membership(user=staff)
    )
    if form.is_valid():
        try:
            actions.membership_add(
                actor=user,
                staff=staff,
                unit=form.cleaned_data["unit"],
                role=form.cleaned_data["role"],
            )
        except ValidationError:
            messages.error(request, _("The staff member already has this role in this unit."))
        else:
            messages.success(request, _("The role was added."))
    else:
        messages.error(
            request,
            _("The role could not be added: %(errors)s") % {"errors": form_errors_text(form)},
        )
    return redirect("organisation:staff_detail", pk=staff.pk)


@require_POST
def membership_remove(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    user = user_of(request)
    staff = selectors.staff_get_for_user(user, pk)
    membership = selectors.memberships_visible(user, staff).filter(pk=membership_pk).first()
    if membership is None:
        from django.http import Http404

        raise Http404
    require_role(user, membership.unit.municipality_id, ORGANISATION_WRITE)
    actions.membership_remove(actor=user, membership=membership)
    messages.success(request, _("The role was removed."))
    return redirect("organisation:staff_detail", pk=staff.pk)

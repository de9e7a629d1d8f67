"""Staff pages for sharing a case: record consent or a legal basis, withdraw, end.

Only caseworkers of the units the case is routed to may do this (``can_act_on``); anyone else
who can see the case gets 403, anyone who cannot gets 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from husly.cases import selectors as case_selectors
from husly.cases.models import Case
from husly.consent import actions, selectors
from husly.consent.forms import ConsentForm, LegalBasisForm
from husly.core.pages import add_action_errors, user_of
from husly.organisation.models import User
from husly.people.selectors import log_reads


def _case_for_change(user: User, pk: object) -> Case:
    case = case_selectors.case_get_for_user(user, pk)
    if not case_selectors.can_act_on(user, case):
        raise PermissionDenied
    return case


def _back(case: Case) -> str:
    return reverse("cases:case_detail", args=[case.pk]) + "#deling"


@require_http_methods(["GET", "POST"])
def consent_create(request: HttpRequest, case_pk: int) -> HttpResponse:
    user = user_of(request)
    case = _case_for_change(user, case_pk)
    form = ConsentForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            actions.consent_give(
                actor=user,
                case=case,
                given_by=form.cleaned_data["given_by"],
                given_how=form.cleaned_data["given_how"],
                given_on=form.cleaned_data["given_on"],
                **form.scope(),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The consent was recorded."))
            return redirect(_back(case))
    # The form names the adults who may give the consent.
    log_reads(
        user=user,
        persons=form.fields["given_by"].queryset,  # type: ignore[attr-defined]
        what="consent_create",
        path=request.get_full_path(),
    )
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "title": _("Record consent in case %(number)s") % {"number": case.number},
            "intro": _(
                "Record only what the household has agreed to: which units, for what, and "
                "which data. The household can see and withdraw it in My page."
            ),
            "cancel_url": _back(case),
        },
    )


@require_http_methods(["GET", "POST"])
def legal_basis_create(request: HttpRequest, case_pk: int) -> HttpResponse:
    user = user_of(request)
    case = _case_for_change(user, case_pk)
    form = LegalBasisForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            actions.legal_basis_record(
                actor=user,
                case=case,
                reference=form.cleaned_data["reference"],
                explanation=form.cleaned_data["explanation"],
                valid_from=form.cleaned_data["valid_from"],
                **form.scope(),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The legal basis was recorded."))
            return redirect(_back(case))
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "title": _("Record a legal basis for sharing in case %(number)s")
            % {"number": case.number},
            "intro": _(
                "Use this only where a law allows the units to share without consent. "
                "The household sees the basis in My page."
            ),
            "cancel_url": _back(case),
        },
    )


@require_POST
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """A caseworker records that the household withdrew its consent (e.g. by phone)."""
    user = user_of(request)
    consent = selectors.consent_get_for_user(user, pk)
    case = _case_for_change(user, consent.case_id)
    try:
        actions.consent_withdraw(actor=user, consent=consent)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The consent was withdrawn. The sharing has stopped."))
    return redirect(_back(case))


@require_POST
def legal_basis_end(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    basis = selectors.legal_basis_get_for_user(user, pk)
    case = _case_for_change(user, basis.case_id)
    try:
        actions.legal_basis_end(actor=user, basis=basis)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The legal basis was ended. The sharing has stopped."))
    return redirect(_back(case))

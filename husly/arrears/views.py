"""Arrears cases, steps and letters, rent meetings, repayment agreements, NAV coverage, early
warnings (staff) and the household's letters on Min side. Thin views: parse, fetch through a
selector (404 outside access), call one action."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from husly.arrears import actions, selectors
from husly.arrears.forms import (
    AgreementForm,
    AssignForm,
    ConfirmForm,
    ExternalPetitionForm,
    MeetingForm,
    MeetingItemForm,
    NavCoverageForm,
    StepForm,
)
from husly.arrears.letters import letter_text, render_step_letter
from husly.arrears.models import ArrearsCase, CaseStatus, MeetingStatus, StepStatus
from husly.consent.models import Consent, LegalBasis
from husly.core.pages import act, add_action_errors, municipality_for_role, user_of
from husly.organisation.access import has_role, municipality_ids
from husly.organisation.models import User
from husly.people.selectors import household_get_for_user, log_household_reads, log_reads
from husly.portal.auth import resident_of


def _people(case_municipality_id: int) -> list[tuple[str, str]]:
    users = (
        User.objects.filter(
            memberships__unit__municipality_id=case_municipality_id,
            memberships__role__in=selectors.ARREARS_ROLES,
            is_active=True,
        )
        .distinct()
        .order_by("first_name", "last_name")
    )
    return [("", "—")] + [(str(u.pk), u.get_full_name() or u.username) for u in users]


def case_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    today = timezone.localdate()
    cases = list(
        selectors.cases_for_user(user)
        .filter(status=CaseStatus.OPEN)
        .order_by("opened_on", "pk")[:300]
    )
    rows = [(c, selectors.assessment(c, today)) for c in cases]
    log_household_reads(
        user=user,
        household_ids=[c.household_id for c in cases],
        what="arrears_case_list",
        path=request.get_full_path(),
    )
    return render(
        request,
        "arrears/case_list.html",
        {
            "rows": rows,
            "today": today,
            "can_register": bool(municipality_ids(user, selectors.NAV_ROLES)),
        },
    )


def _case_context(user: User, case: ArrearsCase) -> dict[str, object]:
    today = timezone.localdate()
    found = selectors.assessment(case, today)
    pending = selectors.pending_step(case)
    coverage_bases = _coverage_bases(case)
    return {
        "case": case,
        "assessment": found,
        "procedure": selectors.procedure_of(case),
        "steps": list(case.steps.select_related("responsible", "confirmed_by")),
        "pending": pending,
        "confirm_form": ConfirmForm(),
        "pending_text": letter_text(pending)
        if pending and pending.kind in LETTER_KIND_VALUES
        else "",
        "agreements": list(case.agreements.prefetch_related("instalments")),
        "coverages": list(case.nav_coverages.all()),
        "members": list(case.household.members.select_related("person")),
        "step_form": StepForm(initial={"taken_on": today}),
        "agreement_form": AgreementForm(initial={"agreed_on": today}),
        "nav_form": NavCoverageForm(initial={"decided_on": today}, bases=coverage_bases)
        if has_role(user, case.municipality_id, selectors.NAV_ROLES)
        else None,
        "assign_form": AssignForm(
            initial={"responsible": case.responsible_id}, people=_people(case.municipality_id)
        ),
        "today": today,
    }


def _coverage_bases(case: ArrearsCase) -> list[tuple[str, str]]:
    """The household's consents and legal bases NAV can record its coverage on."""
    return [
        (f"consent:{c.pk}", f"{_('Consent')} {c.given_on:%d.%m.%Y}")
        for c in Consent.objects.filter(case__household_id=case.household_id, withdrawn_at=None)
    ] + [
        (f"basis:{b.pk}", f"{b.reference}")
        for b in LegalBasis.objects.filter(case__household_id=case.household_id, ended_at=None)
    ]


LETTER_KIND_VALUES = {"reminder", "collection_notice", "eviction_notice", "petition"}


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    case = selectors.case_get_for_user(user, pk)
    context = _case_context(user, case)
    log_reads(
        user=user,
        persons=[m.person for m in context["members"]],  # type: ignore[attr-defined]
        what="arrears_case",
        path=request.get_full_path(),
    )
    return render(request, "arrears/case_detail.html", context)


@require_POST
def case_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """The case's forms: prepare, confirm or cancel the due step; assign; agreement; NAV."""
    user = user_of(request)
    case = selectors.case_get_for_user(user, pk)
    handler = _HANDLERS.get(step)
    if handler is None:
        raise Http404
    handler(request, user, case)
    return redirect("arrears:case_detail", pk=case.pk)


def _errors(request: HttpRequest, form: Any) -> None:
    messages.error(request, " ".join(" ".join(e) for e in form.errors.values()))


def _prepare(request: HttpRequest, user: User, case: ArrearsCase) -> None:
    form = StepForm(request.POST)
    found = selectors.assessment(case, timezone.localdate())
    if not form.is_valid():
        _errors(request, form)
        return
    if found is None or found.next is None:
        messages.error(request, _("No step can be taken now."))
        return
    data, step_id = form.cleaned_data, found.next.step.id
    act(
        request,
        lambda: actions.arrears_step_prepare(
            actor=user,
            case=case,
            step_id=step_id,
            taken_on=data["taken_on"],
            note=data["note"],
            scheduled_for=data["scheduled_for"],
            attendees=[a.strip() for a in data["attendees"].splitlines() if a.strip()],
        ),
        _("The step is prepared. Read the letter and confirm it to send it."),
    )


def _pending_or_404(case: ArrearsCase) -> Any:
    pending = selectors.pending_step(case)
    if pending is None:
        raise Http404
    return pending


def _confirm(request: HttpRequest, user: User, case: ArrearsCase) -> None:
    pending = _pending_or_404(case)
    act(
        request,
        lambda: actions.arrears_step_confirm(
            actor=user, step=pending, channel=request.POST.get("channel", "")
        ),
        _("Confirmed. The letter is made and recorded as sent, with its copies."),
    )


def _cancel(request: HttpRequest, user: User, case: ArrearsCase) -> None:
    pending = _pending_or_404(case)
    act(
        request,
        lambda: actions.arrears_step_cancel(actor=user, step=pending),
        _("The prepared step is cancelled. Nothing was sent."),
    )


def _assign(request: HttpRequest, user: User, case: ArrearsCase) -> None:
    form = AssignForm(request.POST, people=_people(case.municipality_id))
    if form.is_valid() and form.cleaned_data["responsible"]:
        chosen = User.objects.get(pk=form.cleaned_data["responsible"])
        act(
            request,
            lambda: actions.arrears_case_assign(actor=user, case=case, responsible=chosen),
            _("Saved."),
        )


def _agreement(request: HttpRequest, user: User, case: ArrearsCase) -> None:
    form = AgreementForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return
    act(
        request,
        lambda: actions.repayment_agreement_create(
            actor=user,
            case=case,
            agreed_on=form.cleaned_data["agreed_on"],
            instalments=form.cleaned_data["instalments"],
        ),
        _("The repayment agreement is saved. The procedure stands still while it is kept."),
    )


def _nav(request: HttpRequest, user: User, case: ArrearsCase) -> None:
    form = NavCoverageForm(request.POST, bases=_coverage_bases(case))
    if not form.is_valid():
        _errors(request, form)
        return
    kind, _sep, basis_pk = form.cleaned_data["basis"].partition(":")
    consent = Consent.objects.filter(pk=basis_pk).first() if kind == "consent" else None
    basis = LegalBasis.objects.filter(pk=basis_pk).first() if kind == "basis" else None
    act(
        request,
        lambda: actions.nav_coverage_record(
            actor=user,
            case=case,
            amount=form.cleaned_data["amount"],
            decided_on=form.cleaned_data["decided_on"],
            consent=consent,
            legal_basis=basis,
        ),
        _("NAV's coverage is recorded."),
    )


def _close(request: HttpRequest, user: User, case: ArrearsCase) -> None:
    act(
        request,
        lambda: actions.arrears_case_close(actor=user, case=case, on=timezone.localdate()),
        _("The case is closed."),
    )


_HANDLERS: dict[str, Callable[[HttpRequest, User, ArrearsCase], None]] = {
    "forbered": _prepare,
    "bekreft": _confirm,
    "avbryt": _cancel,
    "ansvarlig": _assign,
    "avtale": _agreement,
    "nav": _nav,
    "avslutt": _close,
}


def step_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The letter of a step: the stored PDF once confirmed, a draft marked UTKAST before."""
    user = user_of(request)
    step = selectors.step_get_for_user(user, pk)
    if step.kind not in LETTER_KIND_VALUES or step.status == StepStatus.CANCELLED:
        raise Http404
    log_household_reads(
        user=user,
        household_ids=[step.case.household_id],
        what="arrears_letter",
        path=request.get_full_path(),
    )
    if step.status == StepStatus.CONFIRMED and step.document:
        with step.document.open("rb") as handle:
            pdf = handle.read()
    else:
        pdf = render_step_letter(step, draft=True)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="restanse-{step.pk}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
def external_register(request: HttpRequest) -> HttpResponse:
    """NAV registers a copy of an eviction petition from a private landlord or cooperative."""
    user = user_of(request)
    municipality = municipality_for_role(user, selectors.NAV_ROLES)
    form = ExternalPetitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        household = household_get_for_user(user, data["household"])
        try:
            case = actions.external_petition_register(
                actor=user,
                municipality=municipality,
                household=household,
                landlord_name=data["landlord_name"],
                landlord_kind=data["landlord_kind"],
                received_on=data["received_on"],
                address=data["address"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The prevention case is opened."))
            return redirect("arrears:case_detail", pk=case.pk)
    return render(request, "arrears/external_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def meeting_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    municipality = municipality_for_role(user, selectors.MEETING_ROLES)
    meetings = list(selectors.meetings_for_user(user)[:30])
    form = MeetingForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        meeting = act(
            request,
            lambda: actions.rent_meeting_create(
                actor=user,
                municipality=municipality,
                held_on=form.cleaned_data["held_on"],
                participants=form.cleaned_data["participants"],
            ),
            _("The agenda is ready."),
        )
        if meeting is not None:
            return redirect("arrears:meeting_detail", pk=meeting.pk)
    procedure = selectors.procedure_for_municipality(municipality, timezone.localdate())
    last = meetings[0].held_on if meetings else None
    next_on = last + dt.timedelta(days=procedure.meeting_interval_days) if last else None
    return render(
        request,
        "arrears/meeting_list.html",
        {
            "meetings": meetings,
            "form": form,
            "next_on": next_on,
            "interval": procedure.meeting_interval_days,
        },
    )


@require_http_methods(["GET", "POST"])
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    meeting = selectors.meeting_get_for_user(user, pk)
    people = _people(meeting.municipality_id)
    if request.method == "POST":
        if request.POST.get("step") == "close":
            act(
                request,
                lambda: actions.rent_meeting_close(actor=user, meeting=meeting),
                _("The minutes are closed."),
            )
        else:
            item = selectors.item_get_for_user(user, request.POST.get("item"))
            form = MeetingItemForm(request.POST, prefix=f"i{item.pk}", people=people)
            if form.is_valid():
                chosen = User.objects.filter(pk=form.cleaned_data["responsible"] or 0).first()
                act(
                    request,
                    lambda: actions.rent_meeting_item_record(
                        actor=user,
                        item=item,
                        responsible=chosen,
                        agreed=form.cleaned_data["agreed"],
                    ),
                    _("Saved."),
                )
        return redirect("arrears:meeting_detail", pk=meeting.pk)
    items = list(
        selectors.meeting_items_for_user(user, meeting).select_related(
            "case", "case__household", "case__lease__dwelling", "responsible"
        )
    )
    log_household_reads(
        user=user,
        household_ids=[i.case.household_id for i in items],
        what="rent_meeting",
        path=request.get_full_path(),
    )
    rows = [
        (
            i,
            MeetingItemForm(
                prefix=f"i{i.pk}",
                people=people,
                initial={"responsible": i.responsible_id, "agreed": i.agreed},
            ),
        )
        for i in items
    ]
    return render(
        request,
        "arrears/meeting_detail.html",
        {
            "meeting": meeting,
            "rows": rows,
            "open": meeting.status == MeetingStatus.PLANNED,
        },
    )


@login_required(login_url="portal:login")
def my_letter(request: HttpRequest, pk: int) -> HttpResponse:
    user = resident_of(request)
    step = selectors.my_step(user, pk)
    with step.document.open("rb") as handle:
        pdf = handle.read()
    if hashlib.sha256(pdf).hexdigest() != step.document_sha256:
        raise Http404
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="restanse-{step.pk}.pdf"'
    return response

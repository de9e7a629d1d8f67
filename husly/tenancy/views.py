"""Leases, renewals and moves (staff), throughput for leaders, and the tenant's Min side
actions. Thin views: parse, check access, call one action."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from husly.core.pages import (
    act,
    add_action_errors,
    day_text,
    municipality_for_role,
    paginate,
    pk_url,
    require_role,
    user_of,
)
from husly.organisation.access import municipality_ids
from husly.organisation.models import User
from husly.people.selectors import log_household_reads, log_reads
from husly.portal.auth import resident_of
from husly.tenancy import actions, selectors
from husly.tenancy.forms import AlternativesForm, EndForm, LeaseForm, SignForm, TenancyTermsForm
from husly.tenancy.models import (
    PENDING_LEASE,
    Lease,
    LeaseStatus,
    RenewalApplication,
    TenancyTerms,
)


def lease_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    leases = selectors.leases_for_user(user)
    active = leases.filter(status=LeaseStatus.ACTIVE)
    # The active leases a page at a time (a large municipality has thousands; counted without
    # the joins the rows need, the count kept until the records change); the work above them
    # in full. Each list in one query as plain rows with only the fields the page shows.
    page = paginate(
        request, active.order_by("end_date", "pk"), count=selectors.active_lease_count(user)
    )
    page.object_list = list(selectors.lease_rows(page.object_list))
    reminded = list(
        selectors.lease_rows(
            active.filter(reminder__isnull=False, renewals__isnull=True), "reminder__apply_by"
        )
    )
    pending = list(
        selectors.lease_rows(
            leases.filter(status__in=PENDING_LEASE).order_by("start_date", "pk"),
            "status",
            "tenant_signed_on",
            "landlord_signed_on",
        )
    )
    statuses = dict(LeaseStatus.choices)
    for lease in pending:
        # What ``tenancy/_lease_status.html`` shows of a lease that is not being signed.
        lease["get_status_display"] = statuses[lease["status"]]
    shown = {
        "leases": page.object_list,
        "reminded": reminded,
        "renewals": list(
            RenewalApplication.objects.filter(lease__in=active, decision__isnull=True)
            .order_by("pk")
            .values("case_id", "case__number", "lease__household_id", "lease__household__name")
        ),
        "accepted": list(selectors.offer_rows(selectors.accepted_offers_for_user(user))),
        "pending": pending,
    }
    detail = pk_url("tenancy:lease_detail")
    for lease in shown["leases"] + pending:
        lease["url"] = detail(lease["pk"])
    for lease in shown["leases"]:
        # The page's dates as ``|date:"d.m.Y"`` writes them (no end: the template says so).
        lease["start"] = day_text(lease["start_date"])
        lease["end"] = day_text(lease["end_date"])
    log_household_reads(
        user=user,
        household_ids=[
            lease["household_id"]
            for lease in shown["leases"] + shown["reminded"] + shown["pending"]
        ]
        + [r["lease__household_id"] for r in shown["renewals"]]
        + [o["entry__household_id"] for o in shown["accepted"]],
        what="lease_list",
        path=request.get_full_path(),
    )
    can_edit_terms = bool(municipality_ids(user, selectors.TERMS_WRITE))
    return render(
        request,
        "tenancy/lease_list.html",
        {**shown, "page": page, "querystring": "", "can_edit_terms": can_edit_terms},
    )


@require_http_methods(["GET", "POST"])
def tenancy_terms(request: HttpRequest) -> HttpResponse:
    """The municipality's standing lease terms: account, due day and house rules."""
    user = user_of(request)
    municipality = municipality_for_role(user, selectors.TERMS_WRITE)
    terms = TenancyTerms.objects.filter(municipality=municipality).first()
    form = TenancyTermsForm(request.POST or None, instance=terms)
    if request.method == "POST" and form.is_valid():
        fields = ("payment_account", "payment_due_day", "house_rules")
        try:
            actions.tenancy_terms_save(
                actor=user,
                municipality=municipality,
                data={f: form.cleaned_data[f] for f in fields},
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The lease terms were saved."))
            return redirect("tenancy:terms")
    return render(
        request,
        "tenancy/terms.html",
        {"form": form, "municipality": municipality, "terms": terms},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def lease_create(request: HttpRequest, offer_pk: int) -> HttpResponse:
    user = user_of(request)
    offer = selectors.accepted_offer_get_for_user(user, offer_pk)
    require_role(user, offer.entry.municipality_id, selectors.TENANCY_WRITE)
    log_household_reads(
        user=user,
        household_ids=[offer.entry.household_id],
        what="lease_create",
        path=request.get_full_path(),
    )
    start = timezone.localdate()
    form = LeaseForm(request.POST or None, initial=actions.default_terms(offer.dwelling, start))
    if request.method == "POST" and form.is_valid():
        try:
            lease = actions.lease_create(actor=user, offer=offer, data=form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The lease was written."))
            return redirect("tenancy:lease_detail", pk=lease.pk)
    return render(
        request,
        "tenancy/lease_form.html",
        {
            "form": form,
            "offer": offer,
            "dwelling": offer.dwelling,
            "household": offer.entry.household,
            "title": _("Write the lease"),
        },
    )


def lease_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    lease = selectors.lease_get_for_user(user, pk)
    return _render_detail(request, user, lease)


def _render_detail(
    request: HttpRequest, user: User, lease: Lease, sign_form: SignForm | None = None
) -> HttpResponse:
    members = list(lease.household.members.select_related("person"))
    log_reads(
        user=user,
        persons=[m.person for m in members],
        what="lease_detail",
        path=request.get_full_path(),
    )
    renewal = lease.renewals.select_related("case", "decision").first()
    return render(
        request,
        "tenancy/lease_detail.html",
        {
            "lease": lease,
            "members": members,
            "renewal": renewal,
            "end_form": EndForm(initial={"ended_on": lease.end_date}),
            "alternatives_form": AlternativesForm(
                initial={"alternative": renewal.alternative, "note": renewal.alternative_note}
            )
            if renewal
            else None,
            "history": lease.dwelling.status_changes.all()[:10],
            "can_change": selectors.can_change_lease(user, lease),
            "can_assess": selectors.can_assess_renewal(user, renewal),
            "can_renew": bool(
                renewal
                and renewal.decision
                and renewal.decision.kind == "renewal"
                and lease.status == LeaseStatus.ACTIVE
            ),
            "reminder": getattr(lease, "reminder", None),
            "sign_form": sign_form
            or SignForm(
                initial={
                    "party": "landlord" if lease.tenant_signed_on else "tenant",
                    "signed_on": timezone.localdate(),
                }
            ),
            "today": timezone.localdate(),
        },
        status=400 if sign_form is not None and sign_form.errors else 200,
    )


def _sign(request: HttpRequest, user: User, lease: Lease) -> HttpResponse:
    """Record one party's signature; on an error the page is shown again with what was typed."""
    sign_form = SignForm(request.POST)
    if sign_form.is_valid():
        try:
            actions.lease_sign(actor=user, lease=lease, **sign_form.cleaned_data)
        except ValidationError as error:
            add_action_errors(sign_form, error)
        else:
            messages.success(request, _("The signature was recorded."))
            return redirect("tenancy:lease_detail", pk=lease.pk)
    return _render_detail(request, user, lease, sign_form)


@require_POST
def lease_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    user = user_of(request)
    lease = selectors.lease_get_for_user(user, pk)
    require_role(user, lease.municipality_id, selectors.TENANCY_WRITE)
    if step == "send":
        act(
            request,
            lambda: actions.lease_send(actor=user, lease=lease),
            _("The lease was sent for signing."),
        )
    elif step == "signatur":
        return _sign(request, user, lease)
    elif step == "aktiver":
        act(
            request,
            lambda: actions.lease_activate(actor=user, lease=lease, today=timezone.localdate()),
            _("The lease is in force and the dwelling is let from the start date."),
        )
    elif step == "avslutt":
        form = EndForm(request.POST)
        if form.is_valid():
            act(
                request,
                lambda: actions.lease_end(
                    actor=user,
                    lease=lease,
                    ended_on=form.cleaned_data["ended_on"],
                    reason=form.cleaned_data["reason"],
                ),
                _("The lease was ended and the dwelling is vacant from the day after."),
            )
    elif step == "fornyelse":
        renewal = act(
            request,
            lambda: actions.renewal_apply(actor=user, lease=lease),
            _("The renewal application was registered as a case."),
        )
        if renewal is not None:
            return redirect("cases:case_detail", pk=renewal.case_id)
    elif step == "alternativer":
        alternatives = AlternativesForm(request.POST)
        renewal = lease.renewals.first()
        if renewal is None:
            raise PermissionDenied
        if alternatives.is_valid():
            act(
                request,
                lambda: actions.renewal_alternatives_record(
                    actor=user,
                    renewal=renewal,
                    alternative=alternatives.cleaned_data["alternative"],
                    note=alternatives.cleaned_data["note"],
                ),
                _("The assessment was saved."),
            )
        else:
            messages.error(request, _("Choose what fits and write the assessment."))
    else:
        raise PermissionDenied
    return redirect("tenancy:lease_detail", pk=lease.pk)


@require_http_methods(["GET", "POST"])
def lease_renew(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    lease = selectors.lease_get_for_user(user, pk)
    require_role(user, lease.municipality_id, selectors.TENANCY_WRITE)
    log_household_reads(
        user=user,
        household_ids=[lease.household_id],
        what="lease_renew",
        path=request.get_full_path(),
    )
    start = (lease.end_date or timezone.localdate()) + dt.timedelta(days=1)
    initial = {
        **actions.default_terms(lease.dwelling, start),
        "monthly_rent": lease.monthly_rent,
        "deposit_kind": lease.deposit_kind,
        "deposit_amount": lease.deposit_amount,
        "handover_on": None,
        "inspection_on": None,
    }
    form = LeaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            new = actions.lease_renew(actor=user, lease=lease, data=form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The new lease was written."))
            return redirect("tenancy:lease_detail", pk=new.pk)
    return render(
        request,
        "tenancy/lease_form.html",
        {
            "form": form,
            "dwelling": lease.dwelling,
            "household": lease.household,
            "title": _("Renew the lease"),
        },
    )


def _pdf_response(lease: Lease) -> HttpResponse:
    content = lease.document.open("rb").read()
    if hashlib.sha256(content).hexdigest() != lease.document_sha256:
        msg = f"Stored lease {lease.pk} does not match its hash"
        raise RuntimeError(msg)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="leiekontrakt-{lease.pk}.pdf"'
    return response


def lease_document(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    lease = selectors.lease_get_for_user(user, pk)
    log_reads(
        user=user,
        persons=[m.person for m in lease.household.members.all()],
        what="lease_document",
        path=request.get_full_path(),
    )
    return _pdf_response(lease)


def throughput(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    municipality = municipality_for_role(user, selectors.STATS_READ)
    months = selectors.throughput(municipality, months=12, today=timezone.localdate())
    return render(
        request, "tenancy/throughput.html", {"months": months, "municipality": municipality}
    )


@login_required(login_url="portal:login")
@require_POST
def my_renewal_apply(request: HttpRequest, pk: int) -> HttpResponse:
    user = resident_of(request)
    lease = selectors.my_lease(user, pk)
    act(
        request,
        lambda: actions.renewal_apply(actor=user, lease=lease, channel="self_service"),
        _("Your application to renew the lease was sent."),
    )
    return redirect("portal:home")


@login_required(login_url="portal:login")
def my_lease_document(request: HttpRequest, pk: int) -> HttpResponse:
    user = resident_of(request)
    return _pdf_response(selectors.my_lease(user, pk))

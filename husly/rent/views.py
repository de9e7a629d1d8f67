"""Rent pages: arrears, the ledger per lease, payments in, vacancy rent, index regulation, and
the household's own ledger in Min side. Thin views: fetch through the selectors, call one
action, log every person shown."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from husly.core.pages import require_role, user_of
from husly.housing.models import Dwelling
from husly.imports.importers import ImportFileError
from husly.organisation.access import municipalities_for_user, municipality_ids
from husly.people.selectors import log_household_reads
from husly.portal.auth import resident_of
from husly.rent import actions, selectors
from husly.rent.forms import (
    DispatchForm,
    PaymentForm,
    PaymentUploadForm,
    PlaceForm,
    VacancyForm,
)
from husly.rent.models import BatchStatus, ClaimKind, RentClaim, RentReason
from husly.rent.payments import match, read_payment_file
from husly.tenancy.models import Lease, LeaseStatus
from husly.tenancy.selectors import my_lease

MAX_UPLOAD_BYTES = 20 * 2**20
"""An OCR file of 100,000 payments is some 16 MB."""


def _as_of(request: HttpRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("dato", ""))
    except ValueError:
        return timezone.localdate()


def _write_municipality(request: HttpRequest):  # type: ignore[no-untyped-def]
    user = user_of(request)
    municipalities = municipalities_for_user(user, selectors.RENT_WRITE)
    municipality = municipalities.first()
    if municipality is None:
        raise PermissionDenied
    return user, municipality


def arrears_list(request: HttpRequest) -> HttpResponse:
    """Every lease in arrears as of a date, largest first (appendix 5: an early overview)."""
    user = user_of(request)
    municipalities = municipalities_for_user(user, selectors.RENT_READ)
    if not municipalities.exists():
        raise PermissionDenied
    as_of = _as_of(request)
    rows = []
    for municipality in municipalities:
        found = selectors.arrears_as_of(municipality=municipality, as_of=as_of)
        leases = Lease.objects.filter(pk__in=found).select_related(
            "household", "dwelling", "dwelling__building"
        )
        rows += [(lease, found[lease.pk]) for lease in leases]
    rows.sort(key=lambda row: (-row[1].amount, row[0].pk))
    log_household_reads(
        user=user,
        household_ids=[lease.household_id for lease, _a in rows],
        what="rent_arrears",
        path=request.get_full_path(),
    )
    can_write = municipalities_for_user(user, selectors.RENT_WRITE).exists()
    return render(
        request,
        "rent/arrears.html",
        {
            "rows": rows,
            "as_of": as_of,
            "total": sum(a.amount for _l, a in rows),
            "can_write": can_write,
            "unmatched": selectors.unmatched_payments_for_user(user).count() if can_write else 0,
        },
    )


def ledger(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    lease = selectors.rent_lease_get_for_user(user, pk)
    log_household_reads(
        user=user, household_ids=[lease.household_id], what="rent_ledger", path=request.path
    )
    today = timezone.localdate()
    return render(
        request,
        "rent/ledger.html",
        {
            "lease": lease,
            "ledger": selectors.ledger_for_lease(lease),
            "arrears": selectors.arrears_for_lease(lease, today),
            "rents": lease.rents.order_by("-valid_from"),
            "deductions": lease.deductions.select_related("unit"),
            "vacancy": RentClaim.objects.filter(lease=lease, kind=ClaimKind.VACANCY),
            "can_write": selectors.can_write_rent(user, lease.municipality_id),
            "payment_form": PaymentForm(initial={"paid_on": today}),
            "dispatch_form": DispatchForm(initial={"sent_on": today}),
            "today": today,
        },
    )


@require_POST
def payment_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    lease = selectors.rent_lease_get_for_user(user, pk)
    require_role(user, lease.municipality_id, selectors.RENT_WRITE)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            actions.payment_register(
                actor=user,
                lease=lease,
                amount=form.cleaned_data["amount"],
                paid_on=form.cleaned_data["paid_on"],
                source=form.cleaned_data["source"],
                reference=form.cleaned_data["reference"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The payment is registered."))
    else:
        messages.error(
            request,
            " ".join(str(e) for errors in form.errors.values() for e in errors),
        )
    return redirect("rent:ledger", pk=lease.pk)


@require_POST
def index_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    lease = selectors.rent_lease_get_for_user(user, pk)
    require_role(user, lease.municipality_id, selectors.RENT_WRITE)
    try:
        rent = actions.rent_index_adjust(actor=user, lease=lease, notice_on=timezone.localdate())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The rent is %(amount)s kroner from %(date)s. The notice is ready to send.")
            % {"amount": rent.amount, "date": rent.valid_from.strftime("%d.%m.%Y")},
        )
    return redirect("rent:ledger", pk=lease.pk)


@require_POST
def notice_dispatch(request: HttpRequest, pk: int, rent_pk: int) -> HttpResponse:
    """Record that a person has sent the stored notice (and its copies), and how."""
    user = user_of(request)
    lease = selectors.rent_lease_get_for_user(user, pk)
    require_role(user, lease.municipality_id, selectors.RENT_WRITE)
    rent = get_object_or_404(lease.rents, pk=rent_pk)
    form = DispatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("rent:ledger", pk=lease.pk)
    try:
        actions.rent_notice_dispatch(
            actor=user,
            rent=rent,
            channel=form.cleaned_data["channel"],
            sent_on=form.cleaned_data["sent_on"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The notice is recorded as sent, with its copies."))
    return redirect("rent:ledger", pk=lease.pk)


def notice_document(request: HttpRequest, pk: int, rent_pk: int) -> HttpResponse:
    user = user_of(request)
    lease = selectors.rent_lease_get_for_user(user, pk)
    rent = lease.rents.filter(pk=rent_pk).exclude(document="").first()
    if rent is None:
        raise Http404
    log_household_reads(
        user=user, household_ids=[lease.household_id], what="rent_notice", path=request.path
    )
    return _pdf(rent)


def _pdf(rent) -> HttpResponse:  # type: ignore[no-untyped-def]
    content = rent.document.open("rb").read()
    if hashlib.sha256(content).hexdigest() != rent.document_sha256:
        msg = f"Stored rent notice {rent.pk} does not match its hash"
        raise RuntimeError(msg)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="leievarsel-{rent.pk}.pdf"'
    return response


def index_due(request: HttpRequest) -> HttpResponse:
    user, municipality = _write_municipality(request)
    due = actions.rent_index_due(municipality, timezone.localdate())
    log_household_reads(
        user=user,
        household_ids=[lease.household_id for lease in due],
        what="rent_index_due",
        path=request.path,
    )
    return render(request, "rent/index_due.html", {"leases": due})


@require_http_methods(["GET", "POST"])
def payment_upload(request: HttpRequest) -> HttpResponse:
    user, municipality = _write_municipality(request)
    form = PaymentUploadForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {
        "form": form,
        "batches": selectors.batches_for_user(user).filter(status=BatchStatus.APPLIED)[:10],
    }
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_UPLOAD_BYTES:
                raise ImportFileError(_("The file is larger than 20 MB."))
            content = upload.read()
            result = match(municipality, read_payment_file(upload.name, content))
        except ImportFileError as exc:
            form.add_error("file", str(exc))
            return render(request, "rent/upload.html", context)
        context["result"] = result
        if result.ok:
            batch = actions.payment_batch_create(
                actor=user,
                municipality=municipality,
                filename=upload.name,
                content=content,
                result=result,
            )
            context["batch"] = batch
            context["preview"] = batch.rows[:50]
        return render(request, "rent/preview.html", context)
    return render(request, "rent/upload.html", context)


@require_POST
def payment_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    batch = selectors.batch_get_for_user(user, pk)
    if batch.uploaded_by_id != user.pk:
        raise Http404
    try:
        count = actions.payment_batch_apply(actor=user, batch=batch)
    except ValidationError as error:
        messages.error(
            request, _("Nothing was booked: %(errors)s") % {"errors": " ".join(error.messages)}
        )
        return redirect("rent:payment_upload")
    messages.success(
        request,
        ngettext("%(count)s payment was booked.", "%(count)s payments were booked.", count)
        % {"count": count},
    )
    return redirect("rent:unmatched")


def unmatched(request: HttpRequest) -> HttpResponse:
    user, _municipality = _write_municipality(request)
    payments = list(selectors.unmatched_payments_for_user(user)[:500])
    return render(request, "rent/unmatched.html", {"payments": payments, "form": PlaceForm()})


@require_POST
def payment_place(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    payment = selectors.payment_get_for_user(user, pk)
    form = PlaceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the KID of the lease."))
        return redirect("rent:unmatched")
    lease = (
        selectors.leases_with_rent_for_user(user)
        .filter(municipality_id=payment.municipality_id, payment_kid=form.cleaned_data["kid"])
        .first()
    )
    if lease is None:
        messages.error(request, _("No lease has this KID."))
        return redirect("rent:unmatched")
    try:
        actions.payment_place(
            actor=user, payment=payment, lease=lease, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The payment is placed on the lease."))
    return redirect("rent:unmatched")


@require_http_methods(["GET", "POST"])
def vacancy(request: HttpRequest) -> HttpResponse:
    user, _municipality = _write_municipality(request)
    ids = municipality_ids(user, selectors.RENT_WRITE)
    form = VacancyForm(request.POST or None, municipality_ids=ids)
    if request.method == "POST" and form.is_valid():
        dwelling = (
            Dwelling.objects.filter(
                pk=form.cleaned_data["dwelling"], building__municipality_id__in=ids
            )
            .select_related("building__municipality")
            .first()
        )
        if dwelling is None:
            form.add_error("dwelling", _("No dwelling has this number."))
        else:
            try:
                actions.vacancy_rent_bill(
                    actor=user,
                    dwelling=dwelling,
                    month=form.cleaned_data["month"],
                    cause=form.cleaned_data["cause"],
                    unit=form.cleaned_data["unit"],
                    days=form.cleaned_data["days"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The vacancy rent is billed."))
                return redirect("rent:vacancy")
    claims = (
        RentClaim.objects.filter(municipality_id__in=ids, kind=ClaimKind.VACANCY)
        .select_related("dwelling", "dwelling__building", "billed_unit")
        .order_by("-month", "pk")[:200]
    )
    return render(request, "rent/vacancy.html", {"form": form, "claims": claims})


def ledger_export(request: HttpRequest) -> HttpResponse:
    """Arrears as of a date as CSV for collections (one row per lease in arrears)."""
    user, municipality = _write_municipality(request)
    as_of = _as_of(request)
    found = selectors.arrears_as_of(municipality=municipality, as_of=as_of)
    leases = Lease.objects.filter(pk__in=found).select_related("household", "dwelling__building")
    log_household_reads(
        user=user,
        household_ids=[lease.household_id for lease in leases],
        what="rent_export",
        path=request.get_full_path(),
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="restanser-{as_of}.csv"'
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        ["leieforhold", "KID", "husstand", "adresse", "restanse", "måneder", "eldste forfall"]
    )
    for lease in sorted(leases, key=lambda lease: -found[lease.pk].amount):
        arrears = found[lease.pk]
        writer.writerow(
            [
                lease.pk,
                lease.payment_kid,
                lease.household.name,
                f"{lease.dwelling.building.address} {lease.dwelling.number}",
                arrears.amount,
                arrears.months_unpaid,
                arrears.oldest_unpaid_due.isoformat() if arrears.oldest_unpaid_due else "",
            ]
        )
    return response


@login_required(login_url="portal:login")
def my_ledger(request: HttpRequest, pk: int) -> HttpResponse:
    """The household's own ledger in Min side: claims, payments and balance by month."""
    user = resident_of(request)
    lease = my_lease(user, pk)
    if lease.status not in {LeaseStatus.ACTIVE, LeaseStatus.ENDED}:
        raise Http404
    return render(
        request,
        "rent/my_ledger.html",
        {
            "lease": lease,
            "ledger": selectors.ledger_for_lease(lease),
            "rents": lease.rents.exclude(
                reason=RentReason.INDEX, dispatched_at__isnull=True
            ).order_by("-valid_from"),
        },
    )

"""The household's rent, claims, payments and deductions in the art. 15 export. Imported by
``husly.audit.export.autodiscover``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from husly.audit.export import Scope, Section, plain, register
from husly.people.models import Person
from husly.rent.models import ClaimKind, DirectDeduction, Payment, Rent, RentClaim


@register("rent", order=72, models=[Rent, RentClaim, Payment, DirectDeduction])
def export_rent(person: Person, scope: Scope) -> Section | None:
    households = scope.household_ids
    rows = [
        {
            "date": plain(r.valid_from),
            "what": _("Rent: %(reason)s") % {"reason": r.get_reason_display()},
            "amount": r.amount,
            "detail": _("notice sent %(date)s") % {"date": plain(r.notice_sent_on)}
            if r.notice_sent_on
            else "",
        }
        for r in Rent.objects.filter(lease__household_id__in=households).order_by("valid_from")
    ]
    rows += [
        {
            "date": plain(c.due_date),
            "what": c.get_kind_display(),
            "amount": c.amount,
            "detail": c.billed_unit.name if c.billed_unit else "",
        }
        for c in RentClaim.objects.filter(lease__household_id__in=households)
        .exclude(kind=ClaimKind.VACANCY)
        .select_related("billed_unit")
        .order_by("due_date", "pk")
    ]
    rows += [
        {
            "date": plain(p.paid_on),
            "what": _("Payment: %(source)s") % {"source": p.get_source_display()},
            "amount": str(p.amount),
            "detail": p.kid,
        }
        for p in Payment.objects.filter(lease__household_id__in=households).order_by("paid_on")
    ]
    rows += [
        {
            "date": plain(d.starts_on),
            "what": d.get_source_display(),
            "amount": "",
            "detail": d.unit.name,
        }
        for d in DirectDeduction.objects.filter(lease__household_id__in=households).select_related(
            "unit"
        )
    ]
    if not rows:
        return None
    return Section(
        key="rent",
        title=_("Rent, claims and payments"),
        fields=[
            ("date", _("Date")),
            ("what", _("What")),
            ("amount", _("Amount (NOK)")),
            ("detail", _("Details")),
        ],
        rows=rows,
    )

"""The lease list and the dwelling list read plain rows (values, each row's link from the
pattern reversed once, labels looked up once) instead of models (issue 17): the page must be
the markup the templates gave from the models, escaping included."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.core.paginator import Paginator
from django.template import engines
from django.test import Client
from django.urls import reverse
from django.utils import translation

from husly.allocation.models import Offer, OfferStatus
from husly.housing.forms import DwellingFilterForm
from husly.housing.models import Dwelling
from husly.tenancy import actions
from husly.tenancy.models import PENDING_LEASE, Lease, LeaseStatus, RenewalApplication
from tests.allocation.helpers import lease_in_force, make_dwelling
from tests.allocation.test_tenancy import _accepted, _terms
from tests.factories import DwellingFactory

pytestmark = pytest.mark.django_db

BEFORE = Path(__file__).parent / "markup_before"
"""The content blocks of ``tenancy/lease_list.html`` and ``housing/dwelling_list.html`` as they
were when they read models, kept to compare with."""


def _before(name: str, context: dict[str, Any]) -> str:
    with translation.override("nb"):
        return engines["django"].from_string((BEFORE / name).read_text()).render(context)


def _page(user, url: str) -> str:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_lease_list_is_the_markup_the_template_gave(
    sara, geir, eirik, raelingen, routing
) -> None:
    def active(name: str) -> Lease:
        offer = _accepted(sara, geir, raelingen, make_dwelling(raelingen, eirik), name=name)
        lease = actions.lease_create(actor=sara, offer=offer, data=_terms(dt.date(2026, 4, 1)))
        return lease_in_force(sara, lease)  # type: ignore[no-any-return]

    with time_machine.travel(dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC), tick=False):
        _accepted(sara, geir, raelingen, make_dwelling(raelingen, eirik), name="<Ola & 'Kari'>")
        for name in ("Bø", "Aas & Co"):
            actions.lease_create(
                actor=sara,
                offer=_accepted(sara, geir, raelingen, make_dwelling(raelingen, eirik), name=name),
                data=_terms(dt.date(2026, 4, 1)),
            )
        active("Dahl")
        renewing = active("Eik")
        indefinite = active("Fjell")
    # The leases being signed in each state the page words differently, and one lease without
    # an end (written as records: the page only reads them).
    sent = list(Lease.objects.filter(status=LeaseStatus.DRAFT).order_by("pk"))
    Lease.objects.filter(pk=sent[0].pk).update(
        status=LeaseStatus.SENT, tenant_signed_on=dt.date(2026, 3, 6)
    )
    Lease.objects.filter(pk=sent[1].pk).update(status=LeaseStatus.SIGNED)
    Lease.objects.filter(pk=indefinite.pk).update(end_date=None)
    call_command("renewal_reminders", "--today", "2028-10-01", stdout=io.StringIO())
    with time_machine.travel(dt.datetime(2028, 10, 3, 10, tzinfo=dt.UTC), tick=False):
        actions.renewal_apply(actor=sara, lease=renewing)

    related = ("dwelling__building", "household")
    leases = Lease.objects.select_related(*related)
    in_force = leases.filter(status=LeaseStatus.ACTIVE)
    page = Paginator(in_force.order_by("end_date", "pk"), 25).get_page(None)
    context = {
        "leases": list(page.object_list),
        "reminded": list(
            in_force.filter(reminder__isnull=False, renewals__isnull=True).select_related(
                "reminder"
            )
        ),
        "renewals": list(
            RenewalApplication.objects.filter(lease__in=in_force, decision__isnull=True)
            .select_related("lease__household", "case")
            .order_by("pk")
        ),
        "accepted": list(
            Offer.objects.filter(status=OfferStatus.ACCEPTED).select_related(
                "entry__household", "dwelling__building"
            )
        ),
        "pending": list(leases.filter(status__in=PENDING_LEASE).order_by("start_date", "pk")),
        "page": page,
        "querystring": "",
        "can_edit_terms": True,
    }
    assert all(context[key] for key in ("reminded", "renewals", "accepted", "pending"))
    before = _before("lease_list.html", context)
    html = _page(eirik, reverse("tenancy:lease_list"))
    assert before in html
    for text in ("&lt;Ola &amp; &#x27;Kari&#x27;&gt;", "Aas &amp; Co", "Signert av leietaker"):
        assert text in before


def test_the_dwelling_list_is_the_markup_the_template_gave(eirik, raelingen) -> None:
    DwellingFactory.create_batch(2, building__municipality=raelingen)
    DwellingFactory(
        building__municipality=raelingen,
        building__address="Storgata <1> & 'Co'",
        wheelchair_accessible=True,
        category="with_services",
        status="maintenance",
        area_m2=Decimal("55.5"),
        floor=3,
        rooms=4,
        monthly_rent=12500,
    )
    dwellings = Dwelling.objects.filter(building__municipality=raelingen)
    context = {
        "page": Paginator(dwellings.select_related("building"), 25).get_page(None),
        "filter_form": DwellingFilterForm(None),
        "querystring": "",
        "can_create": True,
    }
    before = _before("dwelling_list.html", context)
    assert before in _page(eirik, reverse("housing:dwelling_list"))
    for text in ("Storgata &lt;1&gt; &amp; &#x27;Co&#x27;", "55,5 m²", "(rullestol)", "12 500"):
        assert text in before.replace("\xa0", " ")

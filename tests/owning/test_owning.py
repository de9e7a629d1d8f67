"""Towards owning: the screening routes, the sale to the tenant, rent-to-own, access per role,
reads logged, export and Min side (issue 14, "Towards owning")."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from husly.audit.export import Scope, build_export
from husly.audit.models import AccessEvent
from husly.housing.models import Dwelling
from husly.owning import actions, selectors
from husly.owning.hooks import household_anonymised, owning_in_use
from husly.owning.models import OptionStatus, OwningFact, SaleStatus
from husly.portal.auth import resident_user
from husly.rules import ownership
from husly.tenancy.models import Lease
from tests.conftest import _user
from tests.owning.helpers import ABLE, AGREEMENT, bare_objects, tenant_lease

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- the pure engine ----------------------------------------------------------------------------


def _facts(**changes: Any) -> ownership.OwnershipFacts:
    base = {
        "wishes_to_own": True,
        "education_first": False,
        "debt_in_collection": False,
        "income_stable": True,
        "can_service_loan": True,
        "largest_loan": 1_900_000.0,
        "savings": 50_000.0,
        "grant_expected": 50_000.0,
        "price_needed": 2_000_000.0,
        "right_to_municipal_dwelling": True,
    }
    return ownership.OwnershipFacts(**{**base, **changes})


def test_the_engine_routes_each_way_in_order() -> None:
    on = dt.date(2026, 1, 31)
    assert ownership.assess_ownership(_facts(), on).route == "own_now"
    short = ownership.assess_ownership(_facts(largest_loan=1_000_000.0), on)
    assert (short.route, short.financing_gap) == ("rent_to_own", 900_000)
    assert "loan_short" in short.reasons
    no_right = ownership.assess_ownership(
        _facts(largest_loan=0.0, right_to_municipal_dwelling=False), on
    )
    assert no_right.route == "look_again"
    assert no_right.look_again_on == dt.date(2027, 1, 31)
    # A wish not to own, education first and debt in collection each stop owning now.
    for blocker in ("wishes_to_own", "education_first", "debt_in_collection"):
        value = blocker != "wishes_to_own"
        result = ownership.assess_ownership(_facts(**{blocker: value}), on)
        assert result.route == "look_again", blocker
    assert ownership.assess_ownership(_facts(income_stable=False), on).route == "look_again"


def test_the_engine_is_vectorised_and_refuses_negative_amounts() -> None:
    import numpy as np

    batch = ownership.OwnershipBatch(
        wishes_to_own=np.array([True, True, False]),
        education_first=np.array([False, False, False]),
        debt_in_collection=np.array([False, False, False]),
        income_stable=np.array([True, True, True]),
        can_service_loan=np.array([True, False, True]),
        largest_loan=np.array([2e6, 0.0, 2e6]),
        savings=np.zeros(3),
        grant_expected=np.zeros(3),
        price_needed=np.full(3, 1.5e6),
        right_to_municipal_dwelling=np.array([True, True, True]),
    )
    codes, _gap = ownership.route_many(batch)
    assert [ownership.ROUTES[c] for c in codes] == ["own_now", "rent_to_own", "look_again"]
    with pytest.raises(ValueError):
        ownership.route_many(
            ownership.OwnershipBatch(**{**batch.__dict__, "savings": np.array([-1.0, 0, 0])})
        )


def test_cost_rent_offer_price_and_option_window() -> None:
    # (6 000 + 24 000 + 18 000 + 2 500 000 * 0.8 * 0.045) / 12 = 11 500
    assert (
        ownership.cost_based_rent(
            purchase_price=2_500_000,
            basic_loan_share=0.8,
            interest_rate=0.045,
            management_yearly=6000,
            operation_yearly=24000,
            maintenance_yearly=18000,
        )
        == 11_500
    )
    assert ownership.sale_offer_price(2_100_000, 50_000) == 2_050_000
    assert ownership.sale_offer_price(30_000, 50_000) == 0
    assert ownership.option_window_opens(dt.date(2022, 3, 1), 5) == dt.date(2026, 3, 1)


# --- screening --------------------------------------------------------------------------------


def test_screening_runs_the_start_loan_calculation_and_routes(sara, raelingen) -> None:  # type: ignore[no-untyped-def]
    lease = tenant_lease(raelingen, sara)
    able = actions.ownership_assess(actor=sara, household=lease.household, lease=lease, data=ABLE)
    assert able.route == "own_now"
    assert able.can_service_loan and able.largest_loan >= 1_900_000
    assert able.calculation["rule"] == "start_loan"  # the existing calculation, stored
    poor = actions.ownership_assess(
        actor=sara,
        household=lease.household,
        lease=lease,
        data={**ABLE, "net_income_monthly": 18000},
    )
    assert not poor.can_service_loan
    assert poor.route == "rent_to_own"
    studying = actions.ownership_assess(
        actor=sara, household=lease.household, lease=lease, data={**ABLE, "education_first": True}
    )
    assert studying.route == "look_again" and studying.look_again_on is not None


def test_the_screening_list_shows_every_tenant_with_the_latest_screening(  # type: ignore[no-untyped-def]
    sara, lise, raelingen
) -> None:
    screened = tenant_lease(raelingen, sara, "Alfa")
    tenant_lease(raelingen, sara, "Beta", end_date=TODAY + dt.timedelta(days=300))
    actions.ownership_assess(
        actor=sara, household=screened.household, lease=screened, data={**ABLE, "savings": 0}
    )
    latest = actions.ownership_assess(
        actor=sara, household=screened.household, lease=screened, data=ABLE
    )
    rows = selectors.screening_list(lise)
    assert [r["lease"].household.name for r in rows] == ["Alfa", "Beta"]  # open-ended first
    assert rows[0]["assessment"] == latest and rows[1]["assessment"] is None
    assert [
        r["lease"].household.name for r in selectors.screening_list(lise, open_ended_only=True)
    ] == ["Alfa"]
    response = _client(lise).get(reverse("owning:overview"))
    assert response.status_code == 200
    assert "Beta" in response.content.decode() and "Ikke vurdert" in response.content.decode()
    assert AccessEvent.objects.filter(actor=lise, what="owning_screening_list").count() == 2


# --- the sale ---------------------------------------------------------------------------------


def test_a_sale_is_offered_at_valuation_less_the_dated_discount_and_recorded(  # type: ignore[no-untyped-def]
    sara, raelingen
) -> None:
    objects = bare_objects(raelingen, sara)
    sale = objects["sale"]
    assert (sale.discount, sale.offer_price) == (50_000, 2_050_000)
    with pytest.raises(ValidationError):  # one open offer per lease
        actions.municipal_sale_offer(
            actor=sara,
            lease=objects["owning_lease"],
            data={"valuation": 1, "valued_by": "X", "valued_on": TODAY},
        )
    with pytest.raises(ValidationError, match="forkjøpsrett"):
        actions.municipal_sale_record(
            actor=sara, sale=sale, sold_on=TODAY, pre_emption="pending", start_loan=1, grant=0
        )
    actions.municipal_sale_record(
        actor=sara,
        sale=sale,
        sold_on=TODAY,
        pre_emption="not_tried",
        start_loan=1_900_000,
        grant=100_000,
    )
    sale.refresh_from_db()
    lease = Lease.objects.get(pk=objects["owning_lease"].pk)
    assert sale.status == SaleStatus.SOLD
    assert (lease.status, lease.end_reason, lease.ended_on) == (
        "ended",
        "purchased",
        TODAY - dt.timedelta(days=1),
    )
    assert Dwelling.objects.get(pk=sale.dwelling_id).status == "sold"
    fact = OwningFact.objects.get()
    assert (fact.how, fact.start_loan, fact.grant) == ("bought_municipal", 1_900_000, 100_000)
    with pytest.raises(ValidationError):
        actions.municipal_sale_decline(actor=sara, sale=sale, answered_on=TODAY)


def test_a_declined_offer_leaves_the_lease(sara, raelingen) -> None:  # type: ignore[no-untyped-def]
    objects = bare_objects(raelingen, sara)
    actions.municipal_sale_decline(actor=sara, sale=objects["sale"], answered_on=TODAY)
    assert Lease.objects.get(pk=objects["owning_lease"].pk).status == "active"
    assert not OwningFact.objects.exists()


# --- rent to own ------------------------------------------------------------------------------


def test_rent_to_own_rent_reminders_and_the_option(sara, raelingen) -> None:  # type: ignore[no-untyped-def]
    objects = bare_objects(raelingen, sara)
    agreement = objects["rent_to_own"]
    assert agreement.monthly_rent == 11_500 and agreement.option_price == 2_500_000
    assert agreement.option_opens_on == dt.date(2026, 3, 1)
    later = tenant_lease(raelingen, sara, "Senere")
    far = actions.rent_to_own_create(
        actor=sara, lease=later, data={**AGREEMENT, "purchased_on": TODAY}
    )
    due = selectors.option_windows_due(sara, today=TODAY, months=6)
    assert agreement in due and far not in due
    with pytest.raises(ValidationError, match="brukes fra"):
        actions.rent_to_own_decide(actor=sara, agreement=far, exercised=True, decided_on=TODAY)
    with pytest.raises(ValidationError, match="100"):
        actions.rent_to_own_create(
            actor=sara,
            lease=tenant_lease(raelingen, sara, "X"),
            data={**AGREEMENT, "grant_percent": 30},
        )
    actions.rent_to_own_decide(
        actor=sara, agreement=agreement, exercised=True, decided_on=TODAY, start_loan=2_000_000
    )
    agreement.refresh_from_db()
    assert agreement.status == OptionStatus.EXERCISED
    assert Dwelling.objects.get(pk=agreement.dwelling_id).status == "sold"
    assert OwningFact.objects.get().how == "rent_to_own"
    actions.rent_to_own_decide(actor=sara, agreement=far, exercised=False, decided_on=TODAY)
    assert OwningFact.objects.count() == 1
    figures = selectors.owning_figures(sara)
    assert figures[0]["rent_to_own"] == 1 and figures[0]["total"] == 1


def test_a_start_loan_purchase_is_stored_only_for_a_household_able_to_own(sara, raelingen) -> None:  # type: ignore[no-untyped-def]
    objects = bare_objects(raelingen, sara)
    actions.start_loan_purchase_record(
        actor=sara, assessment=objects["assessment"], bought_on=TODAY, start_loan=1_800_000
    )
    assert OwningFact.objects.get().how == "start_loan"
    lease = objects["owning_lease"]
    poor = actions.ownership_assess(
        actor=sara, household=lease.household, data={**ABLE, "wishes_to_own": False}
    )
    with pytest.raises(ValidationError):
        actions.start_loan_purchase_record(
            actor=sara, assessment=poor, bought_on=TODAY, start_loan=1
        )


# --- access per role --------------------------------------------------------------------------


def test_pages_per_role_in_one_municipality(  # type: ignore[no-untyped-def]
    sara, geir, eirik, lise, arne, olga, raelingen, housing_office
) -> None:
    objects = bare_objects(raelingen, sara)
    frida = _user("frida", housing_office, "follow_up")
    pages = {
        "overview": reverse("owning:overview"),
        "figures": reverse("owning:figures"),
        "agreements": reverse("owning:agreement_list"),
        "assess": reverse("owning:assess", args=[objects["owning_lease"].pk]),
        "assessment": reverse("owning:assessment_detail", args=[objects["assessment"].pk]),
        "sale_offer": reverse("owning:sale_offer", args=[objects["owning_lease"].pk]),
        "sale": reverse("owning:sale_detail", args=[objects["sale"].pk]),
        "agreement": reverse("owning:agreement_detail", args=[objects["rent_to_own"].pk]),
        "agreement_create": reverse(
            "owning:agreement_create", args=[objects["agreement_lease"].pk]
        ),
    }
    everything = set(pages)
    contract = everything - {"assess"}
    expected = {
        sara: everything,
        geir: everything,
        eirik: contract,
        lise: {"overview", "figures"},
        arne: set(),
        frida: set(),
        olga: {"overview", "figures", "agreements"},  # her own municipality's, empty
    }
    for user, allowed in expected.items():
        client = _client(user)
        for key, url in pages.items():
            status = client.get(url).status_code
            assert status == (200 if key in allowed else 404), (user.username, key, status)
    assert "Eiesen" not in _client(olga).get(pages["overview"]).content.decode()


def test_actions_refuse_roles_without_the_right(eirik, lise, olga, raelingen, sara) -> None:  # type: ignore[no-untyped-def]
    objects = bare_objects(raelingen, sara)
    lease = objects["owning_lease"]
    for user in (eirik, lise, olga):  # screening: caseworkers and approvers only
        with pytest.raises(PermissionDenied):
            actions.ownership_assess(actor=user, household=lease.household, data=ABLE)
    for user in (lise, olga):
        with pytest.raises(PermissionDenied):
            actions.municipal_sale_decline(actor=user, sale=objects["sale"], answered_on=TODAY)
        with pytest.raises(PermissionDenied):
            actions.rent_to_own_decide(
                actor=user, agreement=objects["rent_to_own"], exercised=False, decided_on=TODAY
            )
    # The property unit handles sales and agreements.
    actions.municipal_sale_decline(actor=eirik, sale=objects["sale"], answered_on=TODAY)


def test_bad_input_on_the_pages_gives_norwegian_errors_and_writes_nothing(sara, raelingen) -> None:  # type: ignore[no-untyped-def]
    objects = bare_objects(raelingen, sara)
    client = _client(sara)
    client.cookies["django_language"] = "nb"
    response = client.post(
        reverse("owning:sale_step", args=[objects["sale"].pk, "solgt"]),
        {
            "sold_on": TODAY.isoformat(),
            "pre_emption": "pending",
            "start_loan": 0,
            "grant": 0,
            "private_bank_loan": 0,
        },
        HTTP_ACCEPT_LANGUAGE="nb",
    )
    assert response.status_code == 400
    assert "forkjøps" in response.content.decode()
    assert Lease.objects.get(pk=objects["owning_lease"].pk).status == "active"


# --- export, retention, Min side --------------------------------------------------------------


def test_export_retention_and_min_side(sara, raelingen) -> None:  # type: ignore[no-untyped-def]
    objects = bare_objects(raelingen, sara)
    household = objects["owning_lease"].household
    applicant = household.members.get(relation="applicant").person
    export = build_export(applicant, Scope(user=sara, household_ids=frozenset({household.pk})))
    section = next(s for s in export["sections"] if s.key == "owning")
    rows = section.rows
    assert len(rows) == 2  # the screening and the sale offer
    assert owning_in_use({applicant.pk}) == {applicant.pk}
    assert household_anonymised(household.pk) == {"ownership_assessments": 1}
    from tests.factories import synthetic_number

    applicant.national_id = synthetic_number(dt.date(1988, 1, 1))
    applicant.save()
    client = Client()
    client.force_login(resident_user(request=None, national_id=applicant.national_id))
    page = client.get(reverse("portal:home")).content.decode()
    assert "2 050 000" in page.replace("\xa0", " ") or "2050000" in page


# --- the renewal runs the screening -----------------------------------------------------------


def test_the_renewal_takes_its_owning_alternative_from_the_screening(  # type: ignore[no-untyped-def]
    sara, eirik, raelingen, routing
) -> None:
    from husly.tenancy import actions as tenancy
    from husly.tenancy.forms import AlternativesForm

    lease = tenant_lease(raelingen, sara, "Fornyesen", end_date=TODAY + dt.timedelta(days=90))
    renewal = tenancy.renewal_apply(actor=eirik, lease=lease)
    choices = {c for c, _label in AlternativesForm().fields["alternative"].choices}
    assert "start_loan" not in choices and "rent_to_own" not in choices
    client = _client(sara)
    page = client.get(reverse("tenancy:lease_detail", args=[lease.pk])).content.decode()
    assert f"/eie/vurder/{lease.pk}/?renewal={renewal.pk}" in page
    response = client.post(
        reverse("owning:assess", args=[lease.pk]) + f"?renewal={renewal.pk}",
        {**{k: v for k, v in ABLE.items() if v is not False}},
    )
    assert response.status_code == 302
    renewal.refresh_from_db()
    assert renewal.alternative == "start_loan"
    assert "Kan eie nå" in renewal.alternative_note
    assert renewal.ownership_assessments.get().route == "own_now"
    page = client.get(reverse("tenancy:lease_detail", args=[lease.pk])).content.decode()
    assert "Kan eie nå" in page
    # A later screening that says rent and look again clears the owning alternative.
    actions.ownership_assess(
        actor=sara,
        household=lease.household,
        lease=lease,
        renewal=renewal,
        data={**ABLE, "wishes_to_own": False},
    )
    renewal.refresh_from_db()
    assert renewal.alternative == ""

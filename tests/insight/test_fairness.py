"""Fairness monitoring: intervals computed by hand, group definitions, small-count
suppression, the figures read from the records, and who may see them."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.test import Client
from django.urls import reverse

from husly.insight import fairness
from husly.insight.suppression import suppressed
from husly.jobs.actions import export_make_run
from husly.jobs.models import ExportFile
from tests.conftest import _user
from tests.insight.fairness_records import Q2_2025, seed_records

# --- pure: intervals by hand ---------------------------------------------------------------


def test_wilson_interval_matches_the_hand_computed_value() -> None:
    # 8 of 10: p = 0.8, z = 1.96; centre = (0.8 + 0.19207) / 1.38415 = 0.71676,
    # half = 1.96 / 1.38415 * sqrt(0.016 + 0.0096037) = 0.22659 -> (0.4902, 0.9433)
    e = fairness.wilson(8, 10)
    assert e.estimate == 0.8
    assert e.low == pytest.approx(0.4902, abs=1e-4)
    assert e.high == pytest.approx(0.9433, abs=1e-4)
    # 0 of 5: the interval starts at 0 and is not a point (unlike the normal approximation)
    zero = fairness.wilson(0, 5)
    assert zero.low == pytest.approx(0.0, abs=1e-12)
    assert zero.high == pytest.approx(1.96**2 / (5 + 1.96**2), abs=1e-3)  # 0.4345
    assert fairness.wilson(0, 0).estimate is None


def test_median_interval_by_order_statistics() -> None:
    # n = 10: P(B <= 1) = 11/1024 = 0.0107 <= 0.025 < P(B <= 2) = 56/1024, so j = 2:
    # the 2nd smallest and 2nd largest values, coverage 1 - 2 * 11/1024 = 97.9 %
    values = np.array([7.0, 1, 9, 3, 5, 2, 10, 4, 8, 6])
    e = fairness.median_interval(values)
    assert (e.estimate, e.low, e.high) == (5.5, 2.0, 9.0)
    # n = 6: P(B <= 0) = 1/64 <= 0.025, j = 1: the smallest and the largest
    six = fairness.median_interval(np.array([10.0, 20, 30, 40, 50, 60]))
    assert (six.estimate, six.low, six.high) == (35.0, 10.0, 60.0)
    # n = 5: 1/32 > 0.025, no interval reaches 95 %
    five = fairness.median_interval(np.array([1.0, 2, 3, 4, 5]))
    assert (five.estimate, five.low, five.high) == (3.0, None, None)


def test_mean_interval_by_hand() -> None:
    # 1, 2, 3, 4: mean 2.5, s = 1.29099, se = 0.645497, half = 1.959964 * se = 1.265151
    e = fairness.mean_interval(np.array([1.0, 2, 3, 4]))
    assert e.estimate == 2.5
    assert e.low == pytest.approx(2.5 - 1.265151, abs=1e-5)
    assert e.high == pytest.approx(2.5 + 1.265151, abs=1e-5)
    assert fairness.mean_interval(np.array([3.0])).low is None


def test_small_counts_are_suppressed_with_their_estimates() -> None:
    assert suppressed(0) == 0
    assert suppressed(1) == "<5"
    assert suppressed(4) == "<5"
    assert suppressed(5) == 5
    shown = fairness.wilson(3, 4).shown()
    assert shown == {
        "n": "<5",
        "hits": "<5",
        "suppressed": True,
        "estimate": None,
        "low": None,
        "high": None,
    }
    kept = fairness.wilson(2, 5).shown()
    assert kept["n"] == 5 and kept["hits"] == "<5" and kept["estimate"] == 0.4


def test_groups_on_the_day_of_the_event() -> None:
    born = np.array(["1990-06-01", "2008-06-02", "2000-06-01", "1980-01-01"], dtype="datetime64[D]")
    households = fairness.households_from(
        member_household=np.array([1, 1, 2, 3]),
        member_born=born,
        member_is_applicant=np.array([True, False, True, True]),
        member_protection=np.array([False, False, False, True]),
        settled=np.array([4]),
        application_household=np.array([1, 2, 2]),
        application_disability=np.array([0, 0, 1], dtype=np.int8),
    )
    events = fairness.Events(
        household=np.array([1, 1, 2, 2, 3, 4]),
        on=np.array(
            ["2026-06-01", "2026-06-02", "2025-05-31", "2026-06-01", "2026-01-01", "2026-01-01"],
            dtype="datetime64[D]",
        ),
        value=np.ones(6),
        district=np.array(["Nordby", "", "", "Nordby", "", ""], dtype=object),
    )
    masks = fairness.group_masks(households, events)
    # the child turns 18 on 2 June 2026: a family with children the day before, not on the day
    assert masks["children"].tolist() == [True, False, False, False, False, False]
    # the applicant born 1 June 2000 is 24 on 31 May 2025 and 26 on 1 June 2026
    assert masks["young"].tolist() == [False, False, True, False, False, False]
    assert masks["refugees"].tolist() == [False, False, False, False, True, True]
    assert masks["disability"].tolist() == [False, False, True, True, False, False]
    assert masks["disability_unknown"].tolist() == [False, False, False, False, True, True]
    assert masks["district:Nordby"].tolist() == [True, False, False, True, False, False]


# --- from the records -------------------------------------------------------------------------


@pytest.fixture
def records(raelingen, sara) -> None:  # type: ignore[no-untyped-def]
    seed_records(raelingen, sara)


def test_the_report_counts_the_records_by_group(records, raelingen) -> None:  # type: ignore[no-untyped-def]
    from husly.insight.fairness_selectors import Period, fairness_report

    report = fairness_report(raelingen, Period(2025, 2))
    approval = report["measures"]["approval"]
    assert approval["children"]["n"] == 10 and approval["children"]["hits"] == 8
    assert approval["children"]["low"] == pytest.approx(0.4902, abs=1e-4)
    assert approval["all"]["n"] == 13 and approval["all"]["estimate"] == pytest.approx(8 / 13)
    assert approval["refugees"] == {
        "n": "<5",
        "hits": 0,
        "suppressed": True,
        "estimate": None,
        "low": None,
        "high": None,
    }
    assert approval["young"]["n"] == 0 and approval["young"]["estimate"] is None
    wait = report["measures"]["wait"]["children"]
    assert (wait["n"], wait["estimate"], wait["low"], wait["high"]) == (6, 35.0, 10.0, 60.0)
    offers = report["measures"]["offers"]["all"]
    assert offers["estimate"] == 0.0  # housed without an offer recorded in Husly
    assert report["measures"]["temporary"]["all"]["n"] == 0
    whole = fairness_report(raelingen, Period(2025, 3, whole_year=True))
    assert whole["measures"]["approval"]["all"]["n"] == 14  # Q4 2024 to Q3 2025


def test_the_leader_reads_the_page_and_the_pdf(records, lise, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    client = Client()
    client.force_login(lise)
    page = client.get(reverse("insight:fairness"), {"kvartal": Q2_2025})
    assert page.status_code == 200
    body = page.content.decode()
    assert "49–94" in body  # families with children: 80 % (49–94)
    assert "&lt;5" in body  # the refugees' three refusals
    assert "10–60" in body  # the median wait's interval
    assert "Nordmann" not in body  # aggregates only
    # The PDF is made on the job queue (ADR 0034): asked for, made, downloaded by the leader.
    asked = client.post(reverse("insight:fairness_pdf"), {"kvartal": Q2_2025})
    assert asked.status_code == 302
    made = ExportFile.objects.get(requested_by=lise)
    assert made.params["period"] == Q2_2025
    export_make_run(export_id=made.pk)
    pdf = client.get(reverse("jobs:export_download", args=[made.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert f"-{Q2_2025[:4]}-K2.pdf" in pdf["Content-Disposition"]


@pytest.mark.parametrize("role", ["caseworker", "approver", "allocation_member", "administrator"])
def test_only_leaders_see_fairness(records, housing_office, role) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(_user(f"x{role}", housing_office, role))
    assert client.get(reverse("insight:fairness")).status_code == 404
    assert client.post(reverse("insight:fairness_pdf")).status_code == 404


def test_a_leader_elsewhere_sees_only_their_own(records, lorenskog) -> None:  # type: ignore[no-untyped-def]
    from husly.organisation.models import Unit

    unit = Unit.objects.create(municipality=lorenskog, name="Ledelsen", kind="housing_office")
    client = Client()
    client.force_login(_user("lars", unit, "leader"))
    body = client.get(reverse("insight:fairness"), {"kvartal": Q2_2025}).content.decode()
    assert "Lørenskog" in body and "49–94" not in body


def test_the_period_falls_back_to_the_last_complete_quarter() -> None:
    from husly.insight.fairness_selectors import Period

    today = dt.date(2026, 12, 3)
    assert Period.parse("2026-4", today) == Period(2026, 3)  # not over yet
    assert Period.parse("nonsense", today) == Period(2026, 3)
    assert Period.parse("2026-1", dt.date(2026, 2, 1)) == Period(2025, 4)
    p = Period(2025, 4, whole_year=True)
    assert (p.start, p.end) == (dt.date(2025, 1, 1), dt.date(2026, 1, 1))

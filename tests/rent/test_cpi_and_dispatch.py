"""SSB table 03013 imported as confirmed index values (CSV and JSON-stat 2.0, all or nothing);
a rent notice on unconfirmed values cannot be sent; notices and arrears letters go out only
when a person records how they were sent, shown to staff and in Min side."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from husly.audit.models import ChangeEvent
from husly.portal.auth import resident_user
from husly.rent import actions, cpi
from husly.rent.models import ConsumerPriceIndex, Rent, RentClaim
from tests.rent.helpers import active_lease

pytestmark = pytest.mark.django_db
D = dt.date

CSV_LONG = (
    '"03013: Konsumprisindeks, etter konsumgruppe, måned og statistikkvariabel"\n'
    "\n"
    '"konsumgruppe";"måned";"statistikkvariabel";"03013: Konsumprisindeks"\n'
    '"Totalindeks";"2025M09";"Konsumprisindeks (2015=100)";"139,8"\n'
    '"Totalindeks";"2025M09";"Månedsendring (prosent)";"0,3"\n'
    '"Totalindeks";"2026M10";"Konsumprisindeks (2015=100)";"144,2"\n'
    '"Totalindeks";"2026M10";"Månedsendring (prosent)";"0,4"\n'
    '"Totalindeks";"2026M11";"Konsumprisindeks (2015=100)";".."\n'
)

CSV_WIDE = (
    '"konsumgruppe";"Konsumprisindeks (2015=100) 2025M09";"Konsumprisindeks (2015=100) 2026M10"\n'
    '"Totalindeks";139.8;144.2\n'
)


def _json_stat() -> str:
    return json.dumps(
        {
            "version": "2.0",
            "class": "dataset",
            "label": "03013: Konsumprisindeks",
            "id": ["Konsumgrp", "ContentsCode", "Tid"],
            "size": [1, 2, 2],
            "role": {"time": ["Tid"], "metric": ["ContentsCode"]},
            "dimension": {
                "Konsumgrp": {
                    "label": "konsumgruppe",
                    "category": {"index": {"TOTAL": 0}, "label": {"TOTAL": "Totalindeks"}},
                },
                "ContentsCode": {
                    "label": "statistikkvariabel",
                    "category": {
                        "index": {"KpiIndMnd": 0, "KpiMndEndr": 1},
                        "label": {
                            "KpiIndMnd": "Konsumprisindeks (2015=100)",
                            "KpiMndEndr": "Månedsendring (prosent)",
                        },
                    },
                },
                "Tid": {
                    "label": "måned",
                    "category": {"index": {"2025M09": 0, "2026M10": 1}},
                },
            },
            "value": [139.8, 144.2, 0.3, 0.4],
        }
    )


def test_csv_long_keeps_the_total_index_and_skips_months_not_published() -> None:
    found = cpi.parse(CSV_LONG.encode("cp1252"))
    assert found.ok, found.errors
    assert found.values == {D(2025, 9, 1): Decimal("139.8"), D(2026, 10, 1): Decimal("144.2")}
    assert found.base == "2015=100" and found.missing == 1


def test_csv_wide_and_json_stat_give_the_same_values() -> None:
    wide = cpi.parse(CSV_WIDE.encode())
    stat = cpi.parse(_json_stat().encode())
    assert wide.ok and stat.ok, (wide.errors, stat.errors)
    assert (
        wide.values
        == stat.values
        == {
            D(2025, 9, 1): Decimal("139.8"),
            D(2026, 10, 1): Decimal("144.2"),
        }
    )
    assert stat.base == "2015=100"


def test_bad_files_are_refused_with_their_lines() -> None:
    bad = cpi.parse(
        b'"konsumgruppe";"m\xc3\xa5ned";"KPI"\n"Totalindeks";"2025M09";"abc"\n'
        b'"Totalindeks";"2025M10";"139,85"\n'
    )
    assert not bad.ok
    assert any("linje 2" in e and "abc" in e for e in bad.errors), bad.errors
    assert any("linje 3" in e and "én desimal" in e for e in bad.errors), bad.errors
    assert cpi.parse(b"").errors == ["Filen er tom."]
    assert "månedskoder" in cpi.parse(b'"a";"b"\n"1";"2"\n').errors[0]
    assert "JSON" in cpi.parse(b'{"class": "collection"}').errors[0]


def test_the_command_imports_all_or_nothing(tmp_path: Path) -> None:
    broken = tmp_path / "03013-feil.csv"
    broken.write_text(CSV_LONG + '"Totalindeks";"2026M12";"Konsumprisindeks (2015=100)";"x"\n')
    with pytest.raises(CommandError, match="Ingenting ble importert") as error:
        call_command("cpi_import", str(broken))
    assert "linje 9" in str(error.value)
    assert not ConsumerPriceIndex.objects.exists()

    good = tmp_path / "03013.csv"
    good.write_text(CSV_LONG, encoding="utf-8")
    call_command("cpi_import", str(good), "--dry-run")
    assert not ConsumerPriceIndex.objects.exists()
    call_command("cpi_import", str(good))
    assert ConsumerPriceIndex.objects.count() == 2
    row = ConsumerPriceIndex.objects.get(month=D(2026, 10, 1))
    assert (row.value, row.base, row.source) == (
        Decimal("144.2"),
        "2015=100",
        "SSB 03013, 03013.csv",
    )
    assert ChangeEvent.objects.filter(action="cpi_import").count() == 1
    call_command("cpi_import", str(good))  # again: nothing new
    assert ConsumerPriceIndex.objects.count() == 2
    other_base = tmp_path / "03013-2025.csv"
    other_base.write_text(CSV_LONG.replace("2015=100", "2025=100"))
    with pytest.raises(CommandError, match="basis"):
        call_command("cpi_import", str(other_base))


def _unconfirmed_notice(raelingen, eirik, household=None) -> Rent:  # type: ignore[no-untyped-def]
    lease = active_lease(raelingen, eirik, start=D(2025, 11, 1), rent=9000, household=household)
    return actions.rent_index_adjust(actor=eirik, lease=lease, notice_on=D(2026, 11, 12))


def test_a_notice_on_unconfirmed_values_is_not_sent_nor_billed(
    raelingen, eirik, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    rent = _unconfirmed_notice(raelingen, eirik)
    assert rent.index_confirmed is False and "unconfirmed" in rent.index_source
    with pytest.raises(ValidationError, match="ikke er bekreftet fra SSB"):
        actions.rent_notice_dispatch(
            actor=eirik, rent=rent, channel="post", sent_on=D(2026, 11, 12)
        )
    # Not sent, so the rent roll of the month it would take effect bills the old rent.
    actions.rent_roll_run(actor=eirik, municipality=raelingen, month=D(2027, 1, 1))
    assert RentClaim.objects.get(lease=rent.lease, month=D(2027, 1, 1)).amount == 9000

    # SSB's values imported: the notice is written again (the unsent one withdrawn) and sent.
    actions.cpi_import(
        values={D(2025, 9, 1): Decimal("139.8"), D(2026, 10, 1): Decimal("144.2")},
        base="2015=100",
        source="SSB 03013, test",
        sha256="0" * 64,
    )
    again = actions.rent_index_adjust(actor=eirik, lease=rent.lease, notice_on=D(2026, 11, 12))
    assert not Rent.objects.filter(pk=rent.pk).exists()
    assert ChangeEvent.objects.filter(action="rent_notice_withdraw").count() == 1
    assert again.index_confirmed and again.index_source == "SSB 03013"
    assert again.amount == int(Decimal(9000) * Decimal("144.2") / Decimal("139.8"))
    with pytest.raises(ValidationError, match="for sent"):
        actions.rent_notice_dispatch(
            actor=eirik, rent=again, channel="post", sent_on=D(2026, 12, 2)
        )
    with pytest.raises(ValidationError):
        actions.rent_notice_dispatch(actor=eirik, rent=again, channel="pigeon")
    sent = actions.rent_notice_dispatch(
        actor=eirik, rent=again, channel="hand", sent_on=D(2026, 11, 20)
    )
    assert sent.dispatch_channel == "hand" and sent.dispatched_by == eirik
    assert timezone.localtime(sent.dispatched_at).date() == D(2026, 11, 20)
    with pytest.raises(ValidationError, match="allerede sendt"):
        actions.rent_notice_dispatch(actor=eirik, rent=sent, channel="post")
    RentClaim.objects.all().delete()
    actions.rent_roll_run(actor=eirik, municipality=raelingen, month=D(2027, 1, 1))
    assert RentClaim.objects.get(lease=rent.lease, month=D(2027, 1, 1)).amount == again.amount


def test_pages_say_how_to_fix_and_record_the_dispatch(
    raelingen, eirik, sara, household, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    rent = _unconfirmed_notice(raelingen, eirik, household)
    client = Client()
    client.force_login(eirik)
    ledger = reverse("rent:ledger", args=[rent.lease_id])
    page = client.get(ledger).content.decode()
    assert f'id="notice-unconfirmed-{rent.pk}"' in page
    assert "cpi_import" in page and "03013" in page
    url = reverse("rent:notice_dispatch", args=[rent.lease_id, rent.pk])
    refused = client.post(url, {"channel": "post", "sent_on": "2026-11-12"}, follow=True)
    assert "ikke er bekreftet fra SSB" in refused.content.decode()
    Rent.objects.filter(pk=rent.pk).update(index_confirmed=True)  # as if written on SSB's values
    page = client.get(ledger).content.decode()
    assert f'id="notice-dispatch-{rent.pk}"' in page
    # Staff without the rent write role cannot record it.
    other = Client()
    other.force_login(sara)
    assert other.post(url, {"channel": "post", "sent_on": "2026-11-30"}).status_code == 403
    done = client.post(url, {"channel": "digital", "sent_on": "2026-11-30"}, follow=True)
    body = done.content.decode()
    rent.refresh_from_db()
    assert rent.dispatch_channel == "digital"
    assert f'id="notice-sent-{rent.pk}"' in body and "Digitalt" in body
    # The tenant sees the change and when the notice went out in Min side.
    person = household.members.get(relation="applicant").person
    me = Client()
    me.force_login(resident_user(request=None, national_id=person.national_id))
    mine = me.get(reverse("rent:my_ledger", args=[rent.lease_id])).content.decode()
    assert "varsel sendt 30.11.2026" in mine


def test_a_rent_set_before_the_index_values_husly_has_is_refused_with_a_message(
    raelingen, eirik
) -> None:  # type: ignore[no-untyped-def]
    """A lease from 2017 (before the first index value in Husly): regulating it asks for SSB's
    value for that month, with a message, not an error page."""
    lease = active_lease(raelingen, eirik, start=D(2017, 6, 1), rent=7000)
    with pytest.raises(
        ValidationError, match=r"Konsumprisindeksen for \d\d\.2017 er ikke lagt inn"
    ):
        actions.rent_index_adjust(actor=eirik, lease=lease, notice_on=D(2026, 11, 12))
    assert not Rent.objects.filter(lease=lease, reason="index").exists()

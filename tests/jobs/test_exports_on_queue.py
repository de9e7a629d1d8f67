"""Large exports on the queue, with a real worker (ADR 0034): the § 5 needs overview (Excel,
PDF) is asked for on its page, the state page shows it queued, the worker makes it and the
page offers the download; the file is the asker's alone (404 for everyone else, and for the
asker once they may no longer see the overview); asked twice, made once; the periodic
jobs_cleanup removes old files with their rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from husly.audit.models import ChangeEvent
from husly.jobs.models import ExportFile, ExportStatus
from husly.needs import actions as needs_actions
from husly.organisation.models import Membership
from tests.conftest import _user
from tests.jobs.conftest import run_worker

pytestmark = pytest.mark.postgres


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def needs_round(raelingen, lise, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    return needs_actions.needs_round_open(
        actor=lise,
        municipality=raelingen,
        year=2026,
        title="Behovsrunden 2026",
        deadline=dt.date(2026, 12, 31),
    )


def test_the_needs_overview_pdf_is_made_on_the_queue_and_only_its_asker_downloads_it(  # type: ignore[no-untyped-def]
    queue, needs_round, sara, lise, arne, olga, raelingen
) -> None:
    client = _client(sara)
    overview = client.get(reverse("needs:overview")).content.decode()
    assert "Lag en PDF" in overview and "Lag en Excel-fil" in overview
    response = client.post(reverse("needs:export_pdf", args=[needs_round.pk]))
    made = ExportFile.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:export_detail", args=[made.pk])
    assert (made.kind, made.status, made.requested_by, made.params) == (
        "needs_overview_pdf",
        ExportStatus.QUEUED,
        sara,
        {"round": needs_round.pk},
    )
    job = ProcrastinateJob.objects.get(pk=made.job_id)
    assert (job.task_name, job.status, job.args["municipality_id"]) == (
        "exports_make",
        "todo",
        raelingen.pk,
    )
    assert ChangeEvent.objects.filter(action="export_queue", actor=sara).count() == 1
    # Asked for twice before the worker: the same export, one job.
    client.post(reverse("needs:export_pdf", args=[needs_round.pk]))
    assert ExportFile.objects.count() == 1
    assert ProcrastinateJob.objects.filter(task_name="exports_make").count() == 1
    waiting = client.get(response["Location"]).content.decode()
    assert "I kø" in waiting and 'hx-trigger="every 3s"' in waiting
    assert client.get(reverse("jobs:export_download", args=[made.pk])).status_code == 404
    # The administrator sees the job among the municipality's jobs.
    assert "Eksport" in _client(arne).get(reverse("jobs:job_list")).content.decode()

    run_worker()
    assert ProcrastinateJob.objects.get(pk=made.job_id).status == "succeeded"
    made.refresh_from_db()
    assert made.status == ExportStatus.DONE and default_storage.exists(made.file.name)
    done = client.get(reverse("jobs:export_detail", args=[made.pk])).content.decode()
    assert "Fullført" in done and "hx-trigger" not in done
    assert reverse("jobs:export_download", args=[made.pk]) in done
    pdf = client.get(reverse("jobs:export_download", args=[made.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert 'filename="behovsoversikt-2026.pdf"' in pdf["Content-Disposition"]

    # The file is the asker's: the leader who also reads the overview, the administrator and
    # another municipality get 404 on its page and its file.
    for other in (lise, arne, olga):
        for name in ("jobs:export_detail", "jobs:export_download"):
            assert _client(other).get(reverse(name, args=[made.pk])).status_code == 404
    # A rerun of the job (a retry after a crash) makes nothing twice.
    app.tasks["exports_make"].defer(export_id=made.pk, municipality_id=raelingen.pk)
    run_worker()
    assert ExportFile.objects.count() == 1

    # Once the asker may no longer read the overview, the file is gone for them too.
    Membership.objects.filter(user=sara).update(role="property")
    assert client.get(reverse("jobs:export_download", args=[made.pk])).status_code == 404


def test_the_excel_file_and_a_lost_right_before_the_worker(  # type: ignore[no-untyped-def]
    queue, needs_round, sara, housing_office
) -> None:
    caseworker = _user("siri", housing_office, "caseworker")
    client = _client(sara)
    client.post(reverse("needs:export_xlsx", args=[needs_round.pk]))
    _client(caseworker).post(reverse("needs:export_xlsx", args=[needs_round.pk]))
    mine, theirs = ExportFile.objects.order_by("pk")
    Membership.objects.filter(user=caseworker).delete()
    run_worker()
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == ExportStatus.DONE
    xlsx = client.get(reverse("jobs:export_download", args=[mine.pk]))
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    assert (theirs.status, theirs.error, theirs.file.name) == (
        ExportStatus.FAILED,
        "Du kan ikke lenger se det eksporten inneholder.",
        "",
    )


def test_the_cleanup_job_removes_old_exports_with_their_files(  # type: ignore[no-untyped-def]
    queue, needs_round, sara
) -> None:
    client = _client(sara)
    client.post(reverse("needs:export_pdf", args=[needs_round.pk]))
    run_worker()
    made = ExportFile.objects.get()
    name = made.file.name
    assert default_storage.exists(name)
    # Six days on the file is kept; eight days on (HUSLY_EXPORTS_KEEP_DAYS = 7) it is gone.
    for days, kept in ((6, True), (8, False)):
        tick = timezone.now() + dt.timedelta(days=days)
        app.tasks["jobs_cleanup"].defer(timestamp=int(tick.timestamp()))
        run_worker()
        assert ExportFile.objects.filter(pk=made.pk).exists() is kept
        assert default_storage.exists(name) is kept
    assert client.get(reverse("jobs:export_download", args=[made.pk])).status_code == 404

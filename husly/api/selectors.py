"""What a client may read: every queryset is its own municipality's, every object is fetched
through it (anything else is 404), and every read of personal data is logged with the client's
service user as the reader, through the same function pages use (``people.selectors.log_reads``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

from django.db.models import Count, Min, Model, Prefetch, QuerySet

from husly.allocation.models import EntryStatus, WaitingListEntry
from husly.api.models import API_CLIENT_ROLE, ApiClient, WebhookEvent
from husly.cases.models import Case, Decision
from husly.housing.models import Building, Dwelling
from husly.organisation.access import ORGANISATION_WRITE, get_or_404, municipality_ids
from husly.organisation.models import User
from husly.people.models import HouseholdMember, Person, Relation
from husly.people.selectors import log_reads
from husly.tenancy.models import Lease

# --- the administrator's pages -------------------------------------------------------------------


def api_clients_for_admin(user: User) -> QuerySet[ApiClient]:
    return ApiClient.objects.filter(
        municipality_id__in=municipality_ids(user, ORGANISATION_WRITE)
    ).select_related("municipality")


def api_client_for_admin(user: User, pk: object) -> ApiClient:
    return cast(ApiClient, get_or_404(cast(QuerySet[Model], api_clients_for_admin(user)), pk))


# --- the API's reads ----------------------------------------------------------------------------


def client_by_token_hash(digest: str) -> ApiClient | None:
    return (
        ApiClient.objects.select_related("user", "municipality")
        .filter(token_hash=digest, revoked_at__isnull=True)
        .first()
    )


def dwellings(client: ApiClient) -> QuerySet[Dwelling]:
    return (
        Dwelling.objects.filter(building__municipality_id=client.municipality_id)
        .select_related("building")
        .order_by("pk")
    )


def dwelling(client: ApiClient, pk: int) -> Dwelling:
    return cast(Dwelling, get_or_404(cast(QuerySet[Model], dwellings(client)), pk))


def buildings(client: ApiClient) -> QuerySet[Building]:
    return (
        Building.objects.filter(municipality_id=client.municipality_id)
        .annotate(dwelling_count=Count("dwellings"))
        .order_by("pk")
    )


def building(client: ApiClient, pk: int) -> Building:
    return cast(Building, get_or_404(cast(QuerySet[Model], buildings(client)), pk))


def waiting_list_figures(client: ApiClient, today: dt.date) -> dict[str, Any]:
    entries = WaitingListEntry.objects.filter(municipality_id=client.municipality_id)
    by_status = dict(entries.values_list("status").annotate(n=Count("pk")).order_by())
    waiting = entries.filter(status=EntryStatus.WAITING)
    by_persons = dict(waiting.values_list("persons").annotate(n=Count("pk")).order_by())
    oldest = waiting.aggregate(oldest=Min("placed_on"))["oldest"]
    return {
        "by_status": {status: by_status.get(status, 0) for status in EntryStatus.values},
        "waiting_by_persons": {str(k): v for k, v in sorted(by_persons.items())},
        "longest_wait_days": (today - oldest).days if oldest else None,
    }


def _applicants() -> Prefetch[Any]:
    return Prefetch(
        "household__members",
        queryset=HouseholdMember.objects.filter(relation=Relation.APPLICANT).select_related(
            "person"
        ),
        to_attr="applicant_members",
    )


def cases(client: ApiClient) -> QuerySet[Case]:
    return (
        Case.objects.filter(municipality_id=client.municipality_id)
        .exclude(status="draft")
        .select_related("household")
        .prefetch_related(
            _applicants(),
            Prefetch(
                "decisions",
                queryset=Decision.objects.filter(issued_on__isnull=False).order_by("pk"),
                to_attr="issued_decisions",
            ),
        )
        .order_by("pk")
    )


def case(client: ApiClient, pk: int) -> Case:
    return cast(Case, get_or_404(cast(QuerySet[Model], cases(client)), pk))


def leases(client: ApiClient) -> QuerySet[Lease]:
    return (
        Lease.objects.filter(municipality_id=client.municipality_id)
        .select_related("household")
        .prefetch_related(_applicants())
        .order_by("pk")
    )


def lease(client: ApiClient, pk: int) -> Lease:
    return cast(Lease, get_or_404(cast(QuerySet[Model], leases(client)), pk))


def applicant(obj: Case | Lease) -> Person | None:
    members = getattr(obj.household, "applicant_members", None)
    if members is None:
        return None
    return members[0].person if members else None


def events(client: ApiClient) -> QuerySet[WebhookEvent]:
    return WebhookEvent.objects.filter(municipality_id=client.municipality_id).order_by("pk")


def log_client_reads(
    client: ApiClient, objects: Iterable[Case | Lease], *, what: str, path: str
) -> None:
    """One access event per applicant named in a response, in one insert, with the client's
    service user as the reader (pages do the same with the staff member), the role
    ``api_client`` and the unit that answers for the client."""
    persons = {p.pk: p for p in (applicant(obj) for obj in objects) if p is not None}
    log_reads(
        user=client.user,
        persons=persons.values(),
        what=what,
        path=path,
        via=(API_CLIENT_ROLE, client.unit_id),
    )

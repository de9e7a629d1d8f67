"""The open API, version 1: read-only resources for the municipality's other systems (ADR 0022).

django-ninja builds the OpenAPI 3.1 document from these type-annotated functions. Every call:
a bearer token of an active client (401 otherwise), one per-minute counter row upserted in the
database (429 over the client's limit, with ``Retry-After``), the scope the resource needs (403),
objects only from the client's own municipality (404 otherwise, like a page), and an access
event for every person named in a response. Errors are JSON with a Norwegian and an English
message.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI, Path, Query, Schema
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from husly.api import selectors, tokens
from husly.api.models import ApiClient, EventKind, RateWindow, Scope
from husly.cases.models import Case, CaseStatus
from husly.housing.models import DwellingStatus
from husly.tenancy.models import Lease, LeaseStatus

MAX_ID = 2**62
MAX_PAGE = 100_000


# --- errors --------------------------------------------------------------------------------------


class Error(Schema):
    code: str
    message: str
    message_en: str


class ApiError(Exception):
    def __init__(self, status: int, code: str, nb: str, en: str, **headers: str) -> None:
        super().__init__(code)
        self.status, self.code, self.nb, self.en, self.headers = status, code, nb, en, headers


def _scope_missing(scope: str) -> ApiError:
    return ApiError(
        403,
        "scope_missing",
        f"Klienten har ikke tilgangen {scope}.",
        f"The client does not hold the scope {scope}.",
    )


ERRORS: dict[int, type[Error]] = {401: Error, 403: Error, 404: Error, 422: Error, 429: Error}


# --- authentication and rate limit ---------------------------------------------------------------


def _count_request(client: ApiClient, now: dt.datetime) -> int:
    """Add one to the client's counter for this minute; one upsert, shared by every server."""
    minute = now.replace(second=0, microsecond=0)
    table = RateWindow._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (client_id, minute, count) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (client_id, minute) DO UPDATE SET count = {table}.count + 1 "
            "RETURNING count",
            [client.pk, minute],
        )
        (count,) = cursor.fetchone()
    if count == 1:  # a new minute: forget old ones, note when the client was last seen
        RateWindow.objects.filter(
            client=client, minute__lt=minute - dt.timedelta(minutes=5)
        ).delete()
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
    return int(count)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiClient | None:
        if not token.startswith(tokens.TOKEN_PREFIX) or len(token) > 100:  # noqa: PLR2004
            return None
        client = selectors.client_by_token_hash(tokens.token_hash(token))
        if client is None:
            return None
        now = timezone.now()
        if _count_request(client, now) > client.rate_limit:
            retry = 60 - now.second
            raise ApiError(
                429,
                "rate_limited",
                f"For mange forespørsler. Prøv igjen om {retry} sekunder.",
                f"Too many requests. Try again in {retry} seconds.",
                **{"Retry-After": str(retry)},
            )
        return client


api = NinjaAPI(
    title="Husly API",
    version="1",
    description=(
        "Read-only API for the municipality's own systems. Authenticate with "
        "`Authorization: Bearer <token>`; a token sees only its own municipality and only "
        "what its scopes allow. See docs/api.md."
    ),
    urls_namespace="api_v1",
    docs_url=None,
    auth=TokenAuth(),
)


def _error(request: HttpRequest, status: int, code: str, nb: str, en: str) -> HttpResponse:
    return api.create_response(
        request, {"code": code, "message": nb, "message_en": en}, status=status
    )


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    response = _error(request, exc.status, exc.code, exc.nb, exc.en)
    for key, value in exc.headers.items():
        response[key] = value
    return response


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: Exception) -> HttpResponse:
    response = _error(
        request,
        401,
        "unauthorised",
        "Mangler gyldig nøkkel (Authorization: Bearer <nøkkel>).",
        "A valid token is missing (Authorization: Bearer <token>).",
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 404, "not_found", "Finnes ikke.", "Not found.")


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields = sorted({".".join(str(p) for p in e.get("loc", ())[1:]) for e in exc.errors})
    names = ", ".join(f for f in fields if f) or "-"
    return _error(
        request,
        422,
        "invalid_parameter",
        f"Ugyldig verdi: {names}.",
        f"Invalid value: {names}.",
    )


def _client(request: HttpRequest, scope: str) -> ApiClient:
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    if scope not in client.scopes:
        raise _scope_missing(scope)
    return client


# --- pagination ----------------------------------------------------------------------------------


def _page(queryset: QuerySet[Any], page: int, page_size: int) -> tuple[int, list[Any], int | None]:
    count = queryset.count()
    start = (page - 1) * page_size
    items = list(queryset[start : start + page_size])
    return count, items, page + 1 if start + page_size < count else None


# --- dwellings and buildings ---------------------------------------------------------------------


class DwellingOut(Schema):
    id: int
    building_id: int
    address: str
    postal_code: str
    district: str
    number: str
    rooms: int
    area_m2: float
    floor: int
    wheelchair_accessible: bool
    category: str
    ownership: str
    monthly_rent: int
    status: str


class DwellingPage(Schema):
    count: int
    page: int
    page_size: int
    next_page: int | None
    items: list[DwellingOut]


def _dwelling(d: Any) -> dict[str, Any]:
    return {
        "id": d.pk,
        "building_id": d.building_id,
        "address": d.building.address,
        "postal_code": d.building.postal_code,
        "district": d.building.district,
        "number": d.number,
        "rooms": d.rooms,
        "area_m2": float(d.area_m2),
        "floor": d.floor,
        "wheelchair_accessible": d.wheelchair_accessible,
        "category": d.category,
        "ownership": d.ownership,
        "monthly_rent": d.monthly_rent,
        "status": d.status,
    }


DwellingStatusName = Literal["vacant", "occupied", "reserved", "maintenance", "sold"]
assert set(DwellingStatusName.__args__) == set(DwellingStatus.values)  # type: ignore[attr-defined]  # noqa: S101


@api.get(
    "/dwellings",
    response={200: DwellingPage, **ERRORS},
    summary="Dwellings and their status",
    tags=["dwellings"],
)
def list_dwellings(
    request: HttpRequest,
    status: DwellingStatusName | None = None,
    building_id: int | None = Query(None, ge=1, le=MAX_ID),
    page: int = Query(1, ge=1, le=MAX_PAGE),
    page_size: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    """The municipality's dwellings, filtered by status (e.g. ``vacant``) or building.
    Scope ``read:dwellings``."""
    client = _client(request, Scope.DWELLINGS)
    queryset = selectors.dwellings(client)
    if status:
        queryset = queryset.filter(status=status)
    if building_id:
        queryset = queryset.filter(building_id=building_id)
    count, items, next_page = _page(queryset, page, page_size)
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "next_page": next_page,
        "items": [_dwelling(d) for d in items],
    }


@api.get(
    "/dwellings/{dwelling_id}",
    response={200: DwellingOut, **ERRORS},
    summary="One dwelling",
    tags=["dwellings"],
)
def get_dwelling(
    request: HttpRequest, dwelling_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, Any]:
    """Scope ``read:dwellings``."""
    client = _client(request, Scope.DWELLINGS)
    return _dwelling(selectors.dwelling(client, dwelling_id))


class BuildingOut(Schema):
    id: int
    name: str
    address: str
    postal_code: str
    postal_town: str
    district: str
    has_lift: bool
    year_built: int | None
    dwelling_count: int


class BuildingPage(Schema):
    count: int
    page: int
    page_size: int
    next_page: int | None
    items: list[BuildingOut]


def _building(b: Any) -> dict[str, Any]:
    return {
        "id": b.pk,
        "name": b.name,
        "address": b.address,
        "postal_code": b.postal_code,
        "postal_town": b.postal_town,
        "district": b.district,
        "has_lift": b.has_lift,
        "year_built": b.year_built,
        "dwelling_count": b.dwelling_count,
    }


@api.get(
    "/buildings",
    response={200: BuildingPage, **ERRORS},
    summary="Buildings",
    tags=["dwellings"],
)
def list_buildings(
    request: HttpRequest,
    page: int = Query(1, ge=1, le=MAX_PAGE),
    page_size: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    """Scope ``read:dwellings``."""
    client = _client(request, Scope.DWELLINGS)
    count, items, next_page = _page(selectors.buildings(client), page, page_size)
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "next_page": next_page,
        "items": [_building(b) for b in items],
    }


@api.get(
    "/buildings/{building_id}",
    response={200: BuildingOut, **ERRORS},
    summary="One building",
    tags=["dwellings"],
)
def get_building(
    request: HttpRequest, building_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, Any]:
    """Scope ``read:dwellings``."""
    client = _client(request, Scope.DWELLINGS)
    return _building(selectors.building(client, building_id))


# --- the waiting list ----------------------------------------------------------------------------


class WaitingListFigures(Schema):
    by_status: dict[str, int]
    waiting_by_persons: dict[str, int]
    longest_wait_days: int | None


@api.get(
    "/waiting-list/figures",
    response={200: WaitingListFigures, **ERRORS},
    summary="Waiting list figures (no persons)",
    tags=["waiting list"],
)
def waiting_list_figures(request: HttpRequest) -> dict[str, Any]:
    """Entries by status, waiting households by size, the longest wait in days.
    Scope ``read:waiting-list``."""
    client = _client(request, Scope.WAITING_LIST)
    return selectors.waiting_list_figures(client, timezone.localdate())


# --- cases and decisions -------------------------------------------------------------------------


class PersonOut(Schema):
    national_id: str
    given_name: str
    family_name: str


class DecisionOut(Schema):
    id: int
    help_kind: str
    outcome: str
    status: str
    issued_on: dt.date | None
    notified_on: dt.date | None
    letter_sha256: str


class CaseOut(Schema):
    id: int
    number: str
    status: str
    received_on: dt.date | None
    closed_at: dt.datetime | None
    household_id: int
    applicant: PersonOut | None
    decisions: list[DecisionOut]


class CasePage(Schema):
    count: int
    page: int
    page_size: int
    next_page: int | None
    items: list[CaseOut]


def _person(person: Any) -> dict[str, Any] | None:
    if person is None:
        return None
    return {
        "national_id": person.national_id or "",
        "given_name": person.given_name,
        "family_name": person.family_name,
    }


def _case(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "number": case.number,
        "status": case.status,
        "received_on": case.received_on,
        "closed_at": case.closed_at,
        "household_id": case.household_id,
        "applicant": _person(selectors.applicant(case)),
        "decisions": [
            {
                "id": d.pk,
                "help_kind": d.help_kind,
                "outcome": d.kind,
                "status": d.status,
                "issued_on": d.issued_on,
                "notified_on": d.notified_on,
                "letter_sha256": d.letter_sha256,
            }
            for d in getattr(case, "issued_decisions", [])
        ],
    }


CaseStatusName = Literal["submitted", "in_progress", "decided", "closed"]
assert set(CaseStatusName.__args__) | {"draft"} == set(CaseStatus.values)  # type: ignore[attr-defined]  # noqa: S101


@api.get(
    "/cases",
    response={200: CasePage, **ERRORS},
    summary="Cases with their issued decisions",
    tags=["cases"],
)
def list_cases(
    request: HttpRequest,
    status: CaseStatusName | None = None,
    changed_since: dt.date | None = Query(
        None, description="Cases with a decision issued or closed on or after this day."
    ),
    page: int = Query(1, ge=1, le=MAX_PAGE),
    page_size: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    """Cases received (not drafts), for the archive and the household's digital mailbox.
    Names the applicant: every applicant in the response is logged as read by the client.
    Scope ``read:cases``."""
    client = _client(request, Scope.CASES)
    queryset = selectors.cases(client)
    if status:
        queryset = queryset.filter(status=status)
    if changed_since:
        queryset = queryset.filter(
            Q(decisions__issued_on__gte=changed_since) | Q(closed_at__date__gte=changed_since)
        ).distinct()
    count, items, next_page = _page(queryset, page, page_size)
    selectors.log_client_reads(client, items, what="api_case_list", path=request.get_full_path())
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "next_page": next_page,
        "items": [_case(c) for c in items],
    }


@api.get(
    "/cases/{case_id}",
    response={200: CaseOut, **ERRORS},
    summary="One case with its issued decisions",
    tags=["cases"],
)
def get_case(request: HttpRequest, case_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    """Logged as a read of the applicant by the client. Scope ``read:cases``."""
    client = _client(request, Scope.CASES)
    case = selectors.case(client, case_id)
    selectors.log_client_reads(client, [case], what="api_case_detail", path=request.get_full_path())
    return _case(case)


# --- leases --------------------------------------------------------------------------------------


class LeaseOut(Schema):
    id: int
    dwelling_id: int
    household_id: int
    tenant: PersonOut | None
    status: str
    start_date: dt.date
    end_date: dt.date | None
    monthly_rent: int
    payment_kid: str


class LeasePage(Schema):
    count: int
    page: int
    page_size: int
    next_page: int | None
    items: list[LeaseOut]


def _lease(lease: Lease) -> dict[str, Any]:
    return {
        "id": lease.pk,
        "dwelling_id": lease.dwelling_id,
        "household_id": lease.household_id,
        "tenant": _person(selectors.applicant(lease)),
        "status": lease.status,
        "start_date": lease.start_date,
        "end_date": lease.end_date,
        "monthly_rent": lease.monthly_rent,
        "payment_kid": lease.payment_kid,
    }


LeaseStatusName = Literal["draft", "sent", "signed", "active", "ended"]
assert set(LeaseStatusName.__args__) == set(LeaseStatus.values)  # type: ignore[attr-defined]  # noqa: S101


@api.get(
    "/leases",
    response={200: LeasePage, **ERRORS},
    summary="Leases",
    tags=["leases"],
)
def list_leases(
    request: HttpRequest,
    status: LeaseStatusName | None = None,
    page: int = Query(1, ge=1, le=MAX_PAGE),
    page_size: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    """Names the tenant (the household's main applicant): logged as a read by the client.
    Scope ``read:leases``."""
    client = _client(request, Scope.LEASES)
    queryset = selectors.leases(client)
    if status:
        queryset = queryset.filter(status=status)
    count, items, next_page = _page(queryset, page, page_size)
    selectors.log_client_reads(client, items, what="api_lease_list", path=request.get_full_path())
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "next_page": next_page,
        "items": [_lease(x) for x in items],
    }


@api.get(
    "/leases/{lease_id}",
    response={200: LeaseOut, **ERRORS},
    summary="One lease",
    tags=["leases"],
)
def get_lease(request: HttpRequest, lease_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    """Scope ``read:leases``."""
    client = _client(request, Scope.LEASES)
    lease = selectors.lease(client, lease_id)
    selectors.log_client_reads(
        client, [lease], what="api_lease_detail", path=request.get_full_path()
    )
    return _lease(lease)


# --- events --------------------------------------------------------------------------------------


class EventOut(Schema):
    id: int
    event: str
    at: dt.datetime
    data: dict[str, Any]


class EventPage(Schema):
    items: list[EventOut]
    next_after: int | None


EventKindName = Literal["decision.issued", "offer.made", "lease.signed"]
assert set(EventKindName.__args__) == set(EventKind.values)  # type: ignore[attr-defined]  # noqa: S101


@api.get(
    "/events",
    response={200: EventPage, **ERRORS},
    summary="Events, oldest first (the same as the webhooks send)",
    tags=["events"],
)
def list_events(
    request: HttpRequest,
    after: int = Query(0, ge=0, le=MAX_ID, description="Only events with a larger id."),
    kind: EventKindName | None = None,
    limit: int = Query(100, ge=1, le=500),
) -> dict[str, Any]:
    """A feed to poll instead of (or besides) webhooks: pass the last ``next_after`` back as
    ``after``. Ids and codes only, no personal data. Scope ``read:events``."""
    client = _client(request, Scope.EVENTS)
    queryset = selectors.events(client).filter(pk__gt=after)
    if kind:
        queryset = queryset.filter(kind=kind)
    items = list(queryset[:limit])
    return {
        "items": [{"id": e.pk, "event": e.kind, "at": e.at, "data": e.payload} for e in items],
        "next_after": items[-1].pk if items else None,
    }


def urls() -> tuple[list[Any], str, str]:
    """The API's URL patterns, opened to requests without a session (the token is the login:
    Django's LoginRequiredMiddleware must let them through to the API's own check)."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback.login_required = False  # type: ignore[union-attr]
    return patterns, app_name, namespace

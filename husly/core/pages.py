"""Small helpers views share: pagination, role checks on writes, municipality choices, days
as the pages write them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from husly.organisation.access import has_role, memberships_of, municipalities_for_user
from husly.organisation.models import Municipality, User

PAGE_SIZE = 25


def paginate(
    request: HttpRequest,
    queryset: QuerySet[Any],
    per_page: int = PAGE_SIZE,
    *,
    count: int | None = None,
) -> Page:
    """The requested page; an out-of-range or malformed page number gives the nearest page.
    ``count``: the number of rows when the caller has counted them more cheaply than
    ``queryset.count()`` would."""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # type: ignore[misc]  # a cached_property, set beforehand
    return paginator.get_page(request.GET.get("side"))


def require_role(user: User, municipality_id: int, roles: frozenset[str]) -> None:
    """For writes on an object the user can already see: without the role it is 403."""
    if not has_role(user, municipality_id, roles):
        raise PermissionDenied


def municipality_for_role(user: User, roles: frozenset[str]) -> Municipality:
    """The municipality a page without an object works in, where the user has one of ``roles``;
    none is 403 (the page exists, the user may not use it)."""
    municipality = municipalities_for_user(user, roles).first()
    if municipality is None:
        raise PermissionDenied
    return municipality


def act(request: HttpRequest, call: Callable[[], Any], done: str) -> Any:
    """Run ``call`` (one atomic action) for a button without a form: say ``done``, or the
    action's refusal as an error message (nothing was written); the action's result or None."""
    try:
        result = call()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None
    messages.success(request, done)
    return result


def writable_municipalities(user: User, roles: frozenset[str]) -> QuerySet[Municipality]:
    return municipalities_for_user(user, roles)


def querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("side", None)
    return params.urlencode()


def user_of(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - the login middleware guarantees it
    if not memberships_of(user) and hasattr(user, "resident"):
        raise PermissionDenied  # residents use the self-service pages only
    return user


def model_label(instance: Model) -> str:
    return str(instance._meta.verbose_name)


def add_action_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show an action's validation errors on the form: on the field where the form has it,
    otherwise at the top, so no error from the model layer is ever lost."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item if target else _prefixed(form, field, item))
    else:
        form.add_error(None, error)


def _prefixed(form: forms.BaseForm, field: str, item: ValidationError) -> ValidationError:
    if field == NON_FIELD_ERRORS:
        return item
    return ValidationError("; ".join(item.messages))


def submit(
    request: HttpRequest, form: forms.BaseForm, action: Callable[..., Any], **kwargs: Any
) -> Any:
    """On POST with a valid form, call ``action(data=form.cleaned_data, **kwargs)``.

    Returns the action's result, or None when there was nothing to do or the action refused
    (its errors are then shown on the form and nothing was written: actions are atomic).
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return action(data=form.cleaned_data, **kwargs)
    except ValidationError as error:
        add_action_errors(form, error)
        return None


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    action: Callable[..., Any],
    done: str,
    title: str,
    redirect_to: str,
    cancel_url: str = "../",
    intro: str = "",
    **action_kwargs: Any,
) -> HttpResponse:
    """The create and edit pages of the registers: on a valid POST call ``action`` (an atomic
    action), say ``done`` and go to the object's page ``redirect_to``; otherwise show the form
    with every error, nothing written."""
    result = submit(request, form, action, **action_kwargs)
    if result is not None:
        messages.success(request, done)
        return redirect(redirect_to, pk=result.pk)
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "title": title,
            "cancel_url": cancel_url,
            "intro": intro,
        },
    )


def form_errors_text(form: forms.BaseForm) -> str:
    """All of a form's error messages in one line, for a message after a redirect."""
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def day_text(day: dt.date | None, empty: str = "") -> str:
    """A day as ``{{ day|date:"d.m.Y" }}`` writes it (``01.02.2026``), or ``empty`` for none
    (``"–"`` is what ``|default:"–"`` shows): for rows a view makes ready for the template
    rather than formatting a date per row there."""
    return empty if day is None else f"{day.day:02d}.{day.month:02d}.{day.year:04d}"


def pk_url(name: str) -> Callable[[int], str]:
    """``reverse(name, args=[pk])`` for many keys, the pattern reversed once (a list of fifty
    rows need not resolve it fifty times): the key put in its place."""
    before, _, after = reverse(name, args=[918273645]).partition("918273645")
    return lambda pk: f"{before}{int(pk)}{after}"

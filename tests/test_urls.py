"""Every URL in the project either requires login or is on a short list of public pages.

A new view that forgets its check fails here (issue 6 extends this to units and municipalities).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {
    "login",
    "health",
    "healthz",
    "readyz",
    "accessibility",
    "set_language",
    "api_docs",
}  # portal:login too
TOKEN_API = "api_v1:"
"""The open API logs in with a token instead: anonymous gets 401 in JSON (ADR 0022)."""


def _patterns(
    resolver: URLResolver, prefix: str = "", namespace: str = ""
) -> list[tuple[str, str]]:
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += _patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            found.append((f"{namespace}{entry.name}", prefix + str(entry.pattern)))
    return found


def _example(route: str) -> str:
    route = re.sub(r"<int:\w+>", "1", route)
    route = re.sub(r"<slug:\w+>", "submit", route)
    return "/" + re.sub(r"<str:\w+>", "persons", route)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route"), _patterns(get_resolver()))
def test_an_anonymous_user_is_sent_to_login(name: str, route: str) -> None:
    short = name.rsplit(":", maxsplit=1)[-1]
    if short in PUBLIC or short.startswith("oidc_") or name == "logout":
        pytest.skip("public page")
    if name.startswith(TOKEN_API):
        response = Client().get(re.sub(r"<\w+>", "1", _example(route)))
        expected = {"openapi-json": 200, "api-root": 404}.get(short, 401)
        assert response.status_code == expected
        return
    response = Client().get(_example(route))
    assert response.status_code == 302
    resident = name.startswith("portal:") or ":my_" in name  # Min side pages of other apps
    login = "/minside/logg-inn/" if resident else "/logg-inn/"
    assert response["Location"].startswith(login)

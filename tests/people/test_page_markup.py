"""The person list gives the markup its template gave before its rows became plain text made in
the view (issue 17; the template as it was is kept in ``markup_before/``): the same HTML apart
from CSRF tokens, rendered by the old template from the page the view read, for a search, a
list without one, the second page and no hits; names to escape, a person without an identity
number and every residence status."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.template import engines
from django.test import Client
from django.urls import reverse

from husly.core.pages import PAGE_SIZE
from husly.people.models import ResidencePermit
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

BEFORE = Path(__file__).parent / "markup_before"
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')


def _same_as_before(client: Client, query: dict[str, str]) -> str:
    response = client.get(reverse("people:person_list"), query)
    assert response.status_code == 200
    context: dict[str, Any] = {
        key: response.context[key] for key in ("page", "filter_form", "querystring", "can_create")
    }
    template = engines["django"].from_string((BEFORE / "person_list.html").read_text())
    before = str(template.render(context, request=response.wsgi_request))
    page = response.content.decode()
    assert CSRF.sub(r"\1", page) == CSRF.sub(r"\1", before)
    return page


def test_the_person_list_is_the_markup_it_was(sara, raelingen) -> None:
    permits = list(ResidencePermit)
    for n in range(PAGE_SIZE + 3):
        PersonFactory(
            municipality=raelingen,
            family_name="Berg <&> 'Dahl'" if n % 2 else "Åsen",
            residence_permit=permits[n % len(permits)],
        )
    PersonFactory(
        municipality=raelingen,
        family_name="Utennummer",
        national_id="",
        date_of_birth=dt.date(2001, 2, 3),
    )
    client = Client()
    client.force_login(sara)
    page = _same_as_before(client, {"q": "Berg"})
    assert "Berg &lt;&amp;&gt; &#x27;Dahl&#x27;" in page
    assert _same_as_before(client, {"q": "Utennummer"}).count("<td>–</td>") == 1
    assert "03.02.2001" in _same_as_before(client, {"q": "Utennummer"})
    _same_as_before(client, {})
    _same_as_before(client, {"side": "2"})
    _same_as_before(client, {"q": "Åsen", "residence_permit": "citizen"})
    assert '<td colspan="5">' in _same_as_before(client, {"q": "Zzyzx"})

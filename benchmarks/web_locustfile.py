"""The load of ``benchmarks.web``: demo staff who log in and click through the main pages.

Read by ``locust -f``; the plan (who clicks which pages) comes from the JSON file named by
``HUSLY_BENCH_PLAN``, written by ``benchmarks.web --plan``. Each simulated user takes a session
of the demo login of its role that the plan made before the load (staff log in once in the
morning: 50 Argon2 hashes in the measured minute are not a caseworker's day), then opens one page
of its role's mix every ``HUSLY_BENCH_PACING`` seconds on average. Each user clicks on its own
(independent users): the time from one click to the next is drawn from an exponential
distribution with that mean, so the clicks of all users together arrive as a Poisson stream of
``users / pacing`` per second. The time is counted from the start of the last click, not from its
answer (as locust's constant pacing does), so the click rate does not drop when the server slows
down: a slow server shows as long response times, not as a lower load. Constant pacing (every
user exactly every ``pacing`` s) was used before session 8: after a stall it keeps every user
that waited in the same phase, and the server then gets the whole population's clicks in one
burst every ``pacing`` seconds, which no office of independent people does.

The server runs with production settings behind no proxy: the client sends
``X-Forwarded-Proto: https`` as the reverse proxy does in production (SECURE_PROXY_SSL_HEADER),
and carries the ``__Host-`` cookies itself, since a cookie jar does not send Secure cookies over
plain HTTP on loopback.
"""

from __future__ import annotations

import collections
import datetime as dt
import itertools
import json
import os
import random
import time
from http import HTTPStatus
from http.cookies import SimpleCookie
from typing import Any

from locust import HttpUser, task

PLAN: dict[str, Any] = json.loads(open(os.environ["HUSLY_BENCH_PLAN"], encoding="utf-8").read())  # noqa: SIM115
PACING = float(os.environ.get("HUSLY_BENCH_PACING", "2"))
_ROLES = itertools.cycle(enumerate(PLAN["roles"]))
_TAKEN: collections.Counter[int] = collections.Counter()


class Staff(HttpUser):
    def wait_time(self) -> float:
        """Until the next click: an exponential time with mean ``PACING`` from the start of
        the last click (at once when the answer took longer)."""
        gap = self.rng.expovariate(1.0 / PACING)
        return max(0.0, gap - (time.monotonic() - self.clicked_at))

    def on_start(self) -> None:
        index, self.role = next(_ROLES)
        sessions = self.role["sessions"]
        session = sessions[_TAKEN[index] % len(sessions)]
        _TAKEN[index] += 1
        self.rng = random.Random(hash(session))  # noqa: S311
        self.cookies: dict[str, str] = {PLAN["session_cookie"]: session}
        self.clicked_at = time.monotonic()

    def _headers(self) -> dict[str, str]:
        headers = {"X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def _keep_cookies(self, response: Any) -> None:
        for header in response.raw.headers.getlist("Set-Cookie"):
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for key, morsel in jar.items():
                self.cookies[key] = morsel.value

    def _get(self, path: str, *, name: str) -> Any:
        with self.client.get(
            path, headers=self._headers(), name=name, allow_redirects=False, catch_response=True
        ) as response:
            self._keep_cookies(response)
            if response.status_code != HTTPStatus.OK:
                response.failure(f"HTTP {response.status_code} for {path}")
            return response

    def _post(self, path: str, data: dict[str, str], *, name: str) -> Any:
        """A form sent as a browser sends it: the CSRF cookie's token and a same-origin
        Referer (the server sees HTTPS); the answer is the redirect to the page."""
        headers = self._headers()
        headers["Referer"] = f"https://{self.host.split('://', 1)[1]}{path}"
        token = next((v for k, v in self.cookies.items() if k.endswith("csrf")), "")
        with self.client.post(
            path,
            data={**data, "csrfmiddlewaretoken": token},
            headers=headers,
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            self._keep_cookies(response)
            if response.status_code != HTTPStatus.FOUND:
                response.failure(f"HTTP {response.status_code} for POST {path}")
            return response

    @task
    def click(self) -> None:
        self.clicked_at = time.monotonic()
        page = self.rng.choices(
            self.role["pages"], weights=[p["weight"] for p in self.role["pages"]]
        )[0]
        path = self.rng.choice(page["paths"])
        if page.get("method") == "post":
            if not any(k.endswith("csrf") for k in self.cookies):
                self._get(page["csrf_from"], name="work_list")  # a page with a form sets it
            data = {**page["data"], "held_on": dt.datetime.now(dt.UTC).date().isoformat()}
            self._post(path, data, name=page["name"])
        else:
            self._get(path, name=page["name"])

"""Jobs only the tests register: one that fails until told otherwise."""

from __future__ import annotations

from husly.jobs.registry import job

SWITCH = {"fail": True}


@job("tests_flaky")
def flaky(*, note: str) -> str:
    if SWITCH["fail"]:
        msg = f"the archive did not answer ({note})"
        raise ConnectionError(msg)
    return note

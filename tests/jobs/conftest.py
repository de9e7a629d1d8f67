from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from django.db import connection, connections
from procrastinate.contrib.django import app


def _empty_queue() -> None:
    # procrastinate's tables are not Django's to flush (unmanaged models): empty them here.
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs "
            "CASCADE"
        )


@pytest.fixture
def queue(transactional_db: None) -> Iterator[None]:
    """An empty queue, with committed data a worker (its own connection) can see."""
    _empty_queue()
    yield
    _empty_queue()


def run_worker() -> None:
    """A real worker, in this process, until no job is due (what ``./dev worker`` runs). In a
    thread of its own: its event loop must not meet Playwright's in the test's thread."""
    failures: list[BaseException] = []

    def work() -> None:
        try:
            with app.replace_connector(app.connector.get_worker_connector()):
                app.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)
        except BaseException as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(timeout=120)
    if failures:
        raise failures[0]


@pytest.fixture
def receiver() -> Iterator[object]:
    """A webhook receiver on loopback (the one the API's webhook tests use)."""
    from tests.api.test_webhooks import Receiver

    r = Receiver()
    yield r
    r.close()

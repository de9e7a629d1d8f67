"""gunicorn's settings for Husly: gunicorn reads this file from the folder it starts in, so the
service of the admin guide (``cd /srv/husly && .venv/bin/gunicorn husly.wsgi ...``) and
``./dev bench web`` both run with it. The command line's options (workers, bind, timeout) stay
where the admin guide puts them.

The garbage collector's full passes. Python frees most objects as soon as they are no longer
used; a cyclic collector finds the rest, and now and then it goes through every object the
process holds. A worker holds some 200,000 (Django, the URL patterns, the compiled templates,
the translations, the ORM's metadata), and a full pass through them took 60-480 ms of one
request's time, in each worker every 15-20 s under the bench's load. Those objects live as long
as the worker: ``gc.freeze()`` sets them aside so that the collector no longer goes through
them (a full pass then takes a few ms). A worker sets aside what it holds when it has loaded
the application, and once more after its first ``WARM_REQUESTS`` requests, when the templates
and translations the pages use have been loaded; objects are still freed as before.
"""

from __future__ import annotations

import gc
from typing import Any

WARM_REQUESTS = 100
"""Requests a worker answers before it sets aside what it has loaded once more."""


def post_worker_init(worker: Any) -> None:
    """The application is loaded: set aside what the worker holds."""
    gc.collect()
    gc.freeze()


def post_request(worker: Any, req: Any, environ: Any, resp: Any) -> None:
    """After the response: once warm, set aside the templates and texts loaded since."""
    if worker.nr == WARM_REQUESTS:
        gc.collect()
        gc.freeze()

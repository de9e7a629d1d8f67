"""Settings for the test suite: the application's own settings in development mode."""

import os

os.environ.setdefault("HUSLY_ENV", "development")
# Playwright's sync API runs an event loop in the test thread; the ORM calls made from that
# thread are still synchronous, which is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from husly.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; tests only

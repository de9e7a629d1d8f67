"""The URL access test's world (Rælingen with one object of every kind, landlords included)."""

from tests.security.test_url_access import world  # noqa: F401 - a fixture

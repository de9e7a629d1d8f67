import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_it_runs_on_the_database_the_test_command_started() -> None:
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith("postgres") else "sqlite"
    assert connection.vendor == expected

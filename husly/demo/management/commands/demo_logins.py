from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

from husly.demo.builder import DEMO_PASSWORD, DEMO_USERS
from husly.organisation.models import Role, User
from husly.people.models import HouseholdMember


class Command(BaseCommand):
    help = "Print the demo logins, one per role."

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override("nb"):
            self.stdout.write(f"Demo-innlogginger (passord for alle: {DEMO_PASSWORD}):")
            # The small demo's logins are the bare names; other scales add the municipality's
            # number (saksbehandler-0301), so that two demo municipalities can share a database.
            existing = set(
                User.objects.filter(
                    username__regex=r"^(" + "|".join(u[0] for u in DEMO_USERS) + r")(-\d{4})?$"
                ).values_list("username", flat=True)
            )
            suffixes = sorted(
                {
                    name[len(base) :]
                    for base, *_ in DEMO_USERS
                    for name in existing
                    if name == base or name.startswith(f"{base}-")
                }
            ) or [""]
            for suffix in suffixes:
                for username, given, family, _unit, role in DEMO_USERS:
                    login = f"{username}{suffix}"
                    self.stdout.write(f"  {login:<20} {Role(role).label!s:<28} {given} {family}")
            resident = (
                HouseholdMember.objects.filter(
                    relation="applicant",
                    household__cases__decisions__status="issued",
                    household__cases__decisions__kind="approval",
                )
                .exclude(person__national_id="")
                .select_related("person")
                .order_by("pk")
                .first()
            )
            if resident is not None:
                self.stdout.write(
                    f"Min side (/minside/): logg inn med fødselsnummer "
                    f"{resident.person.national_id} ({resident.person.full_name}, har tilsagn)"
                )

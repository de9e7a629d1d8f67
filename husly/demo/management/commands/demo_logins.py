from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

from husly.demo.builder import DEMO_PASSWORD, DEMO_USERS
from husly.organisation.models import Role
from husly.people.models import HouseholdMember


class Command(BaseCommand):
    help = "Print the demo logins, one per role."

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override("nb"):
            self.stdout.write(f"Demo-innlogginger (passord for alle: {DEMO_PASSWORD}):")
            for username, given, family, _unit, role in DEMO_USERS:
                self.stdout.write(f"  {username:<15} {Role(role).label!s:<28} {given} {family}")
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

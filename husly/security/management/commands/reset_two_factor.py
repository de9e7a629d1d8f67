"""Remove a staff member's authenticators (a lost phone): ./dev manage reset_two_factor USER."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from husly.organisation.models import User
from husly.security.actions import totp_devices_reset


class Command(BaseCommand):
    help = "Remove a user's two-factor authenticators; the next login enrols a new one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist:
            msg = f"No user {options['username']!r}."
            raise CommandError(msg) from None
        removed = totp_devices_reset(actor=None, user=user)
        self.stdout.write(f"Removed {removed} authenticator(s) for {user.username}.")

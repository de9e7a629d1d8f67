from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "husly.security"
    label = "husly_security"

    def ready(self) -> None:
        from husly.security import checks, signals  # noqa: F401 - registers checks, receivers

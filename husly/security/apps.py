from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "husly.security"
    label = "husly_security"

    def ready(self) -> None:
        from husly.security import signals  # noqa: F401 - connects the receivers

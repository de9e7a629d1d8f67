from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "husly.audit"

    def ready(self) -> None:
        from husly.audit import exporters  # noqa: F401 - registers the export sections

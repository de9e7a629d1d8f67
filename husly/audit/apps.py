from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "husly.audit"

    def ready(self) -> None:
        from husly.audit import freshness  # noqa: F401 - connects its request signals
        from husly.audit.export import autodiscover

        autodiscover()  # every app's exporters module registers its export sections

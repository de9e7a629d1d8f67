from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "husly.api"
    verbose_name = "API"

    def ready(self) -> None:
        from husly.api import hooks

        hooks.register()

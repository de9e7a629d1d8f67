from django.apps import AppConfig


class NeedsConfig(AppConfig):
    name = "husly.needs"
    label = "needs"

    def ready(self) -> None:
        from husly.needs import exports

        exports.register()

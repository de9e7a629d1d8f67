from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "husly.insight"

    def ready(self) -> None:
        from husly.insight import fairness_exports

        fairness_exports.register()

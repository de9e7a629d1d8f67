from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "husly.insight"

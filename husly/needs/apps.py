from django.apps import AppConfig


class NeedsConfig(AppConfig):
    name = "husly.needs"
    label = "needs"

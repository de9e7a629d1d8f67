from django.apps import AppConfig


class CalculatorsConfig(AppConfig):
    name = "husly.calculators"

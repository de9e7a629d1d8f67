from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "husly.jobs"

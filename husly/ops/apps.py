from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "husly.ops"
    verbose_name = "Operations: backup, restore, media check"

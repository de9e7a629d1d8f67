from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "husly.audit"

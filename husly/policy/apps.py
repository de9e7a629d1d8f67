from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "husly.policy"
    verbose_name = "Policy simulation"

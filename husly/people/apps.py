from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "husly.people"

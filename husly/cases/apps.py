from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "husly.cases"

    def ready(self) -> None:
        from husly.cases.selectors import households_reached
        from husly.people.hooks import reaches_households

        reaches_households(households_reached)

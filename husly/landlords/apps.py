from django.apps import AppConfig


class LandlordsConfig(AppConfig):
    name = "husly.landlords"

    def ready(self) -> None:
        from husly.cases.hooks import on_decision_issued
        from husly.landlords import hooks
        from husly.landlords.retention import anonymise_landlords
        from husly.retention.hooks import persons_in_use, retention_rule

        on_decision_issued(hooks.decision_issued)
        persons_in_use(hooks.landlords_in_use)
        retention_rule(anonymise_landlords)

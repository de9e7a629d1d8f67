from django.apps import AppConfig


class SettlementConfig(AppConfig):
    name = "husly.settlement"

    def ready(self) -> None:
        from husly.people.hooks import reaches_households
        from husly.retention.hooks import (
            on_household_anonymised,
            persons_in_use,
            retention_rule,
        )
        from husly.settlement import hooks

        reaches_households(hooks.households_settled)
        persons_in_use(hooks.settlement_in_use)
        retention_rule(hooks.declined_requests_rule)
        on_household_anonymised(hooks.household_anonymised)

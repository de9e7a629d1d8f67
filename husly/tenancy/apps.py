from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "husly.tenancy"

    def ready(self) -> None:
        from husly.cases.hooks import on_decision_issued
        from husly.people.hooks import reaches_households
        from husly.retention.hooks import persons_in_use
        from husly.tenancy import hooks
        from husly.tenancy.selectors import households_followed_up

        on_decision_issued(hooks.decision_issued)
        reaches_households(households_followed_up)
        persons_in_use(hooks.tenants_in_use)

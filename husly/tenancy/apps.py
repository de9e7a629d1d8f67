from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "husly.tenancy"

    def ready(self) -> None:
        from husly.cases.hooks import on_decision_issued
        from husly.retention.hooks import persons_in_use
        from husly.tenancy import hooks

        on_decision_issued(hooks.decision_issued)
        persons_in_use(hooks.tenants_in_use)

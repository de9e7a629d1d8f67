from django.apps import AppConfig


class AllocationConfig(AppConfig):
    name = "husly.allocation"

    def ready(self) -> None:
        from husly.allocation import hooks
        from husly.cases.hooks import on_case_closed, on_decision_issued
        from husly.retention.hooks import persons_in_use

        on_decision_issued(hooks.decision_issued)
        on_case_closed(hooks.case_closed)
        persons_in_use(hooks.waiting_in_use)
        from husly.allocation.selectors import households_waiting
        from husly.people.hooks import reaches_households

        reaches_households(households_waiting)

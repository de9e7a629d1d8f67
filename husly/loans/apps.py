from django.apps import AppConfig


class LoansConfig(AppConfig):
    name = "husly.loans"
    label = "loans"
    verbose_name = "Start loans and grants"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from husly.cases import hooks
        from husly.loans import actions, letters  # noqa: F401 - registers the letter provider
        from husly.loans.hooks import borrowers_in_use
        from husly.retention.hooks import persons_in_use

        hooks.on_decision_issued(actions.on_decision_issued)
        persons_in_use(borrowers_in_use)

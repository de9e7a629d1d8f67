from django.apps import AppConfig


class ArrearsConfig(AppConfig):
    name = "husly.arrears"

    def ready(self) -> None:
        from husly.arrears import hooks
        from husly.arrears.procedure import default_procedures
        from husly.retention.hooks import persons_in_use

        default_procedures()  # validate the shipped procedures at start-up (clear errors)
        persons_in_use(hooks.persons_with_open_cases)

from django.apps import AppConfig


class RentConfig(AppConfig):
    name = "husly.rent"

    def ready(self) -> None:
        from husly.rent import hooks
        from husly.retention.hooks import persons_in_use

        persons_in_use(hooks.debtors_in_use)

from django.apps import AppConfig


class OwningConfig(AppConfig):
    name = "husly.owning"

    def ready(self) -> None:
        from husly.owning import hooks
        from husly.retention.hooks import on_household_anonymised, persons_in_use

        persons_in_use(hooks.owning_in_use)
        on_household_anonymised(hooks.household_anonymised)

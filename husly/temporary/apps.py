from django.apps import AppConfig


class TemporaryConfig(AppConfig):
    name = "husly.temporary"

    def ready(self) -> None:
        from husly.cases.hooks import on_letter_details
        from husly.landlords.actions import on_brokered
        from husly.retention.hooks import persons_in_use
        from husly.temporary import hooks
        from husly.temporary.actions import stays_end_on_brokerage, stays_end_on_lease
        from husly.temporary.letters import stay_letter_details
        from husly.tenancy.extensions import on_lease_activated

        on_letter_details(stay_letter_details)
        persons_in_use(hooks.staying_persons)
        on_lease_activated(stays_end_on_lease)
        on_brokered(stays_end_on_brokerage)

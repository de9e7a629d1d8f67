from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "husly.followup"

    def ready(self) -> None:
        from husly.followup import hooks
        from husly.followup.actions import vacancy_end_on_lease_start, vacancy_on_lease_end
        from husly.retention.hooks import on_household_anonymised, persons_in_use
        from husly.tenancy.extensions import on_lease_activated, on_lease_ended

        persons_in_use(hooks.followed_up_in_use)
        on_household_anonymised(hooks.blank_household)
        on_lease_ended(vacancy_on_lease_end)
        on_lease_activated(vacancy_end_on_lease_start)

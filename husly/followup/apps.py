from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "husly.followup"

    def ready(self) -> None:
        from husly.followup import hooks
        from husly.retention.hooks import on_household_anonymised, persons_in_use

        persons_in_use(hooks.followed_up_in_use)
        on_household_anonymised(hooks.blank_household)

from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "husly.followup"

    def ready(self) -> None:
        from husly.followup import hooks
        from husly.retention.hooks import persons_in_use

        persons_in_use(hooks.followed_up_in_use)

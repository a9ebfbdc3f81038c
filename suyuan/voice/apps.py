from django.apps import AppConfig


class VoiceConfig(AppConfig):
    """The public's voice: satisfaction surveys, complaints, and the deputies (两代表一委员)."""

    name = "suyuan.voice"
    label = "voice"
    verbose_name = "评价、投诉与代表委员"

    def ready(self) -> None:
        from . import stage_rows

        stage_rows.register()
        from . import hooks, lifecycle  # noqa: F401  (registers the lifecycles)

        hooks.connect()

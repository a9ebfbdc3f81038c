from django.apps import AppConfig


class PreservationConfig(AppConfig):
    """保全: pre-suit and in-suit preservation, linked to the dispute through mediation, trial and enforcement."""

    name = "suyuan.preservation"
    label = "preservation"
    verbose_name = "保全"

    def ready(self) -> None:
        from . import stage_rows

        stage_rows.register()
        from . import asset_measures, expiry, hooks

        hooks.connect()
        asset_measures.connect()
        expiry.connect()

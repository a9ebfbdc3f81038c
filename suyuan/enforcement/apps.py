from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "suyuan.enforcement"
    label = "enforcement"
    verbose_name = "履行与执行"

    def ready(self) -> None:
        from . import stage_rows

        stage_rows.register()
        from . import hooks

        hooks.connect()
        from . import asset_facts

        asset_facts.connect()
        from . import preservation_transfer

        preservation_transfer.connect()
        from suyuan.notices.recipients import register_audience

        # Which assets to lift is for the officer (the timeline), not pushed to the parties.
        register_audience("enforcement.carried_measures_to_lift", frozenset())
        from . import credit_hooks  # noqa: F401  (registers the credit clocks' handlers and PDFs on import)

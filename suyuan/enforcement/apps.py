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
        from . import credit_hooks  # noqa: F401  (registers the credit clocks' handlers and PDFs on import)

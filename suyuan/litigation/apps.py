from django.apps import AppConfig


class LitigationConfig(AppConfig):
    name = "suyuan.litigation"
    label = "litigation"
    verbose_name = "诉讼"

    def ready(self) -> None:
        from . import stage_rows

        stage_rows.register()
        from suyuan.disputes.clocks import register_expiry_handler

        from . import (  # noqa: F401  (registers CASE, CONFIRMATION, RETRIAL, AID)
            lifecycle,
            lifecycle_after,
            objection_lifecycle,
        )
        from .court_mediation import court_mediation_expired
        from .effective import on_appeal_period_lapsed

        register_expiry_handler("court_mediation", court_mediation_expired)
        register_expiry_handler("appeal_judgment", on_appeal_period_lapsed)
        from .transfers import RULING_APPEAL_RULE, on_ruling_appeal_lapsed

        register_expiry_handler(RULING_APPEAL_RULE, on_ruling_appeal_lapsed)

        from suyuan.disputes.bulk import register_bulk_action

        from .bulk import bulk_register, procedure_options
        from .casework import COURT_ROLES

        register_bulk_action("register", "登记立案", COURT_ROLES, bulk_register,
                             option_label="审理程序", options=procedure_options)

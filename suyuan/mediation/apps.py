from django.apps import AppConfig


class MediationConfig(AppConfig):
    name = "suyuan.mediation"
    label = "mediation"
    verbose_name = "诉前调解"

    def ready(self) -> None:
        from . import stage_rows

        stage_rows.register()
        from suyuan.disputes.lifecycle import DISPUTE

        from .agreements import stop_confirmation_clock

        if stop_confirmation_clock not in DISPUTE.after:
            DISPUTE.after.append(stop_confirmation_clock)

        from suyuan.disputes.bulk import register_bulk_action

        from .bulk import bulk_refer, organisation_options
        from .services import REFERRER_ROLES

        register_bulk_action("refer", "委派调解", REFERRER_ROLES, bulk_refer,
                             option_label="调解组织", options=organisation_options)

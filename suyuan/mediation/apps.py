from django.apps import AppConfig


class MediationConfig(AppConfig):
    name = "suyuan.mediation"
    label = "mediation"
    verbose_name = "诉前调解"

    def ready(self) -> None:
        from suyuan.disputes.lifecycle import DISPUTE

        from .agreements import stop_confirmation_clock

        if stop_confirmation_clock not in DISPUTE.after:
            DISPUTE.after.append(stop_confirmation_clock)

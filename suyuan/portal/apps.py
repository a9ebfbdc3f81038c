from django.apps import AppConfig


class PortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "suyuan.portal"
    verbose_name = "当事人门户"

    def ready(self) -> None:
        from . import actions

        actions.register()

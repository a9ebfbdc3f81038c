from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "suyuan.disputes"
    label = "disputes"
    verbose_name = "纠纷"

    def ready(self) -> None:
        # Every app's lifecycle module registers its table (workflow.REGISTRY), like admin.py.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("lifecycle")

from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "suyuan.disputes"
    label = "disputes"
    verbose_name = "纠纷"

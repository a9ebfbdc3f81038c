from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "suyuan.common"
    label = "common"
    verbose_name = "公共"

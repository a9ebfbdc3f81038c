from django.apps import AppConfig


class PartiesConfig(AppConfig):
    name = "suyuan.parties"
    label = "parties"
    verbose_name = "当事人"

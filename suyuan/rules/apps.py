from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "suyuan.rules"
    label = "rules"
    verbose_name = "法律规则"

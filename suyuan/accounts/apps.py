from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "suyuan.accounts"
    label = "accounts"
    verbose_name = "账户、角色与审计"

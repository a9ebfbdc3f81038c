from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "suyuan.network"
    label = "network"
    verbose_name = "解纷网络"

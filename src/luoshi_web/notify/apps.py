from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "luoshi_web.notify"
    label = "notify"
    verbose_name = "通知"

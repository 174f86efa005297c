from django.apps import AppConfig


class Config(AppConfig):
    name = "luoshi_web.exports"
    label = "exports"
    verbose_name = "导出"

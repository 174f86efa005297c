from django.apps import AppConfig


class Config(AppConfig):
    name = "luoshi_web.accounts"
    label = "accounts"
    verbose_name = "账户"
    default_auto_field = "django.db.models.BigAutoField"

from django.apps import AppConfig


class TaptimeConfig(AppConfig):
    name = "taptime"
    verbose_name = "TapTime"

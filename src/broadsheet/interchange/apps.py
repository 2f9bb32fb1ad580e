from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "broadsheet.interchange"
    label = "interchange"
    verbose_name = "Import and export"

from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "broadsheet.media"
    label = "media"
    verbose_name = "Image library"

from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "broadsheet.discussion"
    label = "discussion"
    verbose_name = "Discussion"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "broadsheet.notifications"
    label = "notifications"
    verbose_name = _("Reply e-mails")

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started

        from broadsheet.notifications import outbox

        # Mail queued while a request runs is sent once its answer has gone out.
        request_started.connect(outbox.request_started)
        request_finished.connect(outbox.request_finished)

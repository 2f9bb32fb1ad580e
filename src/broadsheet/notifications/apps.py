from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "broadsheet.notifications"
    label = "notifications"
    verbose_name = "Reply e-mails"

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started

        from broadsheet.notifications import outbox

        # Mail queued while a request runs is sent once its answer has gone out.
        request_started.connect(outbox.request_started)
        request_finished.connect(outbox.request_finished)

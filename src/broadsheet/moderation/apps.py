from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "broadsheet.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from broadsheet.discussion.rendering import CommentLink, register_comment_link

        register_comment_link(
            CommentLink(key="report", url_name="moderation:report", label="Report", rel="nofollow")
        )

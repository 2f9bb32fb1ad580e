from django.http import HttpRequest

from broadsheet.newsroom.models import Section, SiteSettings


def site(request: HttpRequest) -> dict:
    return {
        "site": SiteSettings.for_request(request),
        # Lazy: evaluated only by templates that draw the section menu.
        "nav_sections": Section.objects.filter(parent__isnull=True),
    }

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Site search: the search page and the ``search`` command. The index it reads is
    kept by newsroom (``newsroom.indexing``), in the transactions that change articles."""

    name = "broadsheet.search"
    label = "search"
    verbose_name = _("Search")

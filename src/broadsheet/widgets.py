"""The admin's form widgets, where Broadsheet draws one otherwise than Django."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib.admin import widgets
from django.db import models


class LabelledSplitDateTime(widgets.AdminSplitDateTime):
    """Django's two boxes of a date and time, each labelled by its word ("Date:",
    "Time:"), which Django writes as bare text: screen readers named neither box."""

    template_name = "admin/widgets/labelled_split_datetime.html"


# For a ModelAdmin's ``formfield_overrides``: Django's field for a date and time, with
# the boxes labelled.
LABELLED_DATETIMES: dict[type[models.Field], Mapping[str, Any]] = {
    models.DateTimeField: {"form_class": forms.SplitDateTimeField, "widget": LabelledSplitDateTime}
}

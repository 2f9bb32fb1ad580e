from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture
def admin_editor(client, django_user_model) -> Client:
    """The test client, signed in as an editor who may do everything (a superuser)."""
    client.force_login(
        django_user_model.objects.create_superuser("ed", "ed@example.org", "pw-long-1234")
    )
    return client

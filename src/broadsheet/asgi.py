import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
# Django's ASGI handler runs each request's code in a thread of its own, and a kept
# database connection belongs to its thread: kept, it would outlive the thread,
# open, until collected. Under ASGI each request closes what it opened (settings.py).
os.environ["BROADSHEET_ASGI"] = "1"
application = get_asgi_application()

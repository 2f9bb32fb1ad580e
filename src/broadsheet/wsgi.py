import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
application = get_wsgi_application()

# A web server scores comments: load scikit-learn now, once (before gunicorn's
# workers fork, with --preload), not on each worker's first comment. Commands
# leave it until they need it.
from broadsheet.moderation.learned import load_libraries  # noqa: E402

load_libraries()

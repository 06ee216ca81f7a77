import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# The views load now rather than on the first request; then everything loaded lives as long
# as the process, so the collector's full passes stop walking it (they paused requests).
get_resolver().url_patterns  # noqa: B018
gc.freeze()

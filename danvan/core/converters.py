"""`<text:name>` in a URL pattern: a path segment without control characters.

Django's `str` takes any character but "/", so `/tra-cuu/%00/` handed a NUL to the lookup
of a tracking code, and PostgreSQL refuses a query parameter holding one (a server error).
A URL holding a control character names no page of ours: with this converter it matches no
pattern and gets the 404 page (Open311 and the REST API answer their own 404 document).
"""

from django.urls.converters import StringConverter


class TextConverter(StringConverter):
    regex = "[^/\x00-\x1f\x7f-\x9f]+"

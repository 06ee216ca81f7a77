"""The browsable API docs (Swagger UI) under the platform's Content Security Policy.

django-ninja's page carries its settings in an inline <script> block; this one puts them
in a data attribute read by a static script, so the page needs no inline script at all.
"""

from ninja.openapi.docs import Swagger


class SelfHostedSwagger(Swagger):
    template = "api/swagger.html"

from django.urls import URLPattern, URLResolver, include, path

from . import open311
from .rest import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("open311/v2/", include(open311.urlpatterns)),
    path("api/v1/", api.urls),
]

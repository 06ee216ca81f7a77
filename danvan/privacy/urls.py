from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("download/", views.export, name="export"),
    path("requests/", views.requests, name="requests"),
]

from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("staff/", views.staff_home, name="staff-home"),
    path("after-login/", views.after_login, name="after-login"),
    path("units/", views.units, name="units"),
]

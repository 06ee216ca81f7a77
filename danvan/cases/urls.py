from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("gui-don/", views.submit, name="submit"),
    path("tra-cuu/", views.track, name="track"),
    path("tra-cuu/<str:code>/", views.track_detail, name="track-detail"),
    path("don-cua-toi/", views.my_cases, name="mine"),
    path("staff/cases/", views.queue, name="queue"),
    path("staff/cases/<int:pk>/", views.detail, name="detail"),
    path("staff/cases/<int:pk>/<str:action>/", views.act, name="act"),
]

from django.urls import URLPattern, path

from . import views

app_name = "insights"
urlpatterns: list[URLPattern] = [
    path("staff/insights/", views.overview_page, name="overview"),
    path("staff/insights/letters/", views.letters_page, name="letters"),
    path("staff/insights/bao-cao.xlsx", views.report, {"fmt": "xlsx"}, name="report-xlsx"),
    path("staff/insights/bao-cao.docx", views.report, {"fmt": "docx"}, name="report-docx"),
]

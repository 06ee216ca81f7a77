from django.urls import URLPattern, URLResolver, path

from . import views, views_assessment

app_name = "evaluation"
A = "staff/evaluation/assessments/<int:pk>/"
urlpatterns: list[URLPattern | URLResolver] = [
    path("staff/evaluation/", views.index, name="index"),
    path("staff/evaluation/rounds/new/", views.round_new, name="round-new"),
    path("staff/evaluation/rounds/<int:pk>/", views.round_detail, name="round"),
    path("staff/evaluation/rounds/<int:pk>/ranking/", views.ranking, name="ranking"),
    path("staff/evaluation/rounds/<int:pk>/ket-qua.xlsx", views.ranking_xlsx, name="ranking-xlsx"),
    path("staff/evaluation/rounds/<int:pk>/quyet-dinh.docx", views.decision, name="decision"),
    path("staff/evaluation/rounds/<int:pk>/<slug:step>/", views.round_step, name="round-step"),
    path(A, views_assessment.assessment_detail, name="assessment"),
    path(f"{A}lines/<int:criterion_id>/self/", views_assessment.self_score, name="self-score"),
    path(
        f"{A}lines/<int:criterion_id>/review/", views_assessment.review_score, name="review-score"
    ),
    path(f"{A}assessor/", views_assessment.assessor, name="assessor"),
    path(f"{A}submit/", views_assessment.submit, name="submit"),
    path(f"{A}eligibility/", views_assessment.eligibility, name="eligibility"),
    path(f"{A}reviewed/", views_assessment.review_done, name="review-done"),
    path(f"{A}figures/", views_assessment.figures, name="figures"),
    path(f"{A}evidence/<int:evidence_id>/", views_assessment.evidence_file, name="evidence"),
]

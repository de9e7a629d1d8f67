from django.urls import path

from husly.insight import fairness_views, views

app_name = "insight"
urlpatterns = [
    path("kostra/", views.kostra, name="kostra"),
    path("likebehandling/", fairness_views.fairness, name="fairness"),
    path("likebehandling/pdf/", fairness_views.fairness_pdf, name="fairness_pdf"),
]

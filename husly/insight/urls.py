from django.urls import path

from husly.insight import dashboard_views, fairness_views, unit_views, views

app_name = "insight"
urlpatterns = [
    path("kostra/", views.kostra, name="kostra"),
    path("oversikt/", dashboard_views.dashboard, name="dashboard"),
    path("oversikt/enhet/", unit_views.my_unit_dashboard, name="own_unit_dashboard"),
    path("oversikt/enhet/<int:pk>/", unit_views.unit_dashboard, name="unit_dashboard"),
    path(
        "oversikt/enhet/<int:pk>/<slug:key>/",
        unit_views.unit_dashboard_list,
        name="unit_dashboard_list",
    ),
    path("oversikt/<slug:key>/", dashboard_views.dashboard_list, name="dashboard_list"),
    path("kostra/<int:year>/<slug:key>/", views.kostra_households, name="kostra_households"),
    path("likebehandling/", fairness_views.fairness, name="fairness"),
    path("likebehandling/pdf/", fairness_views.fairness_pdf, name="fairness_pdf"),
]

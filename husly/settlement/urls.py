from django.urls import path

from husly.settlement import views

app_name = "settlement"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("framdrift/", views.progress, name="progress"),
    path("vedtak/", views.decision_edit, name="decision_edit"),
    path("anmodning/ny/", views.request_create, name="request_create"),
    path("anmodning/<int:pk>/", views.request_detail, name="request_detail"),
    path("anmodning/<int:pk>/svar/", views.request_letter, name="request_letter"),
    path("sak/<int:pk>/", views.case_detail, name="case_detail"),
    path(
        "sak/<int:pk>/selvbosetting/brev/",
        views.self_settlement_letter,
        name="self_settlement_letter",
    ),
    path("sak/<int:pk>/leiekontrakt/", views.case_lease, name="case_lease"),
    path("sak/<int:pk>/<slug:step>/", views.case_step, name="case_step"),
    path(
        "minside/selvbosetting/<int:pk>/",
        views.my_self_settlement_letter,
        name="my_self_settlement_letter",
    ),
    path("bygg/<int:building_pk>/omgivelser/", views.surroundings_edit, name="surroundings_edit"),
]

from django.urls import path

from husly.loans import application_views, team_views, views

app_name = "loans"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("ny/", application_views.application_new, name="application_new"),
    path("ny/<int:household_pk>/", application_views.application_create, name="application_create"),
    path(
        "sak/<int:case_pk>/detaljer/",
        application_views.application_complete,
        name="application_complete",
    ),
    path("dokument/<int:pk>/mottatt/", application_views.document_receive, name="document_receive"),
    path("betalingsfil/", application_views.payment_file, name="payment_file"),
    path("soknad/<int:pk>/", views.application_detail, name="application"),
    path("soknad/<int:pk>/<slug:step>/", views.application_step, name="application_step"),
    path("mote/", views.meeting_create, name="meeting_create"),
    path("mote/<int:pk>/", views.meeting_detail, name="meeting"),
    path("innstilling/<int:pk>/", views.recommendation_decide, name="recommendation_decide"),
    path("tilsagn/<int:pk>/<slug:step>/", views.approval_step, name="approval_step"),
    path("lan/<int:pk>/", views.loan_detail, name="loan"),
    path("lan/<int:pk>/<slug:step>/", views.loan_step, name="loan_step"),
    path("lan/<int:pk>/avslutt/<slug:step>/", team_views.loan_end, name="loan_end"),
    path("finansiering/", team_views.funding, name="funding"),
    path("kandidater/", team_views.candidates, name="candidates"),
    path("kandidater/foresla/", team_views.candidate_propose, name="candidate_propose"),
    path("kandidater/<int:pk>/<slug:step>/", team_views.candidate_step, name="candidate_step"),
    path("unntak/soknad/<int:pk>/", team_views.exception_record, name="exception_record"),
    path("unntak/<int:pk>/trekk/", team_views.exception_withdraw, name="exception_withdraw"),
    path("tilskudd/", team_views.grants, name="grants"),
    path("tilskudd/ny/<int:household_pk>/", team_views.grant_create, name="grant_create"),
    path("tilskudd/<int:pk>/", team_views.grant_detail, name="grant"),
    path("tilskudd/<int:pk>/<slug:step>/", team_views.grant_step, name="grant_step"),
]

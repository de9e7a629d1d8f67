from django.urls import path

from husly.cases import assessment_views, views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("arbeidsliste/", views.work_list, name="work_list"),
    path(
        "fristvarsel/<int:pk>/sett/",
        views.deadline_alert_dismiss,
        name="deadline_alert_dismiss",
    ),
    path("ruting/", views.routing, name="routing"),
    path("ny/", views.case_new, name="case_new"),
    path("ny/<int:household_pk>/", views.case_create, name="case_create"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/soknad/", views.application_edit, name="application_edit"),
    path("<int:pk>/ta-saken/", views.case_assign_me, name="case_assign_me"),
    path("<int:pk>/tildel/", views.case_assign, name="case_assign"),
    path("<int:pk>/avslutt/", views.case_close, name="case_close"),
    path("<int:pk>/gjenapne/", views.case_reopen, name="case_reopen"),
    path("<int:pk>/send-videre/", views.case_refer, name="case_refer"),
    path("<int:pk>/notat/", views.note_add, name="note_add"),
    path("<int:pk>/dokument/", views.document_add, name="document_add"),
    path("<int:pk>/vurdering/", assessment_views.assessment_run, name="assessment_run"),
    path("<int:pk>/vurdering/fakta/", assessment_views.assessment_facts, name="assessment_facts"),
    path("<int:pk>/vedtak/ny/", views.decision_create, name="decision_create"),
    path(
        "<int:pk>/forelopig-svar/", views.preliminary_reply_create, name="preliminary_reply_create"
    ),
    path(
        "forelopig-svar/<int:pk>/brev/",
        views.preliminary_reply_letter,
        name="preliminary_reply_letter",
    ),
    path("dokumenter/<int:pk>/", views.document_download, name="document_download"),
    path("vedtak/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("vedtak/<int:pk>/endre/", views.decision_edit, name="decision_edit"),
    path("vedtak/<int:pk>/brev/", views.decision_letter, name="decision_letter"),
    path("vedtak/<int:pk>/klage/ny/", views.appeal_create, name="appeal_create"),
    path("vedtak/<int:pk>/<slug:step>/", views.decision_step, name="decision_step"),
    path("klager/<int:pk>/", views.appeal_detail, name="appeal_detail"),
    path("klager/<int:pk>/<slug:step>/", views.appeal_step, name="appeal_step"),
]

from django.urls import path

from husly.loans import application_views, views

app_name = "loans"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("ny/", application_views.application_new, name="application_new"),
    path("ny/<int:household_pk>/", application_views.application_create, name="application_create"),
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
]

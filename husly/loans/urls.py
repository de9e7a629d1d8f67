from django.urls import path

from husly.loans import views

app_name = "loans"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("soknad/<int:pk>/", views.application_detail, name="application"),
    path("soknad/<int:pk>/<slug:step>/", views.application_step, name="application_step"),
    path("mote/", views.meeting_create, name="meeting_create"),
    path("mote/<int:pk>/", views.meeting_detail, name="meeting"),
    path("innstilling/<int:pk>/", views.recommendation_decide, name="recommendation_decide"),
    path("tilsagn/<int:pk>/<slug:step>/", views.approval_step, name="approval_step"),
    path("lan/<int:pk>/", views.loan_detail, name="loan"),
    path("lan/<int:pk>/<slug:step>/", views.loan_step, name="loan_step"),
]

from django.urls import path

from husly.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("logg-inn/", views.portal_login, name="login"),
    path("sok/", views.apply, name="apply"),
    path("sak/<int:pk>/", views.case_detail, name="case"),
    path("sak/<int:pk>/soknad/", views.case_edit, name="case_edit"),
    path("vedtak/<int:pk>/brev/", views.decision_letter, name="decision_letter"),
    path("vedtak/<int:pk>/klage/", views.appeal, name="appeal"),
]

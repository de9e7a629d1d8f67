from django.urls import path

from husly.arrears import views

app_name = "arrears"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/<slug:step>/", views.case_step, name="case_step"),
    path("brev/<int:pk>/", views.step_document, name="step_document"),
    path("varsel/", views.external_register, name="external_register"),
    path("husleiemote/", views.meeting_list, name="meeting_list"),
    path("husleiemote/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("minside/brev/<int:pk>/", views.my_letter, name="my_letter"),
]

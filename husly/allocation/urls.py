from django.urls import path

from husly.allocation import views

app_name = "allocation"
urlpatterns = [
    path("", views.waiting_list, name="waiting_list"),
    path("venteliste/<int:pk>/", views.entry_detail, name="entry_detail"),
    path("venteliste/<int:pk>/<slug:step>/", views.entry_step, name="entry_step"),
    path("ledige/", views.vacancies, name="vacancies"),
    path("ledige/<int:dwelling_pk>/kortliste/", views.shortlist, name="shortlist"),
    path("kjoringer/<int:pk>/", views.run_detail, name="run_detail"),
    path("moter/", views.meeting_list, name="meeting_list"),
    path("moter/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("moter/<int:pk>/<slug:step>/", views.meeting_step, name="meeting_step"),
    path("saker/<int:pk>/", views.item_decide, name="item_decide"),
    path("tilbud/<int:pk>/", views.offer_detail, name="offer_detail"),
    path("regler/", views.policy, name="policy"),
    path("minside/tilbud/<int:pk>/", views.my_offer, name="my_offer"),
]

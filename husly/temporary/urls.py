from django.urls import path

from husly.temporary import views

app_name = "temporary"
urlpatterns = [
    path("", views.stay_list, name="stay_list"),
    path("plasser/", views.stay_place, name="stay_place"),
    path("opphold/<int:pk>/", views.stay_detail, name="stay_detail"),
    path("opphold/<int:pk>/forleng/", views.stay_extend, name="stay_extend"),
    path("opphold/<int:pk>/flytt/", views.stay_move, name="stay_move"),
    path("opphold/<int:pk>/avslutt/", views.stay_end, name="stay_end"),
    path("flagg/", views.flags, name="flags"),
    path("tilbydere/", views.provider_list, name="provider_list"),
    path("tilbydere/ny/", views.provider_create, name="provider_create"),
    path("tilbydere/<int:pk>/", views.provider_detail, name="provider_detail"),
    path("tilbydere/<int:pk>/<slug:what>/", views.provider_add, name="provider_add"),
    path("bostedslose/", views.homeless, name="homeless"),
    path("minside/<int:pk>/", views.my_stay, name="my_stay"),
    path("husstand/<int:pk>/bosituasjon/", views.situation_record, name="situation_record"),
]

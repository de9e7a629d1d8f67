from django.urls import path

from husly.housing import views

app_name = "housing"
urlpatterns = [
    path("", views.dwelling_list, name="dwelling_list"),
    path("ny/", views.dwelling_create, name="dwelling_create"),
    path("<int:pk>/", views.dwelling_detail, name="dwelling_detail"),
    path("<int:pk>/endre/", views.dwelling_edit, name="dwelling_edit"),
    path("<int:pk>/status/", views.dwelling_status, name="dwelling_status"),
    path("bygg/", views.building_list, name="building_list"),
    path("bygg/ny/", views.building_create, name="building_create"),
    path("bygg/<int:pk>/", views.building_detail, name="building_detail"),
    path("bygg/<int:pk>/endre/", views.building_edit, name="building_edit"),
]

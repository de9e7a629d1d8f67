from django.urls import path

from husly.policy import views

app_name = "policy"
urlpatterns = [
    path("", views.simulation, name="simulation"),
    path("<int:pk>/", views.run_detail, name="run_detail"),
    path("koe/<int:pk>/", views.request_detail, name="request_detail"),
]

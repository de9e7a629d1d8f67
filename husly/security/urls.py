from django.urls import path

from husly.security import views

app_name = "security"
urlpatterns = [
    path("tofaktor/ny/", views.otp_setup, name="otp_setup"),
    path("tofaktor/", views.otp_verify, name="otp_verify"),
]

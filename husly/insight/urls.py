from django.urls import path

from husly.insight import views

app_name = "insight"
urlpatterns = [
    path("kostra/", views.kostra, name="kostra"),
]

from django.urls import path

from husly.insight import views

app_name = "insight"
urlpatterns = [
    path("kostra/", views.kostra, name="kostra"),
    path("kostra/<int:year>/<slug:key>/", views.kostra_households, name="kostra_households"),
]

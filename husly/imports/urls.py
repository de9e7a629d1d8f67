from django.urls import path

from husly.imports import views as import_views

app_name = "imports"
urlpatterns = [
    path("<str:kind>/", import_views.upload, name="upload"),
    path("bekreft/<int:pk>/", import_views.confirm, name="confirm"),
    path("status/<int:pk>/", import_views.batch, name="batch"),
]

from django.urls import path

from husly.api import views

app_name = "api"
urlpatterns = [
    path("", views.client_list, name="client_list"),
    path("ny/", views.client_create, name="client_create"),
    path("<int:pk>/", views.client_detail, name="client_detail"),
    path("<int:pk>/trekk-tilbake/", views.client_revoke, name="client_revoke"),
    path("<int:pk>/webhook/", views.subscription_add, name="subscription_add"),
    path(
        "<int:pk>/webhook/<int:subscription_pk>/fjern/",
        views.subscription_remove,
        name="subscription_remove",
    ),
]

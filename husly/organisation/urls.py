from django.urls import path

from husly.organisation import views

app_name = "organisation"
urlpatterns = [
    path("kommuner/", views.municipality_list, name="municipality_list"),
    path("kommuner/ny/", views.municipality_create, name="municipality_create"),
    path("kommuner/<int:pk>/", views.municipality_detail, name="municipality_detail"),
    path("kommuner/<int:pk>/endre/", views.municipality_edit, name="municipality_edit"),
    path("enheter/", views.unit_list, name="unit_list"),
    path("enheter/ny/", views.unit_create, name="unit_create"),
    path("enheter/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("enheter/<int:pk>/endre/", views.unit_edit, name="unit_edit"),
    path("ansatte/", views.staff_list, name="staff_list"),
    path("ansatte/ny/", views.staff_create, name="staff_create"),
    path("ansatte/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("ansatte/<int:pk>/endre/", views.staff_edit, name="staff_edit"),
    path("ansatte/<int:pk>/roller/", views.membership_add, name="membership_add"),
    path(
        "ansatte/<int:pk>/roller/<int:membership_pk>/fjern/",
        views.membership_remove,
        name="membership_remove",
    ),
]

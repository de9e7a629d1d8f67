from django.urls import path

from husly.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("ny/", views.person_create, name="person_create"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/endre/", views.person_edit, name="person_edit"),
    path("<int:pk>/nodtilgang/", views.person_emergency, name="person_emergency"),
    path("<int:pk>/innsynslogg/", views.person_access_log, name="person_access_log"),
    path("<int:person_pk>/ny-husstand/", views.household_create, name="household_create"),
    path("husstander/", views.household_list, name="household_list"),
    path("husstander/<int:pk>/", views.household_detail, name="household_detail"),
    path("husstander/<int:pk>/nodtilgang/", views.household_emergency, name="household_emergency"),
    path("husstander/<int:pk>/endre/", views.household_edit, name="household_edit"),
    path(
        "husstander/<int:pk>/medlemmer/ny/", views.household_member_add, name="household_member_add"
    ),
    path(
        "husstander/<int:pk>/medlemmer/<int:member_pk>/fjern/",
        views.household_member_remove,
        name="household_member_remove",
    ),
    path(
        "husstander/<int:pk>/oppgitte/<int:stated_pk>/bekreft/",
        views.stated_member_confirm,
        name="stated_member_confirm",
    ),
    path(
        "husstander/<int:pk>/oppgitte/<int:stated_pk>/avvis/",
        views.stated_member_reject,
        name="stated_member_reject",
    ),
]

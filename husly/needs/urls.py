from django.urls import path

from husly.needs import views

app_name = "needs"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("runder/ny/", views.round_open, name="round_open"),
    path("runder/<int:pk>/", views.round_detail, name="round_detail"),
    path("runder/<int:pk>/lukk/", views.round_close, name="round_close"),
    path("runder/<int:pk>/excel/", views.export_xlsx, name="export_xlsx"),
    path("runder/<int:pk>/pdf/", views.export_pdf, name="export_pdf"),
    path(
        "registreringer/<int:pk>/trekk/", views.registration_withdraw, name="registration_withdraw"
    ),
]

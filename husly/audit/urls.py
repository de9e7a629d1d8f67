from django.urls import path

from husly.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_search, name="search"),
    path("personer/<int:pk>/innsyn.json", views.person_export_json, name="person_export_json"),
    path("personer/<int:pk>/innsyn.pdf", views.person_export_pdf, name="person_export_pdf"),
]

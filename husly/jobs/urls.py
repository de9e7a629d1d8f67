from django.urls import path

from husly.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("<int:pk>/kjor-igjen/", views.job_retry, name="job_retry"),
    path("eksport/<int:pk>/", views.export_detail, name="export_detail"),
    path("eksport/<int:pk>/fil/", views.export_download, name="export_download"),
]

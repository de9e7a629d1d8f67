from django.urls import path

from husly.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("<int:pk>/kjor-igjen/", views.job_retry, name="job_retry"),
]

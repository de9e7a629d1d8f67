from django.urls import path

from husly.calculators import views

app_name = "calculators"
urlpatterns = [
    path("bostotte/", views.staff_allowance, name="allowance"),
    path("startlan/", views.staff_loan, name="loan"),
]

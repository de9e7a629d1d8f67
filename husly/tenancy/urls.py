from django.urls import path

from husly.tenancy import views

app_name = "tenancy"
urlpatterns = [
    path("", views.lease_list, name="lease_list"),
    path("ny/<int:offer_pk>/", views.lease_create, name="lease_create"),
    path("<int:pk>/", views.lease_detail, name="lease_detail"),
    path("<int:pk>/kontrakt/", views.lease_document, name="lease_document"),
    path("<int:pk>/fornye/", views.lease_renew, name="lease_renew"),
    path("<int:pk>/<slug:step>/", views.lease_step, name="lease_step"),
    path("statistikk/", views.throughput, name="throughput"),
    path("vilkar/", views.tenancy_terms, name="terms"),
    path("minside/<int:pk>/fornye/", views.my_renewal_apply, name="my_renewal_apply"),
    path("minside/<int:pk>/kontrakt/", views.my_lease_document, name="my_lease_document"),
]

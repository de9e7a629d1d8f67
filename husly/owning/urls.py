from django.urls import path

from husly.owning import views

app_name = "owning"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("tall/", views.figures, name="figures"),
    path("vurder/<int:lease_pk>/", views.assess, name="assess"),
    path("vurdering/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("vurdering/<int:pk>/kjop/", views.purchase_record, name="purchase_record"),
    path("salg/ny/<int:lease_pk>/", views.sale_offer, name="sale_offer"),
    path("salg/<int:pk>/", views.sale_detail, name="sale_detail"),
    path("salg/<int:pk>/brev/", views.sale_letter, name="sale_letter"),
    path("minside/salg/<int:pk>/", views.my_sale_letter, name="my_sale_letter"),
    path("salg/<int:pk>/<slug:step>/", views.sale_step, name="sale_step"),
    path("leie-for-eie/", views.agreement_list, name="agreement_list"),
    path("leie-for-eie/ny/<int:lease_pk>/", views.agreement_create, name="agreement_create"),
    path("leie-for-eie/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("leie-for-eie/<int:pk>/<slug:step>/", views.agreement_step, name="agreement_step"),
]

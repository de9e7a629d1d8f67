from django.urls import path

from husly.landlords import views

app_name = "landlords"
urlpatterns = [
    path("", views.landlord_list, name="landlord_list"),
    path("ny/", views.landlord_create, name="landlord_create"),
    path("<int:pk>/", views.landlord_detail, name="landlord_detail"),
    path("<int:pk>/endre/", views.landlord_edit, name="landlord_edit"),
    path("<int:pk>/kontakt/", views.landlord_contact, name="landlord_contact"),
    path("<int:pk>/bolig/", views.dwelling_add, name="dwelling_add"),
    path("<int:pk>/avtale/<slug:kind>/", views.agreement_create, name="agreement_create"),
    path("bolig/<int:pk>/vurdering/", views.dwelling_assess, name="dwelling_assess"),
    path("henvendelser/", views.enquiry_list, name="enquiry_list"),
    path("henvendelser/<int:pk>/svar/", views.enquiry_answer, name="enquiry_answer"),
    path("henvendelser/<int:pk>/ta/", views.enquiry_take, name="enquiry_take"),
    path("avtaler/", views.agreement_list, name="agreement_list"),
    path("avtaler/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("avtaler/<int:pk>/<slug:step>/", views.agreement_step, name="agreement_step"),
    path("feil/<int:pk>/", views.fault_update, name="fault_update"),
    path("tall/", views.figures, name="figures"),
]

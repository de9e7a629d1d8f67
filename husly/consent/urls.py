from django.urls import path

from husly.consent import views

app_name = "consent"
urlpatterns = [
    path("sak/<int:case_pk>/samtykke/ny/", views.consent_create, name="consent_create"),
    path("sak/<int:case_pk>/hjemmel/ny/", views.legal_basis_create, name="legal_basis_create"),
    path("samtykke/<int:pk>/trekk-tilbake/", views.consent_withdraw, name="consent_withdraw"),
    path("hjemmel/<int:pk>/avslutt/", views.legal_basis_end, name="legal_basis_end"),
]

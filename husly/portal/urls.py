from django.urls import path

from husly.calculators import views as calculators
from husly.loans import application_views as loans
from husly.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("logg-inn/", views.portal_login, name="login"),
    path("sok/", views.apply, name="apply"),
    path("sak/<int:pk>/", views.case_detail, name="case"),
    path("sak/<int:pk>/soknad/", views.case_edit, name="case_edit"),
    path("sak/<int:pk>/trekk-tilbake/", views.case_withdraw, name="case_withdraw"),
    path("sak/<int:pk>/slett-utkast/", views.case_delete, name="case_delete"),
    path("vedtak/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("vedtak/<int:pk>/brev/", views.decision_letter, name="decision_letter"),
    path("forelopig-svar/<int:pk>/", views.preliminary_reply_detail, name="preliminary_reply"),
    path(
        "forelopig-svar/<int:pk>/brev/",
        views.preliminary_reply_letter,
        name="preliminary_reply_letter",
    ),
    path("vedtak/<int:pk>/klage/", views.appeal, name="appeal"),
    path("startlan/sok/", loans.portal_apply, name="loan_apply"),
    path("startlan/<int:pk>/", loans.portal_loan, name="loan_case"),
    path("startlan/fraradning/<int:pk>/", loans.portal_advice_letter, name="loan_advice_letter"),
    path("kalkulator/bostotte/", calculators.portal_allowance, name="allowance"),
    path("kalkulator/startlan/", calculators.portal_loan, name="loan"),
    path("innsyn/", views.access_log, name="access_log"),
    path("mine-data/<int:pk>/innsyn.json", views.my_export_json, name="export_json"),
    path("mine-data/<int:pk>/innsyn.pdf", views.my_export_pdf, name="export_pdf"),
    path("deling/", views.sharing, name="sharing"),
    path("sak/<int:pk>/samtykke/", views.consent_give, name="consent_give"),
    path(
        "deling/samtykke/<int:pk>/trekk-tilbake/", views.consent_withdraw, name="consent_withdraw"
    ),
]

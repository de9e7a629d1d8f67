from django.urls import path

from husly.rent import views

app_name = "rent"
urlpatterns = [
    path("", views.arrears_list, name="arrears"),
    path("leieforhold/<int:pk>/", views.ledger, name="ledger"),
    path("leieforhold/<int:pk>/betaling/", views.payment_add, name="payment_add"),
    path("leieforhold/<int:pk>/indeksregulering/", views.index_adjust, name="index_adjust"),
    path("leieforhold/<int:pk>/varsel/<int:rent_pk>/", views.notice_document, name="notice"),
    path(
        "leieforhold/<int:pk>/varsel/<int:rent_pk>/sendt/",
        views.notice_dispatch,
        name="notice_dispatch",
    ),
    path("indeksregulering/", views.index_due, name="index_due"),
    path("innbetalinger/", views.payment_upload, name="payment_upload"),
    path("innbetalinger/<int:pk>/bokfor/", views.payment_confirm, name="payment_confirm"),
    path("innbetalinger/uplassert/", views.unmatched, name="unmatched"),
    path("innbetalinger/uplassert/<int:pk>/", views.payment_place, name="payment_place"),
    path("tomgangsleie/", views.vacancy, name="vacancy"),
    path("eksport.csv", views.ledger_export, name="export"),
    path("minside/<int:pk>/", views.my_ledger, name="my_ledger"),
]

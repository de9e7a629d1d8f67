from django.urls import path

from husly.followup import views

app_name = "followup"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("leieforhold/<int:pk>/", views.tenant, name="tenant"),
    path("leieforhold/<int:pk>/boplan/", views.plan_offer, name="plan_offer"),
    path("leieforhold/<int:pk>/hendelse/", views.incident_create, name="incident_create"),
    path("leieforhold/<int:pk>/advarsel/", views.warning_create, name="warning_create"),
    path("leieforhold/<int:pk>/befaring/", views.inspection_create, name="inspection_create"),
    path("leieforhold/<int:pk>/planlegg/", views.inspection_schedule, name="inspection_schedule"),
    path("leieforhold/<int:pk>/oppsigelse/", views.move_out_notice, name="move_out_notice"),
    path("boplan/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("advarsler/", views.warning_list, name="warning_list"),
    path("advarsler/<int:pk>/brev/", views.warning_letter, name="warning_letter"),
    path("befaringer/", views.inspection_list, name="inspection_list"),
    path("utflytting/", views.move_out_list, name="move_out_list"),
    path("utflytting/<int:pk>/", views.move_out_detail, name="move_out_detail"),
    path("utflytting/<int:pk>/sluttbefaring/", views.final_inspection, name="final_inspection"),
    path("avslag/", views.refusal_list, name="refusal_list"),
    path("avslag/<int:pk>/", views.refusal_detail, name="refusal_detail"),
    path("innstillinger/", views.followup_settings, name="settings"),
    path("minside/advarsel/<int:pk>/", views.my_warning_letter, name="my_warning_letter"),
    path("minside/boplan/<int:pk>/svar/", views.my_plan_answer, name="my_plan_answer"),
]

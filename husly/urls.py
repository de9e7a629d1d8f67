from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from husly.api import v1 as api_v1
from husly.api import views as api_views
from husly.core import probes
from husly.core import views as core_views
from husly.home import views as home_views
from husly.security import oidc
from husly.security import views as security_views

urlpatterns = [
    path("", home_views.home, name="home"),
    path("logg-inn/", security_views.HuslyLoginView.as_view(), name="login"),
    path("logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    # The language can be chosen before logging in (on both login pages).
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("helse/", core_views.health, name="health"),
    path("healthz", probes.healthz, name="healthz"),
    path("readyz", probes.readyz, name="readyz"),
    path("jobber/", include("husly.jobs.urls")),
    path("tilgjengelighet/", core_views.accessibility, name="accessibility"),
    path("organisasjon/", include("husly.organisation.urls")),
    path("personer/", include("husly.people.urls")),
    path("boliger/", include("husly.housing.urls")),
    path("import/", include("husly.imports.urls")),
    path("saker/", include("husly.cases.urls")),
    path("deling/", include("husly.consent.urls")),
    path("minside/", include("husly.portal.urls")),
    path("kalkulator/", include("husly.calculators.urls")),
    path("tildeling/", include("husly.allocation.urls")),
    path("leieforhold/", include("husly.tenancy.urls")),
    path("restanser/", include("husly.arrears.urls")),
    path("husleie/", include("husly.rent.urls")),
    path("oppfolging/", include("husly.followup.urls")),
    path("bosetting/", include("husly.settlement.urls")),
    path("startlan/", include("husly.loans.urls")),
    path("utleiere/", include("husly.landlords.urls")),
    path("eie/", include("husly.owning.urls")),
    path("sikkerhet/", include("husly.security.urls")),
    path("logg/", include("husly.audit.urls")),
    path("midlertidig/", include("husly.temporary.urls")),
    path("innsikt/", include("husly.insight.urls")),
    path("behov/", include("husly.needs.urls")),
    path("simulering/", include("husly.policy.urls")),
    path("api/v1/", api_v1.urls()),
    path("api/dokumentasjon/", api_views.docs, name="api_docs"),
    path("api-klienter/", include("husly.api.urls")),
    path(
        "innlogging/ansatt/",
        oidc.LoginStartView.as_view(),
        {"provider": oidc.STAFF},
        name="oidc_staff_login",
    ),
    path(
        "innlogging/ansatt/svar/",
        oidc.LoginCallbackView.as_view(),
        {"provider": oidc.STAFF},
        name="oidc_staff_callback",
    ),
    path(
        "innlogging/innbygger/",
        oidc.LoginStartView.as_view(),
        {"provider": oidc.RESIDENT},
        name="oidc_resident_login",
    ),
    path(
        "innlogging/innbygger/svar/",
        oidc.LoginCallbackView.as_view(),
        {"provider": oidc.RESIDENT},
        name="oidc_resident_callback",
    ),
]

handler403 = "husly.core.views.permission_denied"
handler404 = "husly.core.views.page_not_found"

"""Every URL pattern in the project, with objects created for Rælingen: an anonymous user is
sent to the right login page, a user of another municipality gets nothing, a user of a unit the
case is not routed to gets 404 on every case-level URL, and a leader reaches no person-level
page. ``RULES`` says which object each URL kwarg means; a pattern with no rule fails the test,
so a new view cannot forget its check (issue 6).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from husly.cases import actions as case_actions
from husly.cases.models import Appeal, DeadlineAlert, Decision, Document
from husly.consent import actions as consent_actions
from husly.imports.models import ImportBatch
from husly.organisation.models import Membership, User
from husly.people.models import StatedMember
from husly.portal.auth import resident_user
from husly.temporary import actions as temporary_actions
from tests.cases.helpers import ELIGIBLE
from tests.conftest import _user
from tests.factories import BuildingFactory, DwellingFactory, PersonFactory, synthetic_number
from tests.owning import helpers as owning_helpers
from tests.settlement import helpers as settlement_helpers
from tests.temporary.helpers import provider as temporary_provider

pytestmark = pytest.mark.django_db

PUBLIC = "public"  # no login needed
STAFF = "staff"  # a page without an object: another municipality sees none of Rælingen's data
MUNICIPALITY = "municipality"  # an object of Rælingen: another municipality gets 403/404
PERSON = "person"  # ... and a leader reaches nothing (aggregates only)
CASE = "case"  # ... and a unit the case is not routed to gets 404
PORTAL = "portal"  # the household's own pages: staff are refused, other residents get 404
PORTAL_LIST = "portal_list"


@dataclass(frozen=True)
class Rule:
    level: str
    kwargs: dict[str, str]  # URL kwarg -> key in the world (or "=literal")
    method: str = "get"
    owner: str = "sara"  # a user for whom the URL works, so the 404s are about scope


R = Rule
RULES: dict[str, Rule] = {
    "home": R(STAFF, {}),
    "login": R(PUBLIC, {}),
    "logout": R(PUBLIC, {}),
    "set_language": R(PUBLIC, {}),
    "health": R(PUBLIC, {}),
    "healthz": R(PUBLIC, {}),
    "readyz": R(PUBLIC, {}),
    "jobs:job_list": R(STAFF, {}, owner="arne"),
    "jobs:job_retry": R(STAFF, {"pk": "=1"}, "post", owner="none"),
    # An export made on the queue is its asker's alone (sara asked for this one).
    "jobs:export_detail": R(MUNICIPALITY, {"pk": "export_file"}),
    "jobs:export_download": R(MUNICIPALITY, {"pk": "export_file"}),
    "accessibility": R(PUBLIC, {}),
    "oidc_staff_login": R(PUBLIC, {}),
    "oidc_staff_callback": R(PUBLIC, {}),
    "oidc_resident_login": R(PUBLIC, {}),
    "oidc_resident_callback": R(PUBLIC, {}),
    "security:otp_setup": R(STAFF, {}),
    "security:otp_verify": R(STAFF, {}, owner="none"),  # redirects until a device exists
    "organisation:municipality_list": R(STAFF, {}, owner="arne"),
    "organisation:municipality_create": R(STAFF, {}, owner="none"),
    "organisation:municipality_detail": R(MUNICIPALITY, {"pk": "municipality"}, owner="arne"),
    "organisation:municipality_edit": R(MUNICIPALITY, {"pk": "municipality"}, owner="arne"),
    "organisation:unit_list": R(STAFF, {}, owner="arne"),
    "organisation:unit_create": R(STAFF, {}, owner="arne"),
    "organisation:unit_detail": R(MUNICIPALITY, {"pk": "unit"}, owner="arne"),
    "organisation:unit_edit": R(MUNICIPALITY, {"pk": "unit"}, owner="arne"),
    "organisation:staff_list": R(STAFF, {}, owner="arne"),
    "organisation:staff_create": R(STAFF, {}, owner="arne"),
    "organisation:staff_detail": R(MUNICIPALITY, {"pk": "staff"}, owner="arne"),
    "organisation:staff_edit": R(MUNICIPALITY, {"pk": "staff"}, owner="arne"),
    "organisation:membership_add": R(MUNICIPALITY, {"pk": "staff"}, "post", owner="none"),
    "organisation:membership_remove": R(
        MUNICIPALITY, {"pk": "staff", "membership_pk": "membership"}, "post", owner="none"
    ),
    "people:person_list": R(STAFF, {}),
    "people:person_create": R(STAFF, {}),
    "people:person_detail": R(PERSON, {"pk": "person"}),
    "people:person_edit": R(PERSON, {"pk": "person"}),
    "people:person_access_log": R(PERSON, {"pk": "person"}),
    "people:person_emergency": R(PERSON, {"pk": "person"}, "post", owner="none"),
    "people:household_emergency": R(PERSON, {"pk": "household"}, "post", owner="none"),
    "people:household_create": R(PERSON, {"person_pk": "person"}),
    "people:household_list": R(STAFF, {}),
    "people:household_detail": R(PERSON, {"pk": "household"}),
    "people:household_edit": R(PERSON, {"pk": "household"}),
    "people:household_member_add": R(PERSON, {"pk": "household"}),
    "people:household_member_remove": R(
        PERSON, {"pk": "household", "member_pk": "member"}, "post", owner="none"
    ),
    "people:stated_member_confirm": R(
        PERSON, {"pk": "household", "stated_pk": "stated_member"}, "post", owner="none"
    ),
    "people:stated_member_reject": R(
        PERSON, {"pk": "household", "stated_pk": "stated_member"}, "post", owner="none"
    ),
    "housing:dwelling_list": R(STAFF, {}),
    "housing:dwelling_create": R(STAFF, {}, owner="arne"),
    "housing:dwelling_detail": R(MUNICIPALITY, {"pk": "dwelling"}),
    "housing:dwelling_edit": R(MUNICIPALITY, {"pk": "dwelling"}, owner="arne"),
    "housing:dwelling_status": R(MUNICIPALITY, {"pk": "dwelling"}, owner="arne"),
    "housing:building_list": R(STAFF, {}),
    "housing:building_create": R(STAFF, {}, owner="arne"),
    "housing:building_detail": R(MUNICIPALITY, {"pk": "building"}),
    "housing:building_edit": R(MUNICIPALITY, {"pk": "building"}, owner="arne"),
    "imports:upload": R(STAFF, {"kind": "=persons"}, owner="arne"),
    "imports:confirm": R(MUNICIPALITY, {"pk": "import_batch"}, "post", owner="none"),
    "imports:batch": R(MUNICIPALITY, {"pk": "import_batch"}, owner="arne"),  # the uploader only
    "cases:case_list": R(STAFF, {}),
    "cases:work_list": R(STAFF, {}),
    "cases:routing": R(STAFF, {}, owner="arne"),
    "cases:case_create": R(PERSON, {"household_pk": "household"}),
    "cases:case_detail": R(CASE, {"pk": "case"}),
    "cases:application_edit": R(CASE, {"pk": "case"}),
    "cases:case_assign_me": R(CASE, {"pk": "case"}, "post", owner="none"),
    "cases:case_assign": R(CASE, {"pk": "case"}, "post", owner="none"),
    "cases:case_new": R(STAFF, {}),
    "cases:case_close": R(CASE, {"pk": "case"}),
    "cases:deadline_alert_dismiss": R(CASE, {"pk": "deadline_alert"}, "post", owner="none"),
    "cases:case_reopen": R(CASE, {"pk": "case"}),
    "cases:case_refer": R(CASE, {"pk": "case"}),
    "cases:note_add": R(CASE, {"pk": "case"}, "post", owner="none"),
    "cases:document_add": R(CASE, {"pk": "case"}, "post", owner="none"),
    "cases:assessment_run": R(CASE, {"pk": "case"}, "post", owner="none"),
    "cases:assessment_facts": R(CASE, {"pk": "case"}),
    "cases:decision_create": R(CASE, {"pk": "case"}),
    "cases:preliminary_reply_create": R(CASE, {"pk": "case"}),
    "cases:preliminary_reply_letter": R(CASE, {"pk": "preliminary_reply"}),
    "cases:document_download": R(CASE, {"pk": "document"}),
    "cases:decision_detail": R(CASE, {"pk": "decision"}),
    "cases:decision_edit": R(CASE, {"pk": "draft_decision"}),
    "cases:decision_letter": R(CASE, {"pk": "decision"}),
    "cases:appeal_create": R(CASE, {"pk": "decision"}),
    "cases:decision_step": R(CASE, {"pk": "draft_decision", "step": "=submit"}, "post", "none"),
    "cases:appeal_detail": R(CASE, {"pk": "appeal"}),
    "cases:appeal_step": R(CASE, {"pk": "appeal", "step": "=forward"}, "post", owner="none"),
    "consent:consent_create": R(CASE, {"case_pk": "case"}),
    "consent:legal_basis_create": R(CASE, {"case_pk": "case"}),
    "consent:consent_withdraw": R(CASE, {"pk": "consent"}, "post", owner="none"),
    "consent:legal_basis_end": R(CASE, {"pk": "legal_basis"}, "post", owner="none"),
    "audit:search": R(STAFF, {}, owner="arne"),
    "audit:person_export_json": R(PERSON, {"pk": "person"}, owner="arne"),
    "audit:person_export_pdf": R(PERSON, {"pk": "person"}, owner="arne"),
    "portal:login": R(PUBLIC, {}),
    "portal:home": R(PORTAL_LIST, {}, owner="resident"),
    "portal:apply": R(PORTAL_LIST, {}, owner="resident"),
    "portal:access_log": R(PORTAL_LIST, {}, owner="resident"),
    "portal:export_json": R(PORTAL, {"pk": "person"}, owner="resident"),
    "portal:export_pdf": R(PORTAL, {"pk": "person"}, owner="resident"),
    "portal:sharing": R(PORTAL_LIST, {}, owner="resident"),
    "portal:allowance": R(PORTAL_LIST, {}, owner="resident"),
    "portal:loan": R(PORTAL_LIST, {}, owner="resident"),
    "portal:case": R(PORTAL, {"pk": "case"}, owner="resident"),
    "portal:case_edit": R(PORTAL, {"pk": "case"}, owner="none"),  # drafts only
    "portal:case_delete": R(PORTAL, {"pk": "case"}, owner="none"),  # drafts only
    "portal:case_withdraw": R(PORTAL, {"pk": "case"}, owner="none"),  # before a decision only
    "portal:decision_letter": R(PORTAL, {"pk": "decision"}, owner="resident"),
    "portal:decision_detail": R(PORTAL, {"pk": "decision"}, owner="resident"),
    "portal:preliminary_reply": R(PORTAL, {"pk": "preliminary_reply"}, owner="resident"),
    "portal:preliminary_reply_letter": R(PORTAL, {"pk": "preliminary_reply"}, owner="resident"),
    "portal:appeal": R(PORTAL, {"pk": "decision"}, "post", owner="none"),
    "portal:consent_give": R(PORTAL, {"pk": "case"}, owner="resident"),
    "portal:consent_withdraw": R(PORTAL, {"pk": "consent"}, "post", owner="none"),
    "allocation:waiting_list": R(STAFF, {}),
    "allocation:entry_detail": R(PERSON, {"pk": "entry"}),
    "allocation:entry_step": R(PERSON, {"pk": "entry", "step": "=behold"}, "post", owner="none"),
    "allocation:vacancies": R(STAFF, {}),
    "allocation:shortlist": R(MUNICIPALITY, {"dwelling_pk": "dwelling"}, "post", owner="none"),
    "allocation:run_detail": R(PERSON, {"pk": "run"}),
    "allocation:meeting_list": R(STAFF, {}),
    "allocation:meeting_detail": R(PERSON, {"pk": "meeting"}),
    "allocation:meeting_step": R(
        PERSON, {"pk": "meeting", "step": "=forslag"}, "post", owner="none"
    ),
    "allocation:item_decide": R(PERSON, {"pk": "meeting_item"}),  # GET: the form; POST decides
    "allocation:offer_detail": R(PERSON, {"pk": "offer"}),
    "allocation:policy": R(STAFF, {}),
    "allocation:my_offer": R(PORTAL, {"pk": "offer"}, owner="resident"),
    "temporary:stay_list": R(STAFF, {}),
    "temporary:stay_place": R(STAFF, {}),
    "temporary:stay_detail": R(PERSON, {"pk": "stay"}),
    "temporary:stay_extend": R(PERSON, {"pk": "stay"}, "post", owner="none"),
    "temporary:stay_move": R(PERSON, {"pk": "stay"}, "post", owner="none"),
    "temporary:stay_end": R(PERSON, {"pk": "stay"}, "post", owner="none"),
    "temporary:flags": R(STAFF, {}),
    "temporary:provider_list": R(STAFF, {}),
    "temporary:provider_create": R(STAFF, {}),
    "temporary:provider_detail": R(MUNICIPALITY, {"pk": "provider"}),
    "temporary:provider_add": R(
        MUNICIPALITY, {"pk": "provider", "what": "=plass"}, "post", owner="none"
    ),
    "temporary:homeless": R(STAFF, {}),
    "temporary:situation_record": R(PERSON, {"pk": "household"}),
    "temporary:my_stay": R(PORTAL, {"pk": "stay"}, owner="resident"),
    "insight:kostra": R(STAFF, {}),
    "insight:dashboard": R(STAFF, {}),
    "insight:dashboard_list": R(STAFF, {"key": "=promise_broken"}),
    "insight:own_unit_dashboard": R(STAFF, {}, owner="eirik"),
    "insight:unit_dashboard": R(MUNICIPALITY, {"pk": "unit"}, owner="sara"),
    "insight:unit_dashboard_list": R(
        PERSON, {"pk": "nav_unit", "key": "=loans_approved"}, owner="nina"
    ),
    "insight:kostra_households": R(STAFF, {"year": "=2026", "key": "=new_applicants"}),
    "needs:overview": R(STAFF, {}),
    "needs:round_open": R(STAFF, {}, "post", owner="none"),
    "needs:round_detail": R(MUNICIPALITY, {"pk": "needs_round"}),
    "needs:round_close": R(MUNICIPALITY, {"pk": "needs_round"}, "post", owner="none"),
    "needs:export_xlsx": R(MUNICIPALITY, {"pk": "needs_round"}, "post", owner="none"),
    "needs:export_pdf": R(MUNICIPALITY, {"pk": "needs_round"}, "post", owner="none"),
    "needs:registration_withdraw": R(PERSON, {"pk": "needs_registration"}, "post"),
    "insight:fairness": R(STAFF, {}, owner="lise"),
    "insight:fairness_pdf": R(STAFF, {}, "post", owner="none"),
    "policy:simulation": R(STAFF, {}, owner="arne"),
    "policy:run_detail": R(MUNICIPALITY, {"pk": "simulation_run"}, owner="arne"),
    "policy:request_detail": R(MUNICIPALITY, {"pk": "simulation_request"}, owner="arne"),
    "arrears:case_list": R(STAFF, {}),
    "arrears:case_detail": R(PERSON, {"pk": "arrears_case"}),
    "arrears:case_step": R(
        PERSON, {"pk": "arrears_case", "step": "=ansvarlig"}, "post", owner="none"
    ),
    "arrears:step_document": R(PERSON, {"pk": "arrears_step"}),
    "arrears:external_register": R(STAFF, {}),
    "arrears:meeting_list": R(STAFF, {}),
    "arrears:meeting_detail": R(PERSON, {"pk": "rent_meeting"}),
    "arrears:my_letter": R(PORTAL, {"pk": "arrears_step"}, owner="resident"),
    "loans:overview": R(STAFF, {}, owner="nina"),
    "loans:application": R(PERSON, {"pk": "loan_application"}, owner="nina"),
    "loans:application_step": R(
        PERSON, {"pk": "loan_application", "step": "=vurder"}, "post", owner="none"
    ),
    "loans:meeting_create": R(STAFF, {}, "post", owner="none"),
    "loans:meeting": R(PERSON, {"pk": "loan_meeting"}, owner="nina"),
    "loans:recommendation_decide": R(PERSON, {"pk": "loan_recommendation"}, "post", owner="none"),
    "loans:approval_step": R(
        PERSON, {"pk": "loan_approval", "step": "=oppfolging"}, "post", owner="none"
    ),
    "loans:loan": R(PERSON, {"pk": "loan"}, owner="nina"),
    "loans:loan_step": R(PERSON, {"pk": "loan", "step": "=betaling"}, "post", owner="none"),
    "loans:loan_end": R(PERSON, {"pk": "loan", "step": "=tap"}, "post", owner="none"),
    "loans:funding": R(STAFF, {}, owner="nina"),
    "loans:candidates": R(STAFF, {}, owner="nina"),
    "loans:candidate_propose": R(STAFF, {}, "post", owner="none"),
    "loans:candidate_step": R(
        PERSON, {"pk": "loan_candidate", "step": "=inviter"}, "post", owner="none"
    ),
    "loans:exception_record": R(PERSON, {"pk": "loan_application"}, "post", owner="none"),
    "loans:exception_withdraw": R(PERSON, {"pk": "loan_exception"}, "post", owner="none"),
    "loans:grants": R(STAFF, {}),
    "loans:grant_create": R(PERSON, {"household_pk": "household"}),
    "loans:grant": R(PERSON, {"pk": "grant"}),
    "loans:grant_step": R(PERSON, {"pk": "grant", "step": "=vurder"}, "post", owner="none"),
    "loans:application_new": R(STAFF, {}, owner="nina"),
    "loans:application_create": R(PERSON, {"household_pk": "household"}, owner="nina"),
    "loans:application_complete": R(PERSON, {"case_pk": "loan_bare_case"}, owner="nina"),
    "loans:document_receive": R(PERSON, {"pk": "loan_document"}, "post", owner="none"),
    "loans:payment_file": R(STAFF, {}, owner="nina"),
    "portal:loan_apply": R(PORTAL_LIST, {}, owner="resident"),
    "portal:loan_case": R(PORTAL, {"pk": "loan_application"}, owner="resident"),
    "portal:loan_advice_letter": R(PORTAL, {"pk": "loan_advice"}, owner="resident"),
    "tenancy:lease_list": R(STAFF, {}),
    "tenancy:lease_create": R(PERSON, {"offer_pk": "offer"}),
    "tenancy:lease_detail": R(PERSON, {"pk": "lease"}),
    "tenancy:lease_document": R(PERSON, {"pk": "lease"}),
    "tenancy:lease_renew": R(PERSON, {"pk": "lease"}),
    "tenancy:lease_step": R(PERSON, {"pk": "lease", "step": "=avslutt"}, "post", owner="none"),
    "tenancy:throughput": R(STAFF, {}, owner="arne"),
    "tenancy:terms": R(STAFF, {}, owner="arne"),
    "tenancy:my_renewal_apply": R(PORTAL, {"pk": "lease"}, "post", owner="none"),
    "tenancy:my_lease_document": R(PORTAL, {"pk": "lease"}, owner="resident"),
    "rent:arrears": R(STAFF, {}),
    "rent:ledger": R(PERSON, {"pk": "lease"}),
    "rent:payment_add": R(PERSON, {"pk": "lease"}, "post", owner="none"),
    "rent:index_adjust": R(PERSON, {"pk": "lease"}, "post", owner="none"),
    "rent:notice": R(PERSON, {"pk": "lease", "rent_pk": "rent_notice"}),
    "rent:notice_dispatch": R(
        PERSON, {"pk": "lease", "rent_pk": "rent_notice"}, "post", owner="none"
    ),
    "rent:index_due": R(STAFF, {}, owner="eirik"),
    "rent:payment_upload": R(STAFF, {}, owner="eirik"),
    "rent:payment_confirm": R(MUNICIPALITY, {"pk": "payment_batch"}, "post", owner="none"),
    "rent:unmatched": R(STAFF, {}, owner="eirik"),
    "rent:payment_place": R(MUNICIPALITY, {"pk": "payment"}, "post", owner="none"),
    "rent:vacancy": R(STAFF, {}, owner="eirik"),
    "rent:export": R(STAFF, {}, owner="eirik"),
    "rent:my_ledger": R(PORTAL, {"pk": "lease"}, owner="resident"),
    "followup:overview": R(STAFF, {}, owner="frida"),
    "followup:tenant": R(PERSON, {"pk": "lease"}, owner="frida"),
    "followup:plan_offer": R(PERSON, {"pk": "lease"}, "post", owner="none"),
    "followup:incident_create": R(PERSON, {"pk": "lease"}, owner="frida"),
    "followup:warning_create": R(PERSON, {"pk": "lease"}, owner="frida"),
    "followup:inspection_create": R(PERSON, {"pk": "lease"}, owner="frida"),
    "followup:inspection_schedule": R(PERSON, {"pk": "lease"}, "post", owner="none"),
    "followup:move_out_notice": R(PERSON, {"pk": "lease"}, owner="frida"),
    "followup:plan_detail": R(PERSON, {"pk": "housing_plan"}, owner="frida"),
    "followup:warning_list": R(STAFF, {}, owner="frida"),
    "followup:warning_letter": R(PERSON, {"pk": "written_warning"}, owner="frida"),
    "followup:inspection_list": R(STAFF, {}, owner="frida"),
    "followup:move_out_list": R(STAFF, {}, owner="frida"),
    "followup:move_out_detail": R(PERSON, {"pk": "move_out"}, owner="frida"),
    "followup:final_inspection": R(PERSON, {"pk": "move_out"}, owner="frida"),
    "followup:refusal_list": R(STAFF, {}, owner="frida"),
    "followup:refusal_detail": R(PERSON, {"pk": "refusal"}, owner="frida"),
    "followup:settings": R(STAFF, {}, owner="arne"),
    "followup:my_warning_letter": R(PORTAL, {"pk": "written_warning"}, owner="resident"),
    "followup:my_plan_answer": R(PORTAL, {"pk": "housing_plan"}, "post", owner="none"),
    # Settlement: the refugee service's pages (its staff are not in this cast; per-role access
    # is tested in tests/settlement/test_pages.py), the progress page for leaders.
    # Towards owning (per-role access in tests/owning/test_owning.py).
    "owning:overview": R(STAFF, {}),
    "owning:figures": R(STAFF, {}),
    "owning:agreement_list": R(STAFF, {}),
    "owning:assess": R(PERSON, {"lease_pk": "owning_lease"}),
    "owning:assessment_detail": R(PERSON, {"pk": "assessment"}),
    "owning:purchase_record": R(PERSON, {"pk": "assessment"}, "post", owner="none"),
    "owning:sale_offer": R(PERSON, {"lease_pk": "owning_lease"}),
    "owning:sale_detail": R(PERSON, {"pk": "sale"}),
    "owning:sale_step": R(PERSON, {"pk": "sale", "step": "=avslatt"}, "post", owner="none"),
    # The offer letter (the bare sale has no stored letter: the owner is in
    # tests/owning/test_sale_letter.py).
    "owning:sale_letter": R(PERSON, {"pk": "sale"}, owner="none"),
    "owning:my_sale_letter": R(PORTAL, {"pk": "sale"}, owner="none"),
    "owning:agreement_create": R(PERSON, {"lease_pk": "agreement_lease"}),
    "owning:agreement_detail": R(PERSON, {"pk": "rent_to_own"}),
    "owning:agreement_step": R(
        PERSON, {"pk": "rent_to_own", "step": "=avslatt"}, "post", owner="none"
    ),
    "settlement:overview": R(STAFF, {}, owner="none"),
    "settlement:progress": R(STAFF, {}, owner="none"),
    "settlement:decision_edit": R(STAFF, {}, owner="none"),
    "settlement:request_create": R(STAFF, {}, owner="none"),
    "settlement:request_detail": R(PERSON, {"pk": "settlement_request"}, owner="none"),
    "settlement:case_detail": R(CASE, {"pk": "settlement_case"}, owner="none"),
    "settlement:case_lease": R(CASE, {"pk": "settlement_chosen"}, owner="none"),
    # Letters (stored ones are opened in tests/settlement/test_letters.py).
    "settlement:request_letter": R(PERSON, {"pk": "settlement_request"}, owner="none"),
    "settlement:self_settlement_letter": R(CASE, {"pk": "settlement_case"}, owner="none"),
    "settlement:my_self_settlement_letter": R(PORTAL, {"pk": "settlement_approval"}, owner="none"),
    "settlement:case_step": R(
        CASE, {"pk": "settlement_case", "step": "=velg"}, "post", owner="none"
    ),
    "settlement:surroundings_edit": R(MUNICIPALITY, {"building_pk": "building"}, owner="none"),
    "landlords:landlord_list": R(STAFF, {}),
    "landlords:landlord_create": R(STAFF, {}),
    "landlords:landlord_detail": R(PERSON, {"pk": "landlord"}),
    "landlords:landlord_edit": R(PERSON, {"pk": "landlord"}),
    "landlords:landlord_contact": R(PERSON, {"pk": "landlord"}, "post", owner="none"),
    "landlords:dwelling_add": R(PERSON, {"pk": "landlord"}, "post", owner="none"),
    "landlords:agreement_create": R(PERSON, {"pk": "landlord", "kind": "=head_lease"}),
    "landlords:dwelling_assess": R(PERSON, {"pk": "offered_dwelling"}, "post", owner="none"),
    "landlords:enquiry_list": R(STAFF, {}),
    "landlords:enquiry_answer": R(PERSON, {"pk": "enquiry"}, "post", owner="none"),
    "landlords:enquiry_take": R(PERSON, {"pk": "enquiry"}, "post", owner="none"),
    "landlords:agreement_list": R(STAFF, {}),
    "landlords:agreement_detail": R(PERSON, {"pk": "agreement"}),
    "landlords:agreement_step": R(
        PERSON, {"pk": "agreement", "step": "=avslutt"}, "post", owner="none"
    ),
    "landlords:fault_update": R(PERSON, {"pk": "fault"}, "post", owner="none"),
    "landlords:figures": R(STAFF, {}, owner="arne"),
    # The open API: token-authenticated (anonymous gets 401 JSON, not a login page); tokens,
    # scopes and municipalities are tested in tests/api. Its clients are the administrator's.
    "api_docs": R(PUBLIC, {}),
    **{
        f"api_v1:{name}": R(PUBLIC, {})
        for name in (
            "openapi-json",
            "api-root",
            "list_dwellings",
            "get_dwelling",
            "list_buildings",
            "get_building",
            "waiting_list_figures",
            "list_cases",
            "get_case",
            "list_leases",
            "get_lease",
            "list_events",
        )
    },
    "api:client_list": R(STAFF, {}, owner="arne"),
    "api:client_create": R(STAFF, {}, owner="arne"),
    "api:client_detail": R(MUNICIPALITY, {"pk": "api_client"}, owner="arne"),
    "api:client_revoke": R(MUNICIPALITY, {"pk": "api_client"}, "post", owner="none"),
    "api:subscription_add": R(MUNICIPALITY, {"pk": "api_client"}, "post", owner="none"),
    "api:subscription_remove": R(
        MUNICIPALITY,
        {"pk": "api_client", "subscription_pk": "webhook_subscription"},
        "post",
        owner="none",
    ),
}

PENDING_NAMESPACES = {"calculators"}
"""Apps under construction while this test was written: only the anonymous check runs for
their patterns until their engineers add rules here (with their objects in ``world``)."""

MARKERS = ["Ragnhild", "Rælingsen", "Rælingbygget"]
"""Text only Rælingen's objects contain; never on a page another municipality sees."""


def _patterns(resolver: URLResolver, prefix: str = "", ns: str = "") -> list[tuple[str, str]]:
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{ns}{entry.namespace}:" if entry.namespace else ns
            found += _patterns(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            found.append((f"{ns}{entry.name}", prefix + str(entry.pattern)))
    return found


PATTERNS = _patterns(get_resolver())


def _pending(name: str) -> bool:
    return name.split(":", 1)[0] in PENDING_NAMESPACES and name not in RULES


def test_every_url_pattern_has_an_access_rule() -> None:
    names = {name for name, _route in PATTERNS}
    missing = sorted(n for n in names if n not in RULES and not _pending(n))
    assert not missing, f"Add an access rule for: {missing}"
    stale = sorted(set(RULES) - names)
    assert not stale, f"Rules for patterns that no longer exist: {stale}"


@pytest.fixture
def world(  # type: ignore[no-untyped-def]
    sara, arne, geir, household, routing, housing_office, raelingen
):
    applicant = household.members.get(relation="applicant").person
    applicant.given_name, applicant.family_name = "Ragnhild", "Rælingsen"
    applicant.national_id = synthetic_number(dt.date(1980, 3, 3))
    applicant.date_of_birth = dt.date(1980, 3, 3)
    applicant.save()
    household.name = "Rælingsen"
    household.save()
    case = case_actions.case_create(
        actor=sara,
        household=household,
        channel="meeting",
        help_kinds=["rental_dwelling"],
        data=ELIGIBLE,
        submit=True,
    )
    document = Document.objects.create(
        case=case,
        title="Rælingsen erklæring",
        file=ContentFile(b"%PDF-1.4", name="x.pdf"),
        content_type="application/pdf",
        size=8,
        sha256="0" * 64,
        uploaded_by=sara,
    )
    letter = b"%PDF-1.4 Ragnhild"
    decision = Decision(
        case=case,
        help_kind="rental_dwelling",
        kind="approval",
        status="issued",
        facts="Ragnhild bor i bil.",
        reasoning="Oppfylt.",
        drafted_by=sara,
        issued_on=timezone.localdate(),
        notified_on=timezone.localdate(),
        letter_sha256=hashlib.sha256(letter).hexdigest(),
    )
    decision.letter.save("vedtak.pdf", ContentFile(letter), save=False)
    decision.save()
    draft = Decision.objects.create(
        case=case,
        help_kind="rental_dwelling",
        kind="approval",
        facts="Ragnhild.",
        reasoning="Utkast.",
        drafted_by=sara,
    )
    appeal = Appeal.objects.create(
        decision=decision,
        received_on=timezone.localdate(),
        grounds="Ragnhild klager",
        deadline=timezone.localdate(),
        in_time=True,
        registered_by=sara,
    )
    consent = consent_actions.consent_give(
        actor=sara,
        case=case,
        given_by=applicant,
        units=[housing_office],
        purposes=["assessment"],
        data_categories=["application"],
        given_how="written",
    )
    legal_basis = consent_actions.legal_basis_record(
        actor=sara,
        case=case,
        units=[housing_office],
        purposes=["assessment"],
        data_categories=["application"],
        reference="sosialtjenesteloven § 27",
        explanation="Test.",
    )
    preliminary_reply = case_actions.preliminary_reply_send(
        actor=sara,
        case=case,
        reason="Ragnhild Rælingsen venter på papirer.",
        expected_by=timezone.localdate() + dt.timedelta(days=30),
    )
    building = BuildingFactory(municipality=raelingen, name="Rælingbygget")
    dwelling = DwellingFactory(building=building, rooms=1)
    allocation = _allocation_world(sara, household, decision, dwelling, building, raelingen)
    follow_up = _follow_up_world(sara, case, allocation["lease"], raelingen)
    place = temporary_provider(raelingen, "Rælingen hospits", "hostel", 500, actor=sara)
    stay = temporary_actions.stay_place(
        actor=sara,
        household=household,
        place=place,
        starts_on=timezone.localdate() - dt.timedelta(days=2),
        planned_end=timezone.localdate() + dt.timedelta(days=5),
        lasting_path="municipal_dwelling",
        responsible_unit=housing_office,
        facts="Ragnhild Rælingsen har ingen bolig i natt.",
    )
    settled = settlement_helpers.bare_objects(raelingen)
    from tests.loans.helpers import loan_world

    owned = owning_helpers.bare_objects(raelingen, sara)
    return {
        **owned,
        **allocation,
        **follow_up,
        **loan_world(routing, household),
        "settlement_request": settled["request"],
        "settlement_case": settled["case"],
        "settlement_chosen": settled["chosen"],
        "settlement_approval": settled["approval"],
        **_landlord_world(sara, household, raelingen),
        **_simulation_world(arne, raelingen),
        "municipality": raelingen,
        "unit": housing_office,
        "nav_unit": routing,
        "staff": sara,
        "membership": Membership.objects.filter(user=sara).first(),
        "person": applicant,
        "household": household,
        "member": household.members.get(relation="child"),
        "stated_member": StatedMember.objects.create(
            household=household,
            given_name="Emil",
            family_name="Rælingsen",
            date_of_birth=dt.date(2019, 5, 1),
            relation="child",
            stated_by=sara,
        ),
        "building": building,
        "dwelling": dwelling,
        "provider": place.provider,
        "stay": stay,
        "import_batch": ImportBatch.objects.create(
            kind="persons", municipality=raelingen, uploaded_by=arne, filename="Rælingsen.csv"
        ),
        **_api_world(arne, raelingen),
        "case": case,
        "deadline_alert": DeadlineAlert.objects.create(
            case=case,
            what="preliminary_reply",
            due=dt.date(2026, 12, 20),
            raised_on=dt.date(2026, 12, 14),
        ),
        "document": document,
        "decision": decision,
        "draft_decision": draft,
        "preliminary_reply": preliminary_reply,
        "appeal": appeal,
        "consent": consent,
        "legal_basis": legal_basis,
        **_needs_world(sara, raelingen, housing_office, applicant),
    }


def _needs_world(sara, raelingen, housing_office, applicant):  # type: ignore[no-untyped-def]
    from husly.needs import actions as needs_actions

    lise = _user("lisbeth", housing_office, "leader")
    needs_round = needs_actions.needs_round_open(
        actor=lise,
        municipality=raelingen,
        year=2026,
        title="Behovsrunden 2026",
        deadline=dt.date(2026, 12, 31),
    )
    registration = needs_actions.needs_registration_create(
        actor=sara,
        needs_round=needs_round,
        unit=housing_office,
        national_id=applicant.national_id,
        data={
            "household_type": "single",
            "persons": 1,
            "children": 0,
            "age_group": "25_66",
            "situation": "with_others",
            "dwelling_need": "ordinary",
        },
    )
    from husly.jobs.models import ExportFile, ExportStatus

    made = ExportFile(
        kind="needs_overview_pdf",
        params={"round": needs_round.pk},
        municipality=raelingen,
        requested_by=sara,
        status=ExportStatus.DONE,
        filename="behovsoversikt-2026.pdf",
        content_type="application/pdf",
        sha256=hashlib.sha256(b"%PDF-1.4 Raelingen").hexdigest(),
    )
    made.file.save("behovsoversikt-2026.pdf", ContentFile(b"%PDF-1.4 Raelingen"), save=False)
    made.save()
    return {"needs_round": needs_round, "needs_registration": registration, "export_file": made}


def _simulation_world(arne, raelingen):  # type: ignore[no-untyped-def]
    """A stored policy simulation of Rælingen (aggregates only)."""
    from husly.policy.actions import simulation_run

    run = simulation_run(
        actor=arne, municipality=raelingen, label="Rælingen", changes={}, runs=1, horizon_months=12
    )
    from husly.policy.models import SimulationRequest

    asked = SimulationRequest.objects.create(
        municipality=raelingen,
        label="Rælingen i kø",
        changes={},
        runs=1,
        horizon_months=12,
        seed=1,
        as_of=dt.date(2026, 12, 3),
        requested_by=arne,
    )
    return {"simulation_run": run, "simulation_request": asked}


def _api_world(arne, raelingen):  # type: ignore[no-untyped-def]
    from husly.api import actions as api_actions

    client, _token = api_actions.api_client_register(
        actor=arne, municipality=raelingen, name="Rælingsen arkiv", scopes=["read:cases"]
    )
    subscription, _secret = api_actions.webhook_subscription_add(
        actor=arne, client=client, url="https://arkiv.example/hook", events=["offer.made"]
    )
    return {"api_client": client, "webhook_subscription": subscription}


def _allocation_world(sara, household, decision, dwelling, building, raelingen):  # type: ignore[no-untyped-def]
    """A waiting-list entry, a shortlist run, a meeting with one item, an accepted offer and an
    active lease with its stored PDF, all Rælingen's."""
    from husly.allocation import actions as allocation_actions
    from husly.allocation.models import AllocationMeeting, MeetingItem, Offer, WaitingListEntry
    from husly.tenancy.models import Lease

    entry = WaitingListEntry.objects.create(
        municipality=raelingen,
        household=household,
        decision=decision,
        placed_on=timezone.localdate(),
        persons=2,
        categories=["ordinary"],
    )
    run = allocation_actions.matching_shortlist(actor=sara, dwelling=dwelling)
    meeting = AllocationMeeting.objects.create(
        municipality=raelingen, held_on=timezone.localdate(), title="Rælingsen", created_by=sara
    )
    item = MeetingItem.objects.create(meeting=meeting, dwelling=dwelling, proposed_entry=entry)
    offer = Offer.objects.create(
        entry=entry,
        dwelling=dwelling,
        status="accepted",
        made_on=timezone.localdate(),
        answer_due=timezone.localdate(),
        made_by=sara,
    )
    pdf = "%PDF-1.4 Ragnhild Rælingsen".encode()
    lease = Lease(
        municipality=raelingen,
        dwelling=DwellingFactory(building=building),
        household=household,
        start_date=timezone.localdate(),
        end_date=timezone.localdate() + dt.timedelta(days=1000),
        monthly_rent=9000,
        status="active",
        created_by=sara,
        document_sha256=hashlib.sha256(pdf).hexdigest(),
    )
    lease.document.save("leiekontrakt.pdf", ContentFile(pdf), save=False)
    lease.save()
    return {
        **_rent_world(sara, lease, raelingen),
        "entry": entry,
        "run": run,
        "meeting": meeting,
        "meeting_item": item,
        "offer": offer,
        "lease": lease,
        **_arrears_world(sara, household, lease, raelingen),
    }


def _arrears_world(sara, household, lease, raelingen):  # type: ignore[no-untyped-def]
    """An open arrears case on the lease with a confirmed reminder (its PDF stored) and a rent
    meeting with the case on its agenda."""
    from husly.arrears.models import ArrearsCase, ArrearsStep, MeetingItem, RentMeeting

    case = ArrearsCase.objects.create(
        municipality=raelingen,
        household=household,
        lease=lease,
        origin="municipal_lease",
        procedure_key="raelingen-restanse-fravikelse@2016",
        opened_on=timezone.localdate(),
        arrears=9000,
        months_unpaid=1,
        oldest_unpaid_due=timezone.localdate(),
    )
    pdf = "%PDF-1.4 Ragnhild Rælingsen purring".encode()
    step = ArrearsStep(
        case=case,
        step_id="purring-1",
        kind="reminder",
        status="confirmed",
        due_on=timezone.localdate(),
        taken_on=timezone.localdate(),
        responsible=sara,
        confirmed_by=sara,
        document_sha256=hashlib.sha256(pdf).hexdigest(),
    )
    step.document.save("purring.pdf", ContentFile(pdf), save=False)
    step.save()
    meeting = RentMeeting.objects.create(
        municipality=raelingen, held_on=timezone.localdate(), created_by=sara
    )
    MeetingItem.objects.create(meeting=meeting, case=case, reasons=["new"], arrears=9000)
    return {"arrears_case": case, "arrears_step": step, "rent_meeting": meeting}


def _rent_world(sara, lease, raelingen):  # type: ignore[no-untyped-def]
    """A rent notice with its stored PDF, a pending payment file and an unmatched payment."""
    from husly.rent.models import Payment, PaymentBatch, Rent

    pdf = "%PDF-1.4 Ragnhild Rælingsen leievarsel".encode()
    notice = Rent(
        lease=lease,
        amount=9300,
        valid_from=timezone.localdate(),
        reason="index",
        document_sha256=hashlib.sha256(pdf).hexdigest(),
    )
    notice.document.save("leievarsel.pdf", ContentFile(pdf), save=False)
    notice.save()
    return {
        "rent_notice": notice,
        "payment_batch": PaymentBatch.objects.create(
            municipality=raelingen,
            kind="ocr",
            filename="Rælingsen.txt",
            sha256="0" * 64,
            uploaded_by=sara,
        ),
        "payment": Payment.objects.create(
            municipality=raelingen,
            amount=500,
            paid_on=timezone.localdate(),
            source="ocr",
            kid="12345678903",
            payer="Ragnhild Rælingsen",
        ),
    }


def _follow_up_world(sara, case, lease, raelingen):  # type: ignore[no-untyped-def]
    """A bo-plan, a written warning with its stored letter, a move-out and an issued refusal,
    all Rælingen's; frida is the follow-up worker who opens them."""
    from husly.followup.models import HousingPlan, MoveOut, WrittenWarning

    today = timezone.localdate()
    _user("frida", Membership.objects.filter(user=sara).first().unit, "follow_up")
    plan = HousingPlan.objects.create(
        municipality=raelingen,
        lease=lease,
        household=lease.household,
        offered_on=today,
        goals="Ragnhild vil mestre økonomien.",
        created_by=sara,
    )
    pdf = b"%PDF-1.4 Ragnhild advarsel"
    warning = WrittenWarning(
        municipality=raelingen,
        lease=lease,
        household=lease.household,
        number=1,
        conversation_on=today,
        present="Ragnhild Rælingsen",
        problems="Bråk.",
        plan="Ro.",
        issued_on=today,
        issued_by=sara,
        letter_sha256=hashlib.sha256(pdf).hexdigest(),
    )
    warning.letter.save("advarsel.pdf", ContentFile(pdf), save=False)
    warning.save()
    move_out = MoveOut.objects.create(
        municipality=raelingen,
        lease=lease,
        household=lease.household,
        notice_received_on=today,
        moving_out_on=today + dt.timedelta(days=90),
        recorded_by=sara,
    )
    refusal = Decision.objects.create(
        case=case,
        help_kind="deposit_guarantee",
        kind="refusal",
        status="issued",
        facts="Ragnhild.",
        reasoning="Avslag.",
        drafted_by=sara,
        issued_on=today,
    )
    return {
        "housing_plan": plan,
        "written_warning": warning,
        "move_out": move_out,
        "refusal": refusal,
    }


def _landlord_world(sara, household, raelingen):  # type: ignore[no-untyped-def]
    """A landlord of Rælingen with an offered flat under a head lease, a fault report and an
    enquiry in the queue."""
    from husly.landlords.models import Agreement, Enquiry, FaultReport, Landlord, OfferedDwelling

    landlord = Landlord.objects.create(
        municipality=raelingen,
        kind="company",
        name="Rælingsen Utleie AS",
        org_number="974760673",
        created_by=sara,
    )
    owner = PersonFactory(
        municipality=raelingen,
        given_name="Leif",
        family_name="Utleiersen",
        national_id=synthetic_number(dt.date(1955, 2, 2)),
    )
    Landlord.objects.create(
        municipality=raelingen, kind="person", person=owner, name=owner.full_name, created_by=sara
    )
    offered = OfferedDwelling.objects.create(
        landlord=landlord,
        address="Rælingsvegen 9",
        postal_code="2008",
        postal_town="Fjerdingby",
        rooms=2,
        area_m2=50,
        monthly_rent=9000,
    )
    agreement = Agreement.objects.create(
        municipality=raelingen,
        landlord=landlord,
        kind="head_lease",
        status="active",
        offered_dwelling=offered,
        start_date=timezone.localdate(),
        rent_to_owner=9000,
        household=household,
        created_by=sara,
    )
    fault = FaultReport.objects.create(
        agreement=agreement,
        reported_on=timezone.localdate(),
        description="Rælingsen: drypp",
        recorded_by=sara,
    )
    enquiry = Enquiry.objects.create(
        municipality=raelingen,
        landlord=landlord,
        from_name="Rælingsen Utleie AS",
        from_contact="post@example.no",
        channel="email",
        text="Ledig leilighet",
        answer_due=timezone.localdate(),
        recorded_by=sara,
    )
    return {
        "landlord": landlord,
        "offered_dwelling": offered,
        "agreement": agreement,
        "fault": fault,
        "enquiry": enquiry,
    }


def _url(name: str, rule: Rule, world: dict[str, Any]) -> str:
    kwargs = {
        key: value[1:] if value.startswith("=") else world[value].pk
        for key, value in rule.kwargs.items()
    }
    return reverse(name, kwargs=kwargs)


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _checked(levels: set[str]) -> list[tuple[str, Rule]]:
    return [(name, rule) for name, rule in sorted(RULES.items()) if rule.level in levels]


def _example(route: str) -> str:
    import re

    route = re.sub(r"<int:\w+>", "1", route)
    route = re.sub(r"<slug:\w+>", "submit", route)
    return "/" + re.sub(r"<str:\w+>", "persons", route)


def test_an_anonymous_user_is_sent_to_the_right_login_page(world) -> None:
    problems = []
    for name, route in PATTERNS:
        rule = RULES.get(name)
        if rule is not None and rule.level == PUBLIC:
            continue
        url = _url(name, rule, world) if rule else _example(route)
        for method in ("get", "post"):
            response = getattr(Client(), method)(url)
            portal = name.startswith("portal:") or "minside" in route
            login = "/minside/logg-inn/" if portal else "/logg-inn/"
            if response.status_code != 302 or not response["Location"].startswith(login):
                problems.append((name, method, response.status_code))
    assert not problems


def _refused(client: Client, url: str, method: str) -> int | None:
    """The status when the response is a refusal (403/404/405), else None."""
    response = getattr(client, method)(url)
    if response.status_code in {403, 404, 405}:
        return response.status_code
    return None


def test_another_municipality_gets_nothing_of_raelingens(world, olga) -> None:
    client = _client(olga)
    problems = []
    for name, rule in _checked({MUNICIPALITY, PERSON, CASE, PORTAL}):
        url = _url(name, rule, world)
        problems += [
            (name, method)
            for method in sorted({"get", rule.method})
            if _refused(client, url, method) is None
        ]
    for name, rule in _checked({STAFF, PORTAL_LIST}):
        response = client.get(_url(name, rule, world))
        body = response.content.decode(errors="replace") if response.status_code == 200 else ""
        problems += [(name, marker) for marker in MARKERS if marker in body]
    assert not problems


def test_a_unit_the_case_is_not_routed_to_gets_404_on_every_case_url(world, routing) -> None:
    kari = _user("kari", routing, "caseworker")  # NAV; the case goes to the housing office
    client = _client(kari)
    problems = []
    for name, rule in _checked({CASE}):
        response = getattr(client, rule.method)(_url(name, rule, world))
        if response.status_code != 404:
            problems.append((name, response.status_code))
    assert not problems
    body = client.get(reverse("cases:case_list")).content.decode()
    assert world["case"].number not in body


def test_a_leader_reaches_no_person_level_page(world, lise) -> None:
    client = _client(lise)
    problems = []
    for name, rule in _checked({PERSON, CASE}):
        url = _url(name, rule, world)
        problems += [
            (name, method)
            for method in sorted({"get", rule.method})
            if _refused(client, url, method) is None
        ]
    for name in (
        "people:person_list",
        "people:household_list",
        "cases:case_list",
        "cases:work_list",
        "audit:search",
        "insight:dashboard",
    ):
        response = client.get(reverse(name))
        body = response.content.decode() if response.status_code == 200 else ""
        problems += [(name, marker) for marker in MARKERS if marker in body]
    assert not problems


def test_other_residents_get_404_and_staff_are_refused_in_my_page(world, sara) -> None:
    number = synthetic_number(dt.date(1970, 1, 1))
    stranger = _client(resident_user(request=None, national_id=number))
    staff = _client(sara)
    problems = []
    for name, rule in _checked({PORTAL}):
        url = _url(name, rule, world)
        response = getattr(stranger, rule.method)(url)
        if response.status_code != 404:
            problems.append((name, "resident", response.status_code))
        if _refused(staff, url, rule.method) is None:
            problems.append((name, "staff"))
    assert not problems


def test_every_rule_points_at_an_object_its_owner_can_open(world, sara, arne, eirik, lise) -> None:
    """Otherwise the 404s above would prove nothing."""
    owners = {
        "sara": sara,
        "arne": arne,
        "eirik": eirik,
        "frida": User.objects.get(username="frida"),
        "resident": resident_user(request=None, national_id=world["person"].national_id),
        "nina": world["loan_caseworker"],
        "lise": lise,
    }
    problems = []
    for name, rule in sorted(RULES.items()):
        if rule.level == PUBLIC or rule.owner == "none" or rule.method != "get":
            continue
        response = _client(owners[rule.owner]).get(_url(name, rule, world))
        if response.status_code != 200:
            problems.append((name, response.status_code))
    assert not problems

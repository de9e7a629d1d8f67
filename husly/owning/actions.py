"""State changes towards owning. Each is atomic, checks the actor's role first and records its
change event (ADR 0002).

Sources: kristiansund.md 2.8 (Drammen and Trondheim: identify tenants who can buy, guarantee the
start loan, add a grant, sell the municipal dwelling at the valuation less a discount, without the
cooperative's pre-emption being tried, burettslagslova § 4-12; Husbanken's leie-før-eie: 80 %
basic loan, 20 % grant, cost-based rent, option in year 5 at the year-0 price); raelingen.md 7 C;
journeys J9/J10.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from husly.core.actions import create_audited, update_audited
from husly.core.stored_letters import store_letter
from husly.housing.actions import dwelling_status_change
from husly.housing.models import DwellingStatus
from husly.organisation.models import User
from husly.owning.models import (
    MunicipalSale,
    OptionStatus,
    OwnershipAssessment,
    OwningFact,
    OwningHow,
    PreEmption,
    RentToOwnAgreement,
    Route,
    SaleStatus,
)
from husly.owning.selectors import require_contract_role, require_screen_role
from husly.people.models import Household
from husly.rules import ownership
from husly.rules.errors import RulesInputError
from husly.rules.params import default_tree
from husly.rules.start_loan import LoanHouseholdMember, StartLoanApplication, explain_start_loan
from husly.tenancy.actions import lease_end
from husly.tenancy.models import (
    EndReason,
    Lease,
    LeaseStatus,
    RenewalAlternative,
    RenewalApplication,
)

IDENTITY_DIGITS = 11
WHOLE = 100
"""Per cent of the purchase price."""
ADULT_AGE = 30
"""The age used for a member whose date of birth is unknown (the living-cost norm needs one)."""


def _applicant_id(household: Household) -> int | None:
    member = household.members.filter(relation="applicant").first()
    return member.person_id if member else None


def _loan_members(household: Household, on: dt.date) -> list[LoanHouseholdMember]:
    """Ages from the register; sex from the identity number's individual digits (odd: male),
    as the SIFO norm differs by sex; female when no number is known."""
    members = []
    for member in household.members.select_related("person"):
        person = member.person
        born = person.date_of_birth
        age = (
            ADULT_AGE
            if born is None
            else max(on.year - born.year - ((on.month, on.day) < (born.month, born.day)), 0)
        )
        number = person.national_id or ""
        sex = "male" if len(number) == IDENTITY_DIGITS and int(number[8]) % 2 == 1 else "female"
        members.append(LoanHouseholdMember(age=age, sex=sex))
    return members


ANSWER_TIME = dt.timedelta(days=28)
"""The answer date of a sale offer when none is given: four weeks (design default [U]; the
sources give no time limit)."""


def sale_discount(municipality_number: str, on: dt.date) -> int:
    """The municipality's dated discount on a sale to the tenant (``owning.sale_discount``);
    0 where the municipality has set none."""
    path = f"municipal.{municipality_number}.owning.sale_discount"
    tree = default_tree()
    if path not in tree:
        return 0
    return int(tree.at(path, on).as_number("NOK"))


@transaction.atomic
def ownership_assess(
    *,
    actor: User,
    household: Household,
    data: Mapping[str, Any],
    lease: Lease | None = None,
    renewal: RenewalApplication | None = None,
) -> OwnershipAssessment:
    """Screen the household's ownership potential: run the start-loan affordability for the
    loan the price needs (price − savings − grant) and route the household (own now, rent
    before owning, or rent and look again on a date)."""
    require_screen_role(actor, household.municipality_id)
    on = data.get("assessed_on") or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"assessed_on": _("The date cannot be in the future.")})
    price = int(data["price_needed"])
    savings = int(data.get("savings") or 0)
    grant = int(data.get("grant_expected") or 0)
    loan = max(price - savings - grant, 0)
    members = _loan_members(household, on)
    if not members:
        raise ValidationError(_("The household has no members to assess."))
    application = StartLoanApplication(
        municipality_number=household.municipality.number,
        members=members,
        net_income_monthly=float(data["net_income_monthly"]),
        loan_amount=float(loan),
        other_fixed_costs_monthly=float(data.get("other_fixed_costs_monthly") or 0),
        housing_operating_costs_monthly=float(data.get("housing_running_costs_monthly") or 0),
    )
    try:
        calculation = explain_start_loan(application, on)
    except RulesInputError as error:
        raise ValidationError(error.message_in(translation.get_language())) from error
    facts = ownership.OwnershipFacts(
        wishes_to_own=bool(data.get("wishes_to_own")),
        education_first=bool(data.get("education_first")),
        debt_in_collection=bool(data.get("debt_in_collection")),
        income_stable=bool(data.get("income_stable")),
        can_service_loan=calculation.can_service_loan,
        largest_loan=float(calculation.largest_loan),
        savings=float(savings),
        grant_expected=float(grant),
        price_needed=float(price),
        right_to_municipal_dwelling=bool(data.get("right_to_municipal_dwelling")),
    )
    result = ownership.assess_ownership(facts, on)
    fields = {
        name: data[name]
        for name in (
            "income_sources",
            "income_stable",
            "net_income_monthly",
            "other_fixed_costs_monthly",
            "consumer_debt",
            "debt_in_collection",
            "savings",
            "price_needed",
            "housing_running_costs_monthly",
            "grant_expected",
            "education_first",
            "education_note",
            "wishes_to_own",
            "wishes_note",
            "right_to_municipal_dwelling",
        )
        if name in data
    }
    assessment = OwnershipAssessment(
        municipality=household.municipality,
        household=household,
        lease=lease,
        renewal=renewal,
        assessed_on=on,
        can_service_loan=calculation.can_service_loan,
        largest_loan=max(calculation.largest_loan, 0),
        loan_margin=calculation.margin,
        financing_gap=result.financing_gap,
        route=result.route,
        reasons=list(result.reasons),
        look_again_on=result.look_again_on,
        calculation=calculation.to_dict(),
        assessed_by=actor,
        **fields,
    )
    create_audited(
        actor=actor,
        action="ownership_assess",
        instance=assessment,
        municipality=household.municipality,
        person_id=_applicant_id(household),
    )
    if renewal is not None:
        _renewal_alternative(actor, renewal, assessment)
    return assessment


OWNING_ALTERNATIVES = {
    Route.OWN_NOW: RenewalAlternative.START_LOAN,
    Route.RENT_TO_OWN: RenewalAlternative.RENT_TO_OWN,
}


def _renewal_alternative(
    actor: User, renewal: RenewalApplication, assessment: OwnershipAssessment
) -> None:
    """The renewal's owning alternative comes from the screening, not from a label the
    caseworker picks (Rælingen 7.5 point 4): own now gives the start loan, rent before owning
    gives rent-to-own; rent and look again clears an owning alternative, so the caseworker
    records which rental fits."""
    if renewal.lease.household_id != assessment.household_id:
        raise ValidationError(_("The renewal is another household's."))
    if renewal.decision_id is not None:
        raise ValidationError(_("The renewal has already been decided."))
    owning = OWNING_ALTERNATIVES.get(Route(assessment.route))
    if owning is not None:
        alternative = owning
    elif renewal.alternative in OWNING_ALTERNATIVES.values():
        alternative = ""
    else:
        return
    with translation.override(renewal.lease.municipality.language_form):  # record text
        note = _("Ownership screening %(date)s: %(route)s") % {
            "date": assessment.assessed_on.strftime("%d.%m.%Y"),
            "route": assessment.get_route_display(),
        }
    update_audited(
        actor=actor,
        action="renewal_alternatives_record",
        instance=renewal,
        data={
            "alternative": alternative,
            "alternative_note": f"{renewal.alternative_note}\n{note}".strip(),
        },
        municipality=renewal.lease.municipality,
    )


def _active_lease(lease: Lease) -> Lease:
    locked = Lease.objects.select_for_update().get(pk=lease.pk)
    if locked.status != LeaseStatus.ACTIVE:
        raise ValidationError(_("The lease is not active."))
    return locked


@transaction.atomic
def municipal_sale_offer(
    *,
    actor: User,
    lease: Lease,
    data: Mapping[str, Any],
    assessment: OwnershipAssessment | None = None,
) -> MunicipalSale:
    """Offer the tenant the municipal dwelling they live in at the valuation less the
    municipality's discount in force on the offer date."""
    require_contract_role(actor, lease.municipality_id)
    locked = _active_lease(lease)
    if MunicipalSale.objects.filter(lease=locked, status=SaleStatus.OFFERED).exists():
        raise ValidationError(_("The tenant already has an open offer for this dwelling."))
    offered_on = data.get("offered_on") or timezone.localdate()
    if data["valued_on"] > offered_on:
        raise ValidationError({"valued_on": _("The valuation cannot be after the offer.")})
    answer_by = data.get("answer_by") or offered_on + ANSWER_TIME
    if answer_by <= offered_on:
        raise ValidationError({"answer_by": _("The answer date must be after the offer.")})
    discount = sale_discount(locked.municipality.number, offered_on)
    valuation = int(data["valuation"])
    sale = MunicipalSale(
        municipality=locked.municipality,
        lease=locked,
        household=locked.household,
        dwelling=locked.dwelling,
        assessment=assessment,
        valuation=valuation,
        valued_by=data["valued_by"],
        valued_on=data["valued_on"],
        discount=discount,
        offer_price=ownership.sale_offer_price(valuation, discount),
        offered_on=offered_on,
        answer_by=answer_by,
        pre_emption=data.get("pre_emption") or PreEmption.PENDING,
        start_loan=data.get("start_loan") or 0,
        grant=data.get("grant") or 0,
        private_bank_loan=data.get("private_bank_loan") or 0,
        created_by=actor,
    )
    offered = create_audited(
        actor=actor,
        action="municipal_sale_offer",
        instance=sale,
        municipality=locked.municipality,
        person_id=_applicant_id(locked.household),
    )
    from husly.owning.letters import sale_offer_pdf

    store_letter(offered, sale_offer_pdf(offered), name=f"salgstilbud-{offered.pk}.pdf")
    return offered


def _open_sale(sale: MunicipalSale) -> MunicipalSale:
    locked = MunicipalSale.objects.select_for_update().get(pk=sale.pk)
    if locked.status != SaleStatus.OFFERED:
        raise ValidationError(_("This offer has already been answered."))
    return locked


@transaction.atomic
def municipal_sale_decline(
    *, actor: User, sale: MunicipalSale, answered_on: dt.date
) -> MunicipalSale:
    """The tenant declines the offer; the lease goes on."""
    require_contract_role(actor, sale.municipality_id)
    locked = _open_sale(sale)
    if answered_on < locked.offered_on:
        raise ValidationError({"answered_on": _("The answer cannot be before the offer.")})
    return update_audited(
        actor=actor,
        action="municipal_sale_decline",
        instance=locked,
        data={"status": SaleStatus.DECLINED, "answered_on": answered_on},
        municipality=locked.municipality,
    )


def _leaves_stock(actor: User, lease: Lease, on: dt.date, why: str) -> None:
    """The lease ends the day before the take-over through tenancy (the buyer stays), and the
    dwelling leaves the municipality's stock from the take-over date."""
    lease_end(
        actor=actor, lease=lease, ended_on=on - dt.timedelta(days=1), reason=EndReason.PURCHASED
    )
    dwelling_status_change(
        actor=actor, dwelling=lease.dwelling, status=DwellingStatus.SOLD, valid_from=on, reason=why
    )


@transaction.atomic
def municipal_sale_record(
    *,
    actor: User,
    sale: MunicipalSale,
    sold_on: dt.date,
    pre_emption: str,
    start_loan: int,
    grant: int,
    private_bank_loan: int = 0,
) -> MunicipalSale:
    """Record the sale: the pre-emption question must be settled, the financing stated; the
    lease ends, the dwelling leaves the stock, and the move to owning is stored for leaders."""
    require_contract_role(actor, sale.municipality_id)
    locked = _open_sale(sale)
    if pre_emption not in PreEmption.values or pre_emption == PreEmption.PENDING:
        raise ValidationError(
            {"pre_emption": _("Settle the cooperative's pre-emption before the sale is recorded.")}
        )
    if sold_on < locked.offered_on:
        raise ValidationError({"sold_on": _("The take-over cannot be before the offer.")})
    if sold_on <= locked.lease.start_date:
        raise ValidationError({"sold_on": _("The take-over must be after the lease began.")})
    update_audited(
        actor=actor,
        action="municipal_sale_record",
        instance=locked,
        data={
            "status": SaleStatus.SOLD,
            "answered_on": sold_on,
            "sold_on": sold_on,
            "pre_emption": pre_emption,
            "start_loan": start_loan,
            "grant": grant,
            "private_bank_loan": private_bank_loan,
        },
        municipality=locked.municipality,
    )
    with translation.override(locked.municipality.language_form):  # record text
        why = _("Sold to the tenant")
    _leaves_stock(actor, locked.lease, sold_on, why)
    OwningFact.objects.create(
        municipality=locked.municipality,
        household=locked.household,
        how=OwningHow.BOUGHT_MUNICIPAL,
        on=sold_on,
        start_loan=start_loan,
        grant=grant,
    )
    return locked


@transaction.atomic
def rent_to_own_create(
    *,
    actor: User,
    lease: Lease,
    data: Mapping[str, Any],
    assessment: OwnershipAssessment | None = None,
) -> RentToOwnAgreement:
    """Record a leie-før-eie agreement for the dwelling the municipality bought for the
    household (the lease is its tenancy): financing shares, the cost-based rent, and the option
    year and price (the year-0 price)."""
    require_contract_role(actor, lease.municipality_id)
    locked = _active_lease(lease)
    if RentToOwnAgreement.objects.filter(lease=locked, status=OptionStatus.OPEN).exists():
        raise ValidationError(_("This lease already has an open rent-to-own agreement."))
    basic, grant = int(data["basic_loan_percent"]), int(data["grant_percent"])
    if basic + grant > WHOLE:
        raise ValidationError(
            {"grant_percent": _("The basic loan and grant shares cannot exceed 100 %.")}
        )
    price = int(data["purchase_price"])
    rate = Decimal(data["interest_rate_percent"])
    rent = ownership.cost_based_rent(
        purchase_price=price,
        basic_loan_share=basic / 100,
        interest_rate=float(rate) / 100,
        management_yearly=int(data["management_yearly"]),
        operation_yearly=int(data["operation_yearly"]),
        maintenance_yearly=int(data["maintenance_yearly"]),
    )
    option_year = int(data.get("option_year") or 5)
    agreement = RentToOwnAgreement(
        municipality=locked.municipality,
        household=locked.household,
        dwelling=locked.dwelling,
        lease=locked,
        assessment=assessment,
        purchased_on=data["purchased_on"],
        purchase_price=price,
        basic_loan_percent=basic,
        grant_percent=grant,
        interest_rate_percent=rate,
        management_yearly=data["management_yearly"],
        operation_yearly=data["operation_yearly"],
        maintenance_yearly=data["maintenance_yearly"],
        market_rent_monthly=data.get("market_rent_monthly"),
        monthly_rent=rent,
        option_year=option_year,
        option_price=price,
        option_opens_on=ownership.option_window_opens(data["purchased_on"], option_year),
        created_by=actor,
    )
    return create_audited(
        actor=actor,
        action="rent_to_own_create",
        instance=agreement,
        municipality=locked.municipality,
        person_id=_applicant_id(locked.household),
    )


@transaction.atomic
def rent_to_own_decide(
    *,
    actor: User,
    agreement: RentToOwnAgreement,
    exercised: bool,
    decided_on: dt.date,
    start_loan: int = 0,
    grant: int = 0,
) -> RentToOwnAgreement:
    """The household exercises the option (from the option window on: the lease ends, the
    dwelling leaves the stock, the move to owning is stored) or declines it (voluntary)."""
    require_contract_role(actor, agreement.municipality_id)
    locked = RentToOwnAgreement.objects.select_for_update().get(pk=agreement.pk)
    if locked.status != OptionStatus.OPEN:
        raise ValidationError(_("The option has already been decided."))
    if exercised and decided_on < locked.option_opens_on:
        raise ValidationError(
            {
                "decided_on": _("The option can be exercised from %(date)s.")
                % {"date": locked.option_opens_on.strftime("%d.%m.%Y")}
            }
        )
    update_audited(
        actor=actor,
        action="rent_to_own_exercise" if exercised else "rent_to_own_decline",
        instance=locked,
        data={
            "status": OptionStatus.EXERCISED if exercised else OptionStatus.DECLINED,
            "decided_on": decided_on,
        },
        municipality=locked.municipality,
    )
    if exercised:
        if locked.lease is not None and locked.lease.status == LeaseStatus.ACTIVE:
            with translation.override(locked.municipality.language_form):
                why = _("Bought by the tenant (rent to own)")
            _leaves_stock(actor, locked.lease, decided_on, why)
        OwningFact.objects.create(
            municipality=locked.municipality,
            household=locked.household,
            how=OwningHow.RENT_TO_OWN,
            on=decided_on,
            start_loan=start_loan,
            grant=grant,
        )
    return locked


@transaction.atomic
def start_loan_purchase_record(
    *,
    actor: User,
    assessment: OwnershipAssessment,
    bought_on: dt.date,
    start_loan: int,
    grant: int = 0,
) -> OwningFact:
    """A household screened as able to own bought on the market with a start loan: the move is
    stored for leaders (the lease ends through tenancy when they move out)."""
    require_screen_role(actor, assessment.municipality_id)
    if assessment.route != Route.OWN_NOW:
        raise ValidationError(_("Only a household screened as able to own now can be recorded."))
    if bought_on < assessment.assessed_on:
        raise ValidationError({"bought_on": _("The purchase cannot be before the screening.")})
    if start_loan < 1:
        raise ValidationError({"start_loan": _("Give the start loan granted.")})
    if OwningFact.objects.filter(
        household=assessment.household, how=OwningHow.START_LOAN, on=bought_on
    ).exists():
        raise ValidationError(_("This purchase is already recorded."))
    return create_audited(
        actor=actor,
        action="start_loan_purchase_record",
        instance=OwningFact(
            municipality=assessment.municipality,
            household=assessment.household,
            how=OwningHow.START_LOAN,
            on=bought_on,
            start_loan=start_loan,
            grant=grant,
        ),
        municipality=assessment.municipality,
        person_id=_applicant_id(assessment.household),
    )

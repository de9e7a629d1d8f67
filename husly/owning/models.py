"""Towards owning: ownership-potential screenings, rent-to-own (leie-før-eie) agreements, the
sale of a municipal dwelling to its tenant, and the stored facts of households that moved from
renting to owning. Sources: kristiansund.md 2.8 and 4.4-4.5, raelingen.md 2.16 and 7 C."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from husly.housing.models import Dwelling
from husly.organisation.models import Municipality
from husly.people.models import Household
from husly.tenancy.models import Lease, RenewalApplication


class Route(models.TextChoices):
    OWN_NOW = "own_now", _("Can own now (start loan and grant)")
    RENT_TO_OWN = "rent_to_own", _("Rent before owning")
    LOOK_AGAIN = "look_again", _("Rent, look again on a date")


class OwnershipAssessment(models.Model):
    """One screening of a household's ownership potential, with the start-loan calculation it
    ran and the route it gave. Never edited: a new screening is a new row."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="ownership_assessments"
    )
    lease = models.ForeignKey(
        Lease, on_delete=models.PROTECT, null=True, blank=True, related_name="ownership_assessments"
    )
    renewal = models.ForeignKey(
        RenewalApplication,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ownership_assessments",
    )
    assessed_on = models.DateField(_("assessed on"))
    income_sources = models.CharField(_("income sources and employment"), max_length=300)
    income_stable = models.BooleanField(_("the income is stable"), default=False)
    net_income_monthly = models.PositiveIntegerField(_("net income a month (NOK)"))
    other_fixed_costs_monthly = models.PositiveIntegerField(
        _("other fixed costs a month, debt included (NOK)"), default=0
    )
    consumer_debt = models.PositiveIntegerField(_("consumer debt (NOK)"), default=0)
    debt_in_collection = models.BooleanField(
        _("debt in collection or a payment remark"), default=False
    )
    savings = models.PositiveIntegerField(_("savings (NOK)"), default=0)
    price_needed = models.PositiveIntegerField(
        _("price of a suitable dwelling (NOK)"),
        validators=[MinValueValidator(1)],
    )
    housing_running_costs_monthly = models.PositiveIntegerField(
        _("running costs of that dwelling a month (NOK)"), default=0
    )
    grant_expected = models.PositiveIntegerField(_("grant expected (NOK)"), default=0)
    education_first = models.BooleanField(_("education comes first"), default=False)
    education_note = models.CharField(_("education plans"), max_length=300, blank=True)
    wishes_to_own = models.BooleanField(_("the household wishes to own"), default=True)
    wishes_note = models.CharField(_("the household's wishes"), max_length=300, blank=True)
    right_to_municipal_dwelling = models.BooleanField(
        _("the household has a right to a municipal dwelling"), default=True
    )
    can_service_loan = models.BooleanField(_("can service the loan"), default=False)
    largest_loan = models.PositiveIntegerField(_("largest start loan"), default=0)
    loan_margin = models.IntegerField(_("margin after the loan"), default=0)
    financing_gap = models.PositiveIntegerField(_("financing gap"), default=0)
    route = models.CharField(_("result"), max_length=12, choices=Route.choices)
    reasons = models.JSONField(default=list)
    look_again_on = models.DateField(_("look again on"), null=True, blank=True)
    calculation = models.JSONField(default=dict, help_text="The start-loan result with its trace.")
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-assessed_on", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.household} {self.assessed_on}"


class OptionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    EXERCISED = "exercised", _("Exercised: the household bought")
    DECLINED = "declined", _("Declined")


class RentToOwnAgreement(models.Model):
    """Husbanken's leie-før-eie: the municipality buys a dwelling for the household (basic loan
    and grant), lets it at cost-based rent, and the household may buy it in the option year at
    the year-0 price (kristiansund.md 2.8.3)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="rent_to_own_agreements"
    )
    dwelling = models.ForeignKey(Dwelling, on_delete=models.PROTECT, related_name="+")
    lease = models.ForeignKey(
        Lease, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assessment = models.ForeignKey(
        OwnershipAssessment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    purchased_on = models.DateField(_("bought by the municipality on"))
    purchase_price = models.PositiveIntegerField(
        _("purchase price (NOK)"), validators=[MinValueValidator(1)]
    )
    basic_loan_percent = models.PositiveSmallIntegerField(
        _("basic loan share (%)"), default=80, validators=[MaxValueValidator(100)]
    )
    grant_percent = models.PositiveSmallIntegerField(
        _("grant share (%)"), default=20, validators=[MaxValueValidator(100)]
    )
    interest_rate_percent = models.DecimalField(
        _("interest rate on the basic loan (% a year)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(49)],
    )
    management_yearly = models.PositiveIntegerField(_("management a year (NOK)"))
    operation_yearly = models.PositiveIntegerField(_("operation a year (NOK)"))
    maintenance_yearly = models.PositiveIntegerField(_("maintenance a year (NOK)"))
    market_rent_monthly = models.PositiveIntegerField(
        _("market rent for a similar dwelling a month (NOK)"), null=True, blank=True
    )
    monthly_rent = models.PositiveIntegerField(_("cost-based rent a month (NOK)"))
    option_year = models.PositiveSmallIntegerField(
        _("option year"), default=5, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    option_price = models.PositiveIntegerField(_("option price (NOK)"))
    option_opens_on = models.DateField(_("option window opens"))
    status = models.CharField(
        _("status"), max_length=10, choices=OptionStatus.choices, default=OptionStatus.OPEN
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["option_opens_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(basic_loan_percent__lte=100 - models.F("grant_percent")),
                name="rent_to_own_shares_at_most_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.dwelling}"


class PreEmption(models.TextChoices):
    NOT_COOPERATIVE = "not_cooperative", _("Not a cooperative dwelling: no pre-emption")
    NOT_TRIED = "not_tried", _("Cooperative: sold without the pre-emption being tried (§ 4-12)")
    WAIVED = "waived", _("Cooperative: the pre-emption was waived")
    PENDING = "pending", _("Cooperative: the pre-emption question is not settled")


class SaleStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    DECLINED = "declined", _("Declined by the tenant")
    SOLD = "sold", _("Sold")


class MunicipalSale(models.Model):
    """The sale of a municipal dwelling to the tenant who lives in it (Drammen, Trondheim;
    kristiansund.md 2.8.1-2.8.2): valuation, offer at valuation less a discount, the
    cooperative's pre-emption, financing, and the sale recorded."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    lease = models.ForeignKey(Lease, on_delete=models.PROTECT, related_name="sales")
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="municipal_purchases"
    )
    dwelling = models.ForeignKey(Dwelling, on_delete=models.PROTECT, related_name="+")
    assessment = models.ForeignKey(
        OwnershipAssessment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    valuation = models.PositiveIntegerField(_("valuation (NOK)"), validators=[MinValueValidator(1)])
    valued_by = models.CharField(_("valued by (estate agency)"), max_length=150)
    valued_on = models.DateField(_("valued on"))
    discount = models.PositiveIntegerField(_("discount (NOK)"))
    offer_price = models.PositiveIntegerField(_("offer price (NOK)"))
    offered_on = models.DateField(_("offered on"))
    answer_by = models.DateField(_("answer by"), null=True, blank=True)
    pre_emption = models.CharField(
        _("the cooperative's pre-emption"),
        max_length=16,
        choices=PreEmption.choices,
        default=PreEmption.PENDING,
    )
    start_loan = models.PositiveIntegerField(_("start loan (NOK)"), default=0)
    grant = models.PositiveIntegerField(_("grant (NOK)"), default=0)
    private_bank_loan = models.PositiveIntegerField(_("loan from a private bank (NOK)"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=SaleStatus.choices, default=SaleStatus.OFFERED
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    sold_on = models.DateField(_("take-over date"), null=True, blank=True)
    letter = models.FileField(upload_to="owning/%Y/", blank=True, editable=False)
    letter_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-offered_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.dwelling} {self.offered_on}"


class OwningHow(models.TextChoices):
    RENT_TO_OWN = "rent_to_own", _("Rent-to-own option exercised")
    BOUGHT_MUNICIPAL = "bought_municipal", _("Bought the municipal dwelling")
    START_LOAN = "start_loan", _("Bought on the market with a start loan")


class OwningFact(models.Model):
    """A stored fact for leaders: a household moved from renting to owning, and how. Kept for
    the statistics after the household's personal data is erased (household set to null)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        Household, on_delete=models.SET_NULL, null=True, related_name="owning_facts"
    )
    how = models.CharField(_("how"), max_length=16, choices=OwningHow.choices)
    on = models.DateField(_("date"))
    start_loan = models.PositiveIntegerField(_("start loan (NOK)"), default=0)
    grant = models.PositiveIntegerField(_("grant (NOK)"), default=0)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.how} {self.on}"

"""Start loans (startlån) and housing grants as cases: the application, the assessment with the
escalation ladder, the decision team, the approval and its three-month validity, the purchase,
disbursement and the loan portfolio with arrears follow-up; the yearly funding.

Sources: forskrift om lån fra Husbanken kap. 5 and § 8-5; finansavtaleloven 2020 §§ 5-1, 5-2 and
the duty to advise against; Rælingen's start-loan criteria and procedure (raelingen L4016–4247,
L5567–5777). Names follow spec/glossary.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from husly.cases.models import Case, Decision
from husly.organisation.models import Municipality, Unit
from husly.people.models import Household


class DwellingKind(models.TextChoices):
    COOPERATIVE = "cooperative", _("Cooperative flat (borettslag)")
    FREEHOLD = "freehold", _("Freehold (selveier)")
    SECTIONED = "sectioned", _("Owner-occupied flat (eierseksjon)")


class LoanApplication(models.Model):
    """What a start-loan case needs besides the common application: the economy, the dwelling,
    the credit check and the oral explanation (finansavtaleloven §§ 5-1, 5-2)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="loan_application")
    net_income_monthly = models.PositiveIntegerField(_("income after tax per month (NOK)"))
    income_documented = models.BooleanField(_("the income is documented"), default=False)
    other_fixed_costs_monthly = models.PositiveIntegerField(
        _("payments on other debt and fixed costs per month (NOK)"), default=0
    )
    debt_total = models.PositiveIntegerField(_("other debt in total (NOK)"), default=0)
    savings = models.PositiveIntegerField(_("savings (NOK)"), default=0)
    dwelling_kind = models.CharField(
        _("kind of dwelling"), max_length=20, choices=DwellingKind.choices
    )
    dwelling_address = models.CharField(_("the dwelling sought or found"), max_length=200)
    dwelling_municipality_number = models.CharField(
        _("municipality number of the dwelling"), max_length=4
    )
    price = models.PositiveIntegerField(_("price (NOK)"))
    common_debt = models.PositiveIntegerField(_("share of common debt (NOK)"), default=0)
    housing_costs_monthly = models.PositiveIntegerField(
        _("joint costs, charges, power and upkeep per month (NOK)"), default=0
    )
    bank_co_financing = models.PositiveIntegerField(_("loan from a bank (NOK)"), default=0)
    loan_amount = models.PositiveIntegerField(_("start loan applied for (NOK)"))
    lower_living_costs_monthly = models.PositiveIntegerField(
        _("the caseworker's lower living-cost estimate per month (NOK)"), null=True, blank=True
    )
    is_refugee = models.BooleanField(_("refugee"), default=False)
    # The criteria's facts (husly.rules.guidelines.StartLoanFacts); None is unknown.
    has_long_term_financing_problems = models.BooleanField(null=True, blank=True)
    bank_cannot_finance = models.BooleanField(null=True, blank=True)
    has_used_opportunity_to_save = models.BooleanField(null=True, blank=True)
    dwelling_is_suitable = models.BooleanField(null=True, blank=True)
    dwelling_price_is_reasonable = models.BooleanField(null=True, blank=True)
    health_needs_stable_home_soon = models.BooleanField(null=True, blank=True)
    refinancing_lets_household_stay = models.BooleanField(null=True, blank=True)
    housing_prevents_work_or_business = models.BooleanField(null=True, blank=True)
    frees_municipal_dwelling = models.BooleanField(null=True, blank=True)
    # § 8-5 conditions for a term over 30 years.
    permanently_low_income = models.BooleanField(default=False)
    low_predictable_income = models.BooleanField(default=False)
    dwelling_suits_long_term = models.BooleanField(default=False)
    renting_unsuitable_or_dearer = models.BooleanField(default=False)
    shorter_term_not_responsible = models.BooleanField(default=False)
    at_risk_of_losing_home = models.BooleanField(default=False)
    # Recorded steps.
    credit_checked_on = models.DateField(_("credit check made"), null=True, blank=True)
    credit_check_result = models.TextField(_("what the credit check showed"), blank=True)
    credit_check_note = models.TextField(_("note on the credit check"), blank=True)
    credit_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    explained_on = models.DateField(_("oral explanation given"), null=True, blank=True)
    explained_how = models.CharField(_("how it was explained"), max_length=100, blank=True)
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Startlån {self.case.number}"

    @property
    def total_price(self) -> int:
        """Price with the share of common debt (Rælingen criterion 5, cooperatives)."""
        return self.price + self.common_debt


class DocumentRequest(models.Model):
    """A document asked of the applicant, with its deadline."""

    application = models.ForeignKey(
        LoanApplication, on_delete=models.CASCADE, related_name="document_requests"
    )
    title = models.CharField(_("document"), max_length=200)
    due_on = models.DateField(_("deadline"))
    received_on = models.DateField(_("received"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class LoanAssessment(models.Model):
    """The criteria (cases.Assessment, the guideline engine's record), the affordability
    calculation and the escalation ladder, stored together."""

    application = models.ForeignKey(
        LoanApplication, on_delete=models.CASCADE, related_name="assessments"
    )
    assessment = models.OneToOneField(
        "cases.Assessment", on_delete=models.PROTECT, related_name="loan_assessment"
    )
    affordability = models.JSONField()
    ladder = models.JSONField()
    first_working_step = models.CharField(max_length=30, blank=True)
    long_term_allowed = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.application} {self.first_working_step or '-'}"


class TeamMeeting(models.Model):
    """The decision team's monthly meeting (vedtaksteam, raelingen L4018–4029)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("meeting date"))
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Vedtaksteam {self.held_on:%d.%m.%Y}"


class Outcome(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REFUSE = "refuse", _("Refuse")
    ADVISE_AGAINST = "advise_against", _("Advise against in writing")


class Recommendation(models.Model):
    """The caseworker's recommendation (innstilling) to the team, and what the team decided."""

    application = models.ForeignKey(
        LoanApplication, on_delete=models.CASCADE, related_name="recommendations"
    )
    loan_assessment = models.ForeignKey(LoanAssessment, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(
        TeamMeeting, on_delete=models.PROTECT, null=True, blank=True, related_name="items"
    )
    proposed_outcome = models.CharField(_("recommended outcome"), max_length=20, choices=Outcome)
    proposed_step = models.CharField(_("recommended step"), max_length=30, blank=True)
    text = models.TextField(_("recommendation"))
    team_outcome = models.CharField(
        _("the team's outcome"), max_length=20, choices=Outcome, blank=True
    )
    team_step = models.CharField(_("the team's step"), max_length=30, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision = models.OneToOneField(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="recommendation"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Innstilling {self.application}"


class ApprovalStatus(models.TextChoices):
    VALID = "valid", _("Valid, no purchase yet")
    PURCHASED = "purchased", _("Purchase accepted")
    DISBURSED = "disbursed", _("Disbursed")
    EXPIRED = "expired", _("Expired without a purchase")


class LoanApproval(models.Model):
    """The terms of an issued approval (tilsagn), its validity and the way to the keys."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="loan_terms")
    application = models.ForeignKey(
        LoanApplication, on_delete=models.PROTECT, related_name="approvals"
    )
    amount = models.PositiveIntegerField(_("loan (NOK)"))
    grant_amount = models.PositiveIntegerField(_("establishment grant (NOK)"), default=0)
    annual_rate = models.DecimalField(_("interest rate"), max_digits=6, decimal_places=5)
    fixed_rate = models.BooleanField(_("fixed rate"), default=False)
    term_years = models.PositiveSmallIntegerField(_("repayment term (years)"))
    max_price = models.PositiveIntegerField(_("highest price with common debt (NOK)"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    extension_reason = models.TextField(_("why the validity was extended"), blank=True)
    status = models.CharField(
        max_length=20, choices=ApprovalStatus.choices, default=ApprovalStatus.VALID
    )
    purchase_address = models.CharField(_("address bought"), max_length=200, blank=True)
    purchase_price = models.PositiveIntegerField(
        _("price with common debt (NOK)"), null=True, blank=True
    )
    offer_accepted_on = models.DateField(_("offer accepted"), null=True, blank=True)
    loan_documents_signed_on = models.DateField(_("loan documents signed"), null=True, blank=True)
    mortgage_registered_on = models.DateField(_("mortgage registered"), null=True, blank=True)
    mortgage_priority = models.PositiveSmallIntegerField(_("priority"), null=True, blank=True)
    followed_up_on = models.DateField(_("followed up"), null=True, blank=True)
    follow_up_note = models.TextField(_("follow-up"), blank=True)

    def __str__(self) -> str:
        return f"Tilsagn {self.decision.case.number}"


class LoanStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    REPAID = "repaid", _("Repaid")
    FORCED_SALE = "forced_sale", _("Ended by forced sale")
    WRITTEN_OFF = "written_off", _("Loss written off")


class Loan(models.Model):
    """A disbursed start loan in the municipality's portfolio."""

    approval = models.OneToOneField(LoanApproval, on_delete=models.PROTECT, related_name="loan")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="loans")
    number = models.CharField(_("loan number"), max_length=30, unique=True)
    principal = models.PositiveIntegerField(_("loan (NOK)"))
    balance = models.PositiveIntegerField(_("balance (NOK)"))
    annual_rate = models.DecimalField(_("interest rate"), max_digits=6, decimal_places=5)
    term_years = models.PositiveSmallIntegerField(_("repayment term (years)"))
    monthly_payment = models.PositiveIntegerField(_("monthly payment (NOK)"))
    establishment_fee = models.PositiveIntegerField(_("establishment fee (NOK)"))
    registration_fee = models.PositiveIntegerField(_("registration fee (NOK)"))
    paid_out = models.PositiveIntegerField(_("paid out (NOK)"))
    disbursed_on = models.DateField(_("disbursed"))
    status = models.CharField(max_length=20, choices=LoanStatus.choices, default=LoanStatus.ACTIVE)
    loss = models.PositiveIntegerField(_("loss (NOK)"), default=0)
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    forced_sale_price = models.PositiveIntegerField(
        _("sale price at the forced sale (NOK)"), null=True, blank=True
    )
    end_note = models.TextField(_("about the end of the loan"), blank=True)

    class Meta:
        ordering = ["-disbursed_on", "-pk"]

    def __str__(self) -> str:
        return self.number


class LoanPayment(models.Model):
    """One instalment as the loan administrator reports it."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="payments")
    due_on = models.DateField(_("due"))
    amount_due = models.PositiveIntegerField(_("amount due (NOK)"))
    amount_paid = models.PositiveIntegerField(_("paid (NOK)"), default=0)
    paid_on = models.DateField(_("paid"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "due_on"], name="loan_payment_once_per_due")
        ]

    def __str__(self) -> str:
        return f"{self.loan} {self.due_on}"

    @property
    def missed(self) -> bool:
        return self.amount_paid < self.amount_due


class FollowUpMeasure(models.TextChoices):
    CONVERSATION = "conversation", _("Conversation")
    DEFERRAL = "deferral", _("Deferral")
    INTEREST_ONLY = "interest_only", _("Interest-only period")
    COLLECTION = "collection", _("Sent to collection")


class ArrearsFollowUp(models.Model):
    """A missed instalment opens a follow-up before any collection (raelingen L4228–4247)."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="follow_ups")
    payment = models.ForeignKey(LoanPayment, on_delete=models.PROTECT, related_name="+")
    opened_on = models.DateField()
    measure = models.CharField(
        _("measure"), max_length=20, choices=FollowUpMeasure.choices, blank=True
    )
    interest_only_until = models.DateField(_("interest-only until"), null=True, blank=True)
    note = models.TextField(_("what was agreed"), blank=True)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_on", "-pk"]

    def __str__(self) -> str:
        return f"Oppfølging {self.loan}"


class AdviceAgainst(models.Model):
    """The written advice against a loan (frarådning): not a refusal."""

    application = models.ForeignKey(
        LoanApplication, on_delete=models.PROTECT, related_name="advice_against"
    )
    recommendation = models.OneToOneField(
        Recommendation, on_delete=models.PROTECT, related_name="advice"
    )
    margin = models.IntegerField()
    reasons = models.TextField(_("why we advise against the loan"))
    language = models.CharField(max_length=2, default="nb")
    issued_on = models.DateField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    letter = models.FileField(upload_to="letters/%Y/", blank=True)
    letter_sha256 = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"Frarådning {self.application}"


class CandidateStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    INVITED = "invited", _("Invited to apply")
    APPLIED = "applied", _("Has applied")
    NOT_NOW = "not_now", _("Not a candidate now")


class Candidate(models.Model):
    """A household another unit proposes as a possible future start-loan applicant."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="loan_candidacies"
    )
    proposed_by_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("why"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CandidateStatus.choices,
        default=CandidateStatus.PROPOSED,
    )
    invited_on = models.DateField(_("invited"), null=True, blank=True)
    team_note = models.TextField(_("the team's note"), blank=True)
    application = models.ForeignKey(
        LoanApplication, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Kandidat {self.household_id}"


class Funding(models.Model):
    """One year's start-loan funding (raelingen L4168–4203) and the grant budget."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    nav_recommended = models.PositiveIntegerField(_("amount NAV recommends (NOK)"), default=0)
    council_decided = models.PositiveIntegerField(_("amount the council decided (NOK)"), default=0)
    applied_from_husbanken = models.PositiveIntegerField(
        _("applied for from Husbanken (NOK)"), default=0
    )
    granted_by_husbanken = models.PositiveIntegerField(_("granted by Husbanken (NOK)"), default=0)
    grant_budget = models.PositiveIntegerField(_("grant budget (NOK)"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="loan_funding_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}"


class LoanExceptionUse(models.Model):
    """The caseworker's use of one of the criteria's exceptions (Rælingen 4 a–d) for one
    criterion, with the reason; every assessment of the application applies the ones in force."""

    application = models.ForeignKey(
        LoanApplication, on_delete=models.CASCADE, related_name="exception_uses"
    )
    criterion_id = models.CharField(_("criterion"), max_length=10)
    exception_id = models.CharField(_("exception"), max_length=20)
    reason = models.TextField(_("why the exception applies"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["criterion_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion_id"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="loan_exception_once_per_criterion",
            )
        ]

    def __str__(self) -> str:
        return f"{self.exception_id} → {self.criterion_id}"


class LoanFactKind(models.TextChoices):
    APPLICATION = "application", _("Application received")
    APPROVAL = "approval", _("Approval issued")
    REFUSAL = "refusal", _("Refusal issued")
    ADVICE_AGAINST = "advice_against", _("Written advice against")
    DISBURSED = "disbursed", _("Loan paid out")
    NO_PURCHASE = "no_purchase", _("Approval expired without a purchase")
    ARREARS = "arrears", _("Missed instalment, follow-up opened")
    LOSS = "loss", _("Loss written off")
    FORCED_SALE = "forced_sale", _("Forced sale")
    GRANT_APPROVAL = "grant_approval", _("Grant awarded")
    GRANT_REFUSAL = "grant_refusal", _("Grant refused")
    GRANT_PAID = "grant_paid", _("Grant paid out")


class LoanFact(models.Model):
    """One coded start-loan or grant event for the leaders' figures (like ArrearsFact): no
    names, no free text. Written by the actions in the same transaction."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=LoanFactKind.choices)
    on = models.DateField()
    amount = models.PositiveBigIntegerField(default=0)
    with_children = models.BooleanField(default=False)
    refugee = models.BooleanField(default=False)
    days_to_decision = models.PositiveIntegerField(null=True, blank=True)
    grant_kind = models.CharField(max_length=20, blank=True)
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "pk"]
        indexes = [models.Index(fields=["municipality", "kind", "on"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.on}"


class GrantKind(models.TextChoices):
    ESTABLISHMENT = "establishment", _("Establishment grant (etableringstilskudd)")
    ADAPTATION = "adaptation", _("Adaptation grant (tilpasningstilskudd)")


class GrantBudget(models.Model):
    """One year's budget for one kind of grant; committed and paid are counted from the
    grants."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    grant_kind = models.CharField(_("grant"), max_length=20, choices=GrantKind.choices)
    amount = models.PositiveIntegerField(_("budget (NOK)"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "grant_kind"], name="grant_budget_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.grant_kind} {self.year}"


class GrantStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    DECIDED = "decided", _("Decision drafted")
    APPROVED = "approved", _("Awarded")
    REFUSED = "refused", _("Refused")
    PAID = "paid", _("Paid out")


class GrantApplication(models.Model):
    """A grant as its own kind of help (cases.HelpKind.GRANT): the establishment grant towards
    buying a home (the escalation ladder's last step) or the adaptation grant for adapting one."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="grant_application")
    grant_kind = models.CharField(_("grant"), max_length=20, choices=GrantKind.choices)
    purpose = models.TextField(_("what the grant is for"))
    cost = models.PositiveIntegerField(_("the cost of the purchase or the adaptation (NOK)"))
    amount_sought = models.PositiveIntegerField(_("grant applied for (NOK)"))
    loan_application = models.ForeignKey(
        LoanApplication,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="grant_applications",
    )
    # The municipality's grant rules' facts (husly.rules.guidelines.GrantFacts; None is unknown).
    cannot_finance_otherwise = models.BooleanField(null=True, blank=True)
    longer_term_fully_used = models.BooleanField(null=True, blank=True)
    dwelling_is_suitable = models.BooleanField(null=True, blank=True)
    has_reduced_function_or_is_older = models.BooleanField(null=True, blank=True)
    adaptation_is_appropriate = models.BooleanField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=GrantStatus.choices, default=GrantStatus.APPLIED
    )
    amount = models.PositiveIntegerField(_("grant (NOK)"), null=True, blank=True)
    decision = models.OneToOneField(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="grant"
    )
    decided_on = models.DateField(_("decided"), null=True, blank=True)
    paid_on = models.DateField(_("paid out"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Tilskudd {self.case.number}"

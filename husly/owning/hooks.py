"""Persons the retention job must keep, and the free text blanked when a household is
anonymised (husly.retention.hooks)."""

from __future__ import annotations

from husly.owning.models import (
    MunicipalSale,
    OptionStatus,
    OwnershipAssessment,
    RentToOwnAgreement,
    SaleStatus,
)
from husly.people.models import HouseholdMember

ERASED = "–"


def owning_in_use(candidate_ids: set[int]) -> set[int]:
    """Members of a household with an open rent-to-own agreement or an open sale offer: the
    municipality still has a contract or an offer with them."""
    households = set(
        RentToOwnAgreement.objects.filter(status=OptionStatus.OPEN).values_list(
            "household_id", flat=True
        )
    ) | set(
        MunicipalSale.objects.filter(status=SaleStatus.OFFERED).values_list(
            "household_id", flat=True
        )
    )
    return set(
        HouseholdMember.objects.filter(
            person_id__in=candidate_ids, household_id__in=households
        ).values_list("person_id", flat=True)
    )


def household_anonymised(household_id: int) -> dict[str, int]:
    """The screenings' free text about the household's income, education and wishes, and the
    sale offer letters (they carry the tenant's name and address)."""
    count = OwnershipAssessment.objects.filter(household_id=household_id).update(
        income_sources=ERASED, education_note="", wishes_note="", calculation={}
    )
    letters = 0
    for sale in MunicipalSale.objects.filter(household_id=household_id).exclude(letter=""):
        sale.letter.delete(save=False)
        sale.letter_sha256 = ""
        sale.save(update_fields=["letter", "letter_sha256"])
        letters += 1
    result = {"ownership_assessments": count} if count else {}
    if letters:
        result["sale_letters_deleted"] = letters
    return result

"""Factories for domain data. Role users are a fixed cast in conftest.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from husly.housing.models import Building, Dwelling, DwellingCategory, DwellingStatus
from husly.organisation.models import Municipality
from husly.people.identity import individual_numbers_for, make_synthetic_number
from husly.people.models import Household, HouseholdMember, Person, Relation


def synthetic_number(born: dt.date, *, from_the_end: bool = False) -> str:
    """A synthetic number for ``born``: the first valid individual number, or the last with
    ``from_the_end`` (the factory's: so a number a test writes by hand for a day is never one
    the factory makes, however many persons a test process has made before)."""
    individuals = individual_numbers_for(born.year)
    for individual in reversed(individuals) if from_the_end else individuals:
        number = make_synthetic_number(born, individual)
        if number:
            return number
    raise AssertionError("no synthetic number")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("number",)

    number = "3224"
    name = "Rælingen"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    municipality = factory.SubFactory(MunicipalityFactory)
    given_name = factory.Sequence(lambda n: f"Kari{n}")
    family_name = "Nordmann"
    national_id = factory.Sequence(
        lambda n: synthetic_number(dt.date(1985, 5, 17) + dt.timedelta(days=n), from_the_end=True)
    )

    @factory.lazy_attribute
    def date_of_birth(self) -> dt.date:
        if not self.national_id:
            return dt.date(1985, 5, 17)
        day, month, year = (
            int(self.national_id[:2]),
            int(self.national_id[2:4]) - 80,
            int(self.national_id[4:6]),
        )
        return dt.date(1900 + year, month, day)


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    name = "Nordmann"

    @factory.post_generation
    def applicant(self, create: bool, extracted: Person | None, **kwargs: object) -> None:
        if not create:
            return
        person = extracted or PersonFactory(municipality=self.municipality)
        HouseholdMember.objects.create(household=self, person=person, relation=Relation.APPLICANT)


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Fjerdingbyvegen {n}")
    address = factory.Sequence(lambda n: f"Fjerdingbyvegen {n}")
    postal_code = "2008"
    postal_town = "Fjerdingby"
    district = "Fjerdingby"


class DwellingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dwelling

    building = factory.SubFactory(BuildingFactory)
    number = factory.Sequence(lambda n: f"H{n:04d}")
    rooms = 2
    area_m2 = Decimal("54.0")
    floor = 1
    category = DwellingCategory.ORDINARY
    monthly_rent = 9800
    status = DwellingStatus.VACANT

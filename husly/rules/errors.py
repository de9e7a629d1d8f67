"""Errors raised by the rules engine.

Every error about bad input names the field it concerns and carries a Norwegian (bokmål) message
for caseworkers (``message_nb``) plus an English one for developers (``message_en``). The engine
never turns bad input into a silent zero.
"""

from __future__ import annotations


class RulesError(Exception):
    """Base class for everything the rules engine raises on purpose."""


class ParameterFileError(RulesError):
    """A parameter file is malformed: unknown unit, gap, overlap, missing reference and so on.

    Raised once, when the parameter tree is loaded, never during a calculation.
    """

    def __init__(self, source: str, message: str) -> None:
        self.source = source
        self.message = message
        super().__init__(f"{source}: {message}")


class RulesInputError(RulesError, ValueError):
    """Bad input to a calculation. ``field`` names the offending input field."""

    def __init__(self, field: str, message_nb: str, message_en: str) -> None:
        self.field = field
        self.message_nb = message_nb
        self.message_en = message_en
        super().__init__(f"{field}: {message_en}")

    def as_dict(self) -> dict[str, str]:
        """Plain data for an API response or a form error."""
        return {
            "field": self.field,
            "message_nb": self.message_nb,
            "message_en": self.message_en,
            "code": type(self).__name__,
        }


class InvalidAmountError(RulesInputError):
    """An amount is negative, not a number, infinite or otherwise unusable."""


class EmptyHouseholdError(RulesInputError):
    """A household without members."""


class UnknownMunicipalityError(RulesInputError):
    """A kommunenummer that is not in the municipality register for the date."""


class MissingMunicipalParametersError(RulesInputError):
    """The municipality exists, but has no municipal parameters for this rule (e.g. startlån)."""


class OutsideParameterCoverageError(RulesInputError):
    """The calculation date is outside the period the parameters cover, or a value is unknown.

    ``parameter`` is the dotted path of the parameter that has no value for the date.
    """

    def __init__(self, field: str, parameter: str, message_nb: str, message_en: str) -> None:
        self.parameter = parameter
        super().__init__(field, message_nb, message_en)

    def as_dict(self) -> dict[str, str]:
        data = super().as_dict()
        data["parameter"] = self.parameter
        return data

"""Errors raised by the rules engine.

Every error about bad input names the field it concerns and carries a message for the person who
gave the input in bokmål, nynorsk and English (``message_nb``, ``message_nn``, ``message_en``;
:meth:`RulesInputError.message_in` picks one for a language code), each naming the field and the
value or limit. ``detail`` is for developers (a parameter path, a note in the parameter file). The
engine never turns bad input into a silent zero.
"""

from __future__ import annotations

from husly.rules.language import pick


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
    """Bad input to a calculation. ``field`` names the offending input field; ``nb``, ``nn`` and
    ``en`` say what is wrong in bokmål, nynorsk and English, for the user."""

    def __init__(self, field: str, *, nb: str, nn: str, en: str, detail: str = "") -> None:
        self.field = field
        self.message_nb = nb
        self.message_nn = nn
        self.message_en = en
        self.detail = detail
        super().__init__(f"{field}: {en}" + (f" [{detail}]" if detail else ""))

    def message_in(self, language: str | None) -> str:
        """The message in ``language`` (``nb``, ``nn``, ``en``; ``nn-NO`` works too), bokmål for
        any other code."""
        return pick(language, self.message_nb, self.message_nn, self.message_en)

    def as_dict(self) -> dict[str, str]:
        """Plain data for an API response or a form error."""
        data = {
            "field": self.field,
            "message_nb": self.message_nb,
            "message_nn": self.message_nn,
            "message_en": self.message_en,
            "code": type(self).__name__,
        }
        if self.detail:
            data["detail"] = self.detail
        return data


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

    def __init__(
        self, field: str, parameter: str, *, nb: str, nn: str, en: str, detail: str = ""
    ) -> None:
        self.parameter = parameter
        super().__init__(field, nb=nb, nn=nn, en=en, detail=detail or f"parameter {parameter}")

    def as_dict(self) -> dict[str, str]:
        data = super().as_dict()
        data["parameter"] = self.parameter
        return data

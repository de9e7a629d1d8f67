"""Municipal allocation guidelines as rules-as-code (pure Python, no Django).

A guideline set is YAML data (``sets/*.yaml``): one file per municipality guideline version,
with validity dates, built from a small vocabulary of criterion kinds (``kinds.KINDS``).
:func:`evaluate` checks a :class:`CaseFacts` against a set and returns an
:class:`EvaluationResult` with a full trace, which serialises to JSON (``to_dict``) and can be
re-run exactly later (:func:`reevaluate`). See docs/guidelines.md.
"""

from husly.rules.guidelines.engine import (
    ENGINE_VERSION,
    GuidelineNotInForceError,
    InvalidInputError,
    evaluate,
    reevaluate,
)
from husly.rules.guidelines.facts import (
    Applicant,
    CaseFacts,
    Economy,
    FollowUp,
    GrantFacts,
    HealthAndSocial,
    HouseholdMember,
    HousingKind,
    HousingSituation,
    MemberRole,
    MunicipalDebt,
    MunicipalDebtKind,
    ResidenceStatus,
    StartLoanFacts,
)
from husly.rules.guidelines.kinds import KINDS, GuidelineDefinitionError, MissingParameterError
from husly.rules.guidelines.loader import (
    GuidelineRegistry,
    default_registry,
    load_set_definition,
    load_set_file,
    sets_for,
)
from husly.rules.guidelines.model import (
    CaseworkerAssessment,
    CriterionResult,
    EvaluationInput,
    EvaluationResult,
    ExceptionResult,
    FactUsed,
    GuidelineSet,
    InvokedException,
    NoteResult,
    Outcome,
    OverallOutcome,
    Waiver,
)
from husly.rules.guidelines.serialise import from_json, to_json
from husly.rules.guidelines.text import Text

__all__ = [
    "ENGINE_VERSION",
    "KINDS",
    "Applicant",
    "CaseFacts",
    "CaseworkerAssessment",
    "CriterionResult",
    "Economy",
    "EvaluationInput",
    "EvaluationResult",
    "ExceptionResult",
    "FactUsed",
    "FollowUp",
    "GrantFacts",
    "GuidelineDefinitionError",
    "GuidelineNotInForceError",
    "GuidelineRegistry",
    "GuidelineSet",
    "HealthAndSocial",
    "HouseholdMember",
    "HousingKind",
    "HousingSituation",
    "InvalidInputError",
    "InvokedException",
    "MemberRole",
    "MissingParameterError",
    "MunicipalDebt",
    "MunicipalDebtKind",
    "NoteResult",
    "Outcome",
    "OverallOutcome",
    "ResidenceStatus",
    "StartLoanFacts",
    "Text",
    "Waiver",
    "default_registry",
    "evaluate",
    "from_json",
    "load_set_definition",
    "load_set_file",
    "reevaluate",
    "sets_for",
    "to_json",
]

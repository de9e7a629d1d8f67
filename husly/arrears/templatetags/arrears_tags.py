from typing import Any

from django import template

from husly.arrears.models import AgendaReason

register = template.Library()


@register.filter
def agenda_reason(value: str) -> str:
    return str(AgendaReason(value).label) if value in AgendaReason.values else value


@register.inclusion_tag("arrears/_portal.html", takes_context=True)
def arrears_portal(context: Any) -> dict[str, Any]:
    """The household's arrears cases on Min side: where each stands, agreements and letters."""
    from django.utils import timezone

    from husly.arrears.models import StepStatus
    from husly.arrears.selectors import assessment, my_arrears_cases

    user = context["request"].user
    lang = "nn" if context.get("LANGUAGE_CODE") == "nn" else "nb"
    today = timezone.localdate()
    cases = [
        {
            "case": case,
            "assessment": assessment(case, today),
            "letters": [
                (s, _step_title(case, s.step_id, lang))
                for s in case.steps.all()
                if s.status == StepStatus.CONFIRMED and s.document
            ],
            "agreements": list(case.agreements.all()),
        }
        for case in my_arrears_cases(user).order_by("-opened_on")
    ]
    return {"cases": cases, "LANGUAGE_CODE": context.get("LANGUAGE_CODE")}


def _step_title(case: Any, step_id: str, lang: str) -> str:
    from husly.arrears.selectors import procedure_of

    try:
        return procedure_of(case).step(step_id).title.get(lang)
    except KeyError:
        return step_id


@register.simple_tag
def step_title(case: Any, step_id: str) -> str:
    """A step's title from the case's procedure, in the page's written standard."""
    from django.utils.translation import get_language

    return _step_title(case, step_id, "nn" if get_language() == "nn" else "nb")


@register.filter
def in_language(text: Any) -> str:
    """A bilingual ``Text`` in the page's written standard."""
    from django.utils.translation import get_language

    return str(text.get("nn" if get_language() == "nn" else "nb"))

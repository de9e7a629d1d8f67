"""State changes of cases. Each is atomic and writes its audit event in the same transaction.

One module per topic; every action is importable from here (``from husly.cases import actions``).

Sources: forvaltningsloven §§ 11a, 24–25, 27–33 (decisions and appeals, spec/law-and-parameters
§5); boligsosial lov § 6; the municipality's guideline (e.g. Rælingen points 5–7).
"""

from husly.cases.actions.alerts import deadline_alert_dismiss
from husly.cases.actions.appeals import (
    appeal_body_outcome_record,
    appeal_forward,
    appeal_reconsider,
    appeal_register,
)
from husly.cases.actions.applications import (
    ALLOWED_UPLOADS,
    MAX_UPLOAD_BYTES,
    case_assign,
    case_create,
    case_draft_delete,
    case_for_submission,
    case_routing_refer,
    case_submit,
    case_update_application,
    document_add,
    journal_note_add,
    routing_rules_set,
)
from husly.cases.actions.assessment import (
    assessment_facts_record,
    assessment_run,
    grunnbelop_on,
    guideline_for,
    guideline_problem,
)
from husly.cases.actions.closing import case_close, case_reopen
from husly.cases.actions.decisions import (
    GUIDELINE_KINDS,
    decision_approve,
    decision_discard,
    decision_draft,
    decision_issue,
    decision_return,
    decision_submit,
    decision_update,
)
from husly.cases.actions.replies import preliminary_reply_send

__all__ = [
    "ALLOWED_UPLOADS",
    "GUIDELINE_KINDS",
    "MAX_UPLOAD_BYTES",
    "appeal_body_outcome_record",
    "appeal_forward",
    "appeal_reconsider",
    "appeal_register",
    "assessment_facts_record",
    "assessment_run",
    "case_assign",
    "case_close",
    "case_create",
    "case_draft_delete",
    "case_for_submission",
    "case_reopen",
    "case_routing_refer",
    "case_submit",
    "case_update_application",
    "deadline_alert_dismiss",
    "decision_approve",
    "decision_discard",
    "decision_draft",
    "decision_issue",
    "decision_return",
    "decision_submit",
    "decision_update",
    "document_add",
    "grunnbelop_on",
    "guideline_for",
    "guideline_problem",
    "journal_note_add",
    "preliminary_reply_send",
    "routing_rules_set",
]

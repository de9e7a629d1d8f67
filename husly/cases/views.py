"""Case work for staff: applications, assessment, decisions, appeals and the work list.

Thin views: parse, check access (selectors), call one action, render.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from husly.cases import actions, selectors
from husly.cases.assessment_forms import JudgementForm
from husly.cases.facts import fact_source_labels
from husly.cases.forms import (
    AppealForm,
    AppealOutcomeForm,
    ApplicationForm,
    CaseAssignForm,
    CaseCloseForm,
    CaseCreateForm,
    CaseFilterForm,
    CaseReferForm,
    CaseReopenForm,
    DecisionForm,
    DocumentForm,
    JournalNoteForm,
    PreliminaryReplyForm,
    ReconsiderForm,
    ReturnForm,
    WorkFilterForm,
)
from husly.cases.letters import _flat_criteria, render_decision_letter, stored_letter
from husly.cases.models import Case, CaseStatus, DecisionStatus, HelpKind
from husly.consent import selectors as sharing_selectors
from husly.core.forms import SubmissionForm
from husly.core.pages import (
    add_action_errors,
    day_text,
    form_errors_text,
    form_page,
    paginate,
    pk_url,
    querystring_without_page,
    submit,
    user_of,
)
from husly.organisation.models import Unit, User
from husly.people.selectors import (
    household_get_for_user,
    household_list,
    log_household_reads,
    log_reads,
)
from husly.tenancy.selectors import work_list_item_households, work_list_items


def _writable(user: User, case: Case) -> None:
    if not selectors.can_act_on(user, case):
        raise PermissionDenied


def case_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    filter_form = CaseFilterForm(request.GET or None)
    cases = selectors.case_list(
        user,
        search=filter_form.value("q"),
        status=filter_form.value("status"),
        help_kind=filter_form.value("help_kind"),
    )
    page = paginate(request, cases.cases, count=cases.count)
    shown = list(page.object_list)
    log_household_reads(
        user=user,
        household_ids=[case["household_id"] for case in shown],
        what="case_list",
        path=request.get_full_path(),
    )
    return render(
        request,
        "cases/case_list.html",
        {
            "page": page,
            "rows": selectors.case_rows(shown),
            # Each row's link is this and the case's key (``cases:case_detail``).
            "case_url": reverse("cases:case_list"),
            "filter_form": filter_form,
            "querystring": querystring_without_page(request),
            "can_register": bool(selectors.unit_ids(user, selectors.CASE_WRITE)),
        },
    )


def work_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    units = list(
        Unit.objects.filter(pk__in=selectors.unit_ids(user))
        .order_by("name")
        .values_list("pk", "name")
    )
    filter_form = WorkFilterForm(request.GET or None, units=units)
    work = selectors.work_list(user, today=timezone.localdate(), filters=filter_form.filters())
    # The allocation and tenancy items are read here so that the page writes one access event.
    allocation_work = work_list_items(user)
    log_household_reads(
        user=user,
        household_ids=selectors.work_list_households(work)
        + work_list_item_households(allocation_work),
        what="work_list",
        path=request.get_full_path(),
    )
    case_url = pk_url("cases:case_detail")
    assign_url = pk_url("cases:case_assign")
    reply_url = pk_url("cases:preliminary_reply_create")
    return render(
        request,
        "cases/work_list.html",
        {
            "work": work,
            # What the rows show, made here from the cases (the template reads strings rather
            # than reversing two addresses and formatting a date per row).
            "new_rows": _work_rows(work.new_cases, "new", case_url, assign_url),
            "mine_rows": _work_rows(work.my_cases, "mine", case_url, assign_url),
            "deadline_rows": _deadline_rows(work.deadlines, case_url, reply_url),
            "allocation_work": allocation_work,
            # The same choices on every row: made once, not once per case.
            "colleague_options": _colleague_options(work.colleagues, user),
            "filter_form": filter_form,
            "filter_fields": filter_form.field_rows(),
            "next": request.get_full_path(),
        },
    )


def _deadline_rows(
    items: list[selectors.DeadlineItem],
    case_url: Callable[[int], str],
    reply_url: Callable[[int], str],
) -> list[dict[str, Any]]:
    """The work list's deadlines: what each cell shows (text, escaped by the template; the
    texts translated once per page, not once per row)."""
    texts = {
        "preliminary_reply": _("Preliminary reply or decision (one month, fvl. § 11a)"),
        "answer_promised": _("Answer promised in the preliminary reply"),
        "allocation_promise": _("Dwelling allocated within the promised time after approval"),
        "start_loan_validity": _("Start-loan approval expires"),
    }
    rows = []
    for item in items:
        overdue = -item.business_days_left
        rows.append(
            {
                "url": case_url(item.case.pk),
                "number": item.case.number,
                "what": texts[item.what],
                "reply_url": reply_url(item.case.pk) if item.reply_is_due else "",
                "due": day_text(item.due, "–"),
                "days_left": item.business_days_left,
                "overdue": ngettext("%(days)s day overdue", "%(days)s days overdue", overdue)
                % {"days": overdue}
                if overdue > 0
                else "",
            }
        )
    return rows


def _work_rows(
    cases: list[selectors.WorkCase],
    prefix: str,
    case_url: Callable[[int], str],
    assign_url: Callable[[int], str],
) -> list[dict[str, str]]:
    """The work list's rows of cases: what each cell shows (text, escaped by the template)."""
    assign_label = _("Assign case %(number)s to")
    # What ``case.get_status_display()`` shows, translated once (it walks the choices per call).
    statuses = {value: str(label) for value, label in CaseStatus.choices}
    return [
        {
            "url": case_url(case.pk),
            "number": case.number,
            "household": case.household_name,
            "received": day_text(case.received_on, "–"),
            "status": statuses.get(case.status, case.status),
            "caseworker": case.caseworker or "–",
            "assign_url": assign_url(case.pk),
            "field_id": f"assign-{prefix}-{case.pk}",
            "assign_label": assign_label % {"number": case.number},
        }
        for case in cases
    ]


def _colleague_options(colleagues: list[User], user: User) -> SafeString:
    """The ``<option>`` of each colleague a case can be given to, the user chosen ("me")."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}{}</option>',
        (
            (
                colleague.pk,
                mark_safe(" selected") if colleague.pk == user.pk else "",
                colleague.get_full_name() or colleague.username,
                format_html(" ({})", _("me")) if colleague.pk == user.pk else "",
            )
            for colleague in colleagues
        ),
    )


@require_POST
def case_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the case to a colleague (or oneself) from the work list: the parts held by the
    colleague's units."""
    user = user_of(request)
    case = selectors.case_get_for_user(user, pk)
    _writable(user, case)
    form = CaseAssignForm(request.POST, colleagues=selectors.colleagues(user))
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
    else:
        caseworker = form.cleaned_data["caseworker"]
        try:
            actions.case_assign(actor=user, case=case, caseworker=caseworker)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Case %(number)s was assigned to %(name)s.")
                % {"number": case.number, "name": caseworker.get_full_name() or caseworker},
            )
    return redirect(_safe_next(request) or "cases:work_list")


def case_new(request: HttpRequest) -> HttpResponse:
    """«Ny søknad» from the case list: find the household, then register its application."""
    user = user_of(request)
    if not selectors.unit_ids(user, selectors.CASE_WRITE):
        raise PermissionDenied
    search = request.GET.get("q", "").strip()[:100]
    households = list(household_list(user, search=search)[:20]) if search else []
    log_reads(
        user=user,
        persons=[m.person for h in households for m in h.applicants],
        what="case_new_household_search",
        path=request.get_full_path(),
    )
    return render(request, "cases/case_new.html", {"households": households, "search": search})


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest, household_pk: int) -> HttpResponse:
    """A caseworker registers an application on the household's behalf (paper, phone,
    meeting)."""
    user = user_of(request)
    household = household_get_for_user(user, household_pk)
    if not selectors.unit_ids(user, selectors.CASE_WRITE):
        raise PermissionDenied
    log_household_reads(
        user=user, household_ids=[household.pk], what="case_create", path=request.get_full_path()
    )
    form = CaseCreateForm(request.POST or None)
    submission = SubmissionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = actions.case_create(
                actor=user,
                household=household,
                channel=form.cleaned_data["channel"],
                help_kinds=form.cleaned_data["help_kinds"],
                data=form.application_data(),
                submit="submit" in request.POST,
                submission_token=submission.value(),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request,
                _("The application was registered as case %(number)s.") % {"number": case.number},
            )
            return redirect("cases:case_detail", pk=case.pk)
    return render(
        request,
        "cases/application_form.html",
        {
            "form": form,
            "submission": submission,
            "household": household,
            "title": _("New application"),
            "can_save_draft": True,
        },
    )


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    shown = selectors.case_page_read(
        user=user, pk=pk, what="case_detail", path=request.get_full_path()
    )
    return case_page(request, user, shown)


def case_page(
    request: HttpRequest, user: User, shown: selectors.CaseRead, judgement_form: Any = None
) -> HttpResponse:
    """The case page; ``judgement_form`` is the caseworker's bound assessment form after an
    error, shown with everything typed and each error next to its field."""
    case, access, routings, members = shown.case, shown.access, shown.routings, shown.members
    assessment = case.assessments.first() if case.has_assessment else None  # type: ignore[attr-defined]
    criteria = _flat_criteria(assessment.record["criteria"]) if assessment else []
    if judgement_form is None and assessment is not None:
        judgement_form = JudgementForm(assessment)
    sharing: Any = None
    if access.routed:
        shared = case.has_consent or case.has_legal_basis  # type: ignore[attr-defined]
        sharing = sharing_selectors.sharing_for_case(case) if shared else ([], [])
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "application": case.application,
            "routings": routings,
            "can_take": selectors.can_take(user, case, routings=routings),
            "can_refer": selectors.can_refer(user, case, routings=routings),
            "members": members,
            "unchecked_members": case.unchecked_members,  # type: ignore[attr-defined]
            "notes": case.notes.select_related("author", "author__resident")
            if case.has_notes  # type: ignore[attr-defined]
            else (),
            "documents": case.documents.all() if case.has_documents else (),  # type: ignore[attr-defined]
            "assessment": assessment,
            "criteria": criteria,
            "fact_sources": fact_source_labels(case, members),
            "guideline_problem": actions.guideline_problem(
                case, help_kinds=[routing.help_kind for routing in routings]
            ),
            "judgement_form": judgement_form,
            # What the list shows of each decision (not its facts, reasoning and letter).
            "decisions": case.decisions.only("case_id", "help_kind", "kind", "status", "issued_on"),
            "replies": case.preliminary_replies.all() if case.has_replies else (),  # type: ignore[attr-defined]
            "can_act": selectors.can_act_on(user, case, routings=routings),
            "note_form": JournalNoteForm(initial={"held_on": timezone.localdate()}),
            "document_form": DocumentForm(),
            "access": access,
            "sharing": sharing,
        },
        status=400 if judgement_form is not None and judgement_form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    case = selectors.case_read(
        user=user, pk=pk, what="application_edit", path=request.get_full_path()
    )
    _writable(user, case)
    kinds = list(case.routings.values_list("help_kind", flat=True))
    form = ApplicationForm(
        request.POST or None, instance=case.application, initial={"help_kinds": kinds}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.case_update_application(
                actor=user,
                case=case,
                help_kinds=form.cleaned_data["help_kinds"] or kinds,
                data=form.application_data(),
            )
            if "submit" in request.POST and case.status == CaseStatus.DRAFT:
                actions.case_submit(actor=user, case=case)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The application was saved."))
            return redirect("cases:case_detail", pk=case.pk)
    return render(
        request,
        "cases/application_form.html",
        {
            "form": form,
            "household": case.household,
            "case": case,
            "title": _("Application %(number)s") % {"number": case.number},
            "can_save_draft": case.status == CaseStatus.DRAFT,
        },
    )


@require_POST
def case_assign_me(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    case = selectors.case_get_for_user(user, pk)
    _writable(user, case)
    actions.case_assign(actor=user, case=case, caseworker=user)
    messages.success(request, _("You now have your unit's part of the case."))
    return redirect("cases:case_detail", pk=case.pk)


@require_POST
def deadline_alert_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a deadline alert seen: it leaves the start page (the deadline stays on the work
    list)."""
    user = user_of(request)
    alert = selectors.deadline_alert_for_user(user, pk)
    try:
        actions.deadline_alert_dismiss(actor=user, alert=alert)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The alert on case %(number)s is marked as seen.") % {"number": alert.case.number},
        )
    return redirect("home")


@require_http_methods(["GET", "POST"])
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the case: caseworkers and approvers of a unit the case is routed to."""
    user = user_of(request)
    case = selectors.case_read(user=user, pk=pk, what="case_close", path=request.get_full_path())
    _writable(user, case)
    form = CaseCloseForm(request.POST or None, case=case, cases=selectors.cases_for_user(user))
    return form_page(
        request,
        form,
        action=lambda *, data, **call: actions.case_close(**call, **data),
        done=_("The case was closed."),
        title=_("Close case %(number)s") % {"number": case.number},
        intro=_(
            "A closed case leaves the work lists. A case with a decision that is not issued, "
            "or with an appeal being handled, cannot be closed. If the application is withdrawn "
            "or the household has moved, the household also leaves the waiting list."
        ),
        redirect_to="cases:case_detail",
        cancel_url=_case_url(case),
        actor=user,
        case=case,
    )


@require_http_methods(["GET", "POST"])
def case_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    case = selectors.case_get_for_user(user, pk)
    _writable(user, case)
    form = CaseReopenForm(request.POST or None)
    return form_page(
        request,
        form,
        action=lambda *, data, **call: actions.case_reopen(**call, **data),
        done=_("The case was reopened."),
        title=_("Reopen case %(number)s") % {"number": case.number},
        intro=_(
            "Reopen the case when new information arrives. It goes back to its caseworker. "
            "A waiting-list place the closing ended is not restored."
        ),
        redirect_to="cases:case_detail",
        cancel_url=_case_url(case),
        actor=user,
        case=case,
    )


@require_http_methods(["GET", "POST"])
def case_refer(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    case = selectors.case_get_for_user(user, pk)
    _writable(user, case)
    if not selectors.can_refer(user, case):
        raise PermissionDenied
    form = CaseReferForm(
        request.POST or None,
        parts=selectors.parts_held_by(user, case),
        units=Unit.objects.filter(municipality=case.municipality).order_by("name"),
    )
    sent = submit(
        request,
        form,
        lambda *, data, **call: actions.case_routing_refer(**call, **data),
        actor=user,
        case=case,
    )
    if sent is not None:
        messages.success(
            request, _("The part was sent on. The other unit finds it among its new cases.")
        )
        if selectors.cases_for_user(user).filter(pk=case.pk).exists():
            return redirect("cases:case_detail", pk=case.pk)
        return redirect("cases:work_list")  # the case was only this unit's part
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "title": _("Send a part of case %(number)s on") % {"number": case.number},
            "cancel_url": _case_url(case),
            "intro": _(
                "When a kind of help is another unit's to handle, send that part on: the "
                "household does not need to apply again, and the other unit sees the case from "
                "now on. If it was your unit's only part, your unit no longer sees the case."
            ),
        },
    )


@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    case = selectors.case_get_for_user(user, pk)
    _writable(user, case)
    form = JournalNoteForm(request.POST)
    if form.is_valid():
        try:
            actions.journal_note_add(actor=user, case=case, data=form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The note was saved."))
    else:
        messages.error(
            request,
            _("The note was not saved: %(errors)s") % {"errors": form_errors_text(form)},
        )
    return redirect("cases:case_detail", pk=case.pk)


@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    case = selectors.case_get_for_user(user, pk)
    _writable(user, case)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.document_add(
                actor=user,
                case=case,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The document was added."))
    else:
        messages.error(
            request,
            _("The document was not added: %(errors)s") % {"errors": form_errors_text(form)},
        )
    return redirect("cases:case_detail", pk=case.pk)


def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """Documents are served only through the case's access check, never from the web root."""
    user = user_of(request)
    document = selectors.document_get_for_user(user, pk)
    selectors.case_read(
        user=user,
        pk=document.case_id,
        what="document_download",
        path=request.get_full_path(),
        category="documents",
    )
    return FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        as_attachment=True,
        filename=document.file.name.rsplit("/", 1)[-1],
    )


def _case_url(case: Case) -> str:
    return reverse("cases:case_detail", args=[case.pk])


def _decision_units(case: Case) -> Any:
    return Unit.objects.filter(municipality=case.municipality)


def _template_reasons(assessment: Any) -> tuple[str, ...]:
    """The assessment's one-line summaries: not the caseworker's reasons."""
    if assessment is None:
        return ()
    return tuple(str(v) for v in assessment.record.get("summary", {}).values())


def _decision_form_page(
    request: HttpRequest,
    *,
    case: Case,
    form: DecisionForm,
    readiness: selectors.DecisionReadiness,
    title: str,
    cancel_url: str,
    kinds: list[str] | None = None,
) -> HttpResponse:
    return render(
        request,
        "cases/decision_form.html",
        {
            "case": case,
            "form": form,
            "readiness": readiness,
            "help_label": HelpKind(readiness.help_kind).label,
            "kinds": [(k, HelpKind(k).label) for k in kinds or []],
            "title": title,
            "cancel_url": cancel_url,
        },
    )


def _start_loan_elsewhere(request: HttpRequest, case: Case) -> HttpResponse:
    """A start loan is decided by the decision team in the start-loan pages (the assessment
    with the ladder, the recommendation, the meeting, four eyes), never as a generic decision:
    nothing is drafted here, and the caseworker is sent to where it is done."""
    messages.error(
        request,
        _(
            "A start loan is not decided here. It goes through the start-loan pages: the "
            "assessment, the recommendation to the decision team and the team's decision."
        ),
    )
    application_pk = getattr(getattr(case, "loan_application", None), "pk", None)
    if application_pk is not None:
        return redirect("loans:application", pk=application_pk)
    # Came in through the general form: the start-loan unit fills in the loan's facts first.
    return redirect("loans:application_complete", case_pk=case.pk)


def _grant_elsewhere(request: HttpRequest, case: Case) -> HttpResponse:
    """A grant (establishment or adaptation) is decided on the grant pages, against the
    municipality's grant rules and what is left of the year's budget, with four eyes; a
    generic decision here would pay a grant no rule or budget has checked."""
    messages.error(
        request,
        _(
            "A grant is not decided here. It is decided on the grant pages, against the "
            "municipality's grant rules and what is left of the year's budget."
        ),
    )
    grant_pk = getattr(getattr(case, "grant_application", None), "pk", None)
    if grant_pk is not None:
        return redirect("loans:grant", pk=grant_pk)
    return redirect("loans:grant_create", household_pk=case.household_id)


@require_http_methods(["GET", "POST"])
def decision_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Draft a decision on one kind of help: its own outcomes and content, offered only when
    what it is decided on is complete."""
    user = user_of(request)
    case = selectors.case_get_for_user(user, pk)
    _writable(user, case)
    replaces = None
    if request.GET.get("erstatter"):
        replaces = selectors.decision_get_for_user(user, request.GET["erstatter"])
    held = list(selectors.parts_held_by(user, case).values_list("help_kind", flat=True))
    kinds = held or list(case.routings.values_list("help_kind", flat=True))
    chosen = replaces.help_kind if replaces else request.GET.get("hjelp", "")
    if chosen not in kinds and len(kinds) == 1:
        chosen = kinds[0]
    if chosen == HelpKind.START_LOAN:
        return _start_loan_elsewhere(request, case)
    if chosen == HelpKind.GRANT:
        return _grant_elsewhere(request, case)
    title = _("Draft a decision in case %(number)s") % {"number": case.number}
    if chosen not in kinds:
        return render(
            request,
            "cases/decision_form.html",
            {
                "case": case,
                "title": title,
                "kinds": [(k, HelpKind(k).label) for k in kinds],
                "cancel_url": _case_url(case),
            },
        )
    readiness = selectors.decision_readiness(case, chosen)
    form = DecisionForm(
        request.POST or None,
        help_kind=chosen,
        outcomes=readiness.outcomes,
        units=_decision_units(case),
        template_reasons=_template_reasons(readiness.assessment),
    )
    if request.method == "POST" and readiness.outcomes and form.is_valid():
        try:
            decision = actions.decision_draft(
                actor=user,
                case=case,
                data={**form.cleaned_data, "help_kind": chosen},
                replaces=replaces,
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The decision was drafted."))
            return redirect("cases:decision_detail", pk=decision.pk)
    return _decision_form_page(
        request,
        case=case,
        form=form,
        readiness=readiness,
        title=title,
        cancel_url=_case_url(case),
        kinds=kinds if not replaces and len(kinds) > 1 else None,
    )


def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    decision = selectors.decision_get_for_user(user, pk)
    case = selectors.case_read(
        user=user,
        pk=decision.case_id,
        what="decision_detail",
        path=request.get_full_path(),
        category="decisions",
    )
    return render(
        request,
        "cases/decision_detail.html",
        {
            "decision": decision,
            "case": case,
            "can_act": selectors.can_act_on(user, case),
            "is_approver": selectors.can_approve(user, case),
            "return_form": ReturnForm(),
            "appeals": decision.appeals.all(),
        },
    )


@require_http_methods(["GET", "POST"])
def decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    decision = selectors.decision_get_for_user(user, pk)
    _writable(user, decision.case)
    if decision.status == DecisionStatus.ISSUED:
        raise PermissionDenied
    from copy import copy

    readiness = selectors.decision_readiness(decision.case, decision.help_kind)
    form = DecisionForm(
        request.POST or None,
        instance=copy(decision),
        help_kind=decision.help_kind,
        outcomes=readiness.outcomes,
        units=_decision_units(decision.case),
        template_reasons=_template_reasons(readiness.assessment),
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.decision_update(actor=user, decision=decision, data=form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("cases:decision_detail", pk=decision.pk)
    return _decision_form_page(
        request,
        case=decision.case,
        form=form,
        readiness=readiness,
        title=_("Edit the draft decision"),
        cancel_url="../",
    )


ACTIONS = {
    "submit": (actions.decision_submit, _("The decision was sent for approval.")),
    "approve": (actions.decision_approve, _("The decision was approved.")),
    "issue": (actions.decision_issue, _("The decision was issued and the letter stored.")),
    "discard": (actions.decision_discard, _("The decision was discarded.")),
}


@require_POST
def decision_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    user = user_of(request)
    decision = selectors.decision_get_for_user(user, pk)
    if not selectors.is_routed(user, decision.case):
        raise PermissionDenied  # a unit the case is shared with reads it, it does not decide
    call: dict[str, Any] = {}
    if step == "return":
        action, done = actions.decision_return, _("The decision was returned to the caseworker.")
        call["comment"] = request.POST.get("comment", "")
    elif step in ACTIONS:
        action, done = ACTIONS[step]
    else:
        raise Http404
    if step in {"submit", "issue", "discard"}:
        _writable(user, decision.case)
    try:
        action(actor=user, decision=decision, **call)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("cases:decision_detail", pk=decision.pk)


def decision_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The issued letter exactly as stored (its hash is checked), or a preview of a draft."""
    user = user_of(request)
    decision = selectors.decision_get_for_user(user, pk)
    selectors.case_read(
        user=user,
        pk=decision.case_id,
        what="decision_letter",
        path=request.get_full_path(),
        category="decisions",
    )
    if decision.status == DecisionStatus.ISSUED:
        content = stored_letter(decision)
    else:
        decision.issued_on = decision.issued_on or timezone.localdate()
        content = render_decision_letter(decision, request.GET.get("sprak"))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="vedtak-{decision.case.number}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
def preliminary_reply_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a foreløpig svar (forvaltningsloven § 11a) from the work list or the case."""
    user = user_of(request)
    case = selectors.case_get_for_user(user, pk)
    _writable(user, case)
    form = PreliminaryReplyForm(
        request.POST or None,
        initial={"expected_by": timezone.localdate() + dt.timedelta(days=30)},
    )
    sent = submit(
        request,
        form,
        lambda *, data, **call: actions.preliminary_reply_send(**call, **data),
        actor=user,
        case=case,
    )
    if sent is not None:
        messages.success(
            request,
            _("The preliminary reply was sent. The household sees it in My page."),
        )
        return redirect("cases:case_detail", pk=case.pk)
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "title": _("Preliminary reply in case %(number)s") % {"number": case.number},
            "intro": _(
                "When a case will take longer than a month, the household must be told why "
                "and when to expect an answer (forvaltningsloven § 11a). The letter is written "
                "in the household's written standard and stored with the case."
            ),
            "cancel_url": _case_url(case),
            "submit_label": _("Send the preliminary reply"),
        },
    )


def preliminary_reply_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The preliminary reply's letter exactly as stored."""
    user = user_of(request)
    reply = selectors.preliminary_reply_get_for_user(user, pk)
    selectors.case_read(
        user=user,
        pk=reply.case_id,
        what="preliminary_reply_letter",
        path=request.get_full_path(),
        category="decisions",
    )
    response = HttpResponse(stored_letter(reply), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="forelopig-svar-{reply.case.number}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
def appeal_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    decision = selectors.decision_get_for_user(user, pk)
    _writable(user, decision.case)
    if not decision.is_appealable:
        messages.error(
            request,
            _(
                "This decision cannot be appealed: refusals of a swap are "
                "final under the municipality's guideline (point 7.6)."
            ),
        )
        return redirect("cases:decision_detail", pk=decision.pk)
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            appeal = actions.appeal_register(actor=user, decision=decision, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The appeal was registered."))
            return redirect("cases:appeal_detail", pk=appeal.pk)
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "title": _("Register an appeal"),
            "cancel_url": "../",
        },
    )


def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    appeal = selectors.appeal_get_for_user(user, pk)
    selectors.case_read(
        user=user,
        pk=appeal.decision.case_id,
        what="appeal_detail",
        path=request.get_full_path(),
        category="decisions",
    )
    return render(
        request,
        "cases/appeal_detail.html",
        {
            "appeal": appeal,
            "decision": appeal.decision,
            "case": appeal.decision.case,
            "can_act": selectors.can_act_on(user, appeal.decision.case),
            "reconsider_form": ReconsiderForm(),
            "outcome_form": AppealOutcomeForm(),
        },
    )


@require_POST
def appeal_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    user = user_of(request)
    appeal = selectors.appeal_get_for_user(user, pk)
    _writable(user, appeal.decision.case)
    try:
        if step == "reconsider":
            form = ReconsiderForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose an outcome and give the reasons."))
            actions.appeal_reconsider(actor=user, appeal=appeal, **form.cleaned_data)
        elif step == "forward":
            actions.appeal_forward(actor=user, appeal=appeal)
        elif step == "outcome":
            outcome_form = AppealOutcomeForm(request.POST)
            if not outcome_form.is_valid():
                raise ValidationError(_("Choose the outcome and the date."))
            actions.appeal_body_outcome_record(
                actor=user, appeal=appeal, **outcome_form.cleaned_data
            )
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The appeal was updated."))
    return redirect("cases:appeal_detail", pk=appeal.pk)


@require_http_methods(["GET", "POST"])
def routing(request: HttpRequest) -> HttpResponse:
    """Administrators decide which unit handles each kind of help (one door in)."""
    from husly.cases.models import RoutingRule
    from husly.core.pages import writable_municipalities
    from husly.organisation.access import ORGANISATION_WRITE

    user = user_of(request)
    municipality = writable_municipalities(user, ORGANISATION_WRITE).first()
    if municipality is None:
        raise PermissionDenied
    units = Unit.objects.filter(municipality=municipality)
    current = {
        r.help_kind: r.unit_id for r in RoutingRule.objects.filter(municipality=municipality)
    }
    form = forms.Form(request.POST or None)
    for kind in HelpKind:
        form.fields[kind.value] = forms.ModelChoiceField(
            label=kind.label,
            queryset=units,
            required=False,
            initial=current.get(kind.value),
            empty_label=_("No unit (not offered)"),
            widget=forms.Select(attrs={"class": "ds-input"}),
        )
    if request.method == "POST" and form.is_valid():
        actions.routing_rules_set(actor=user, municipality=municipality, rules=form.cleaned_data)
        messages.success(request, _("The routing was saved."))
        return redirect("cases:routing")
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "title": _("Which unit handles each kind of help"),
            "intro": _(
                "An application is sent to every unit that handles one of the kinds of help "
                "it asks for."
            ),
            "cancel_url": "/",
        },
    )

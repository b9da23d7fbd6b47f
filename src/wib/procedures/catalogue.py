"""The four procedures of the single window, written as data (see docs/procedures.md)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wib.procedures.definitions import (
    APPLICANT,
    DECISION_LETTER,
    EMPLOYER,
    EMPLOYER_EBOX,
    FILE_AUTHORITY,
    IMMIGRATION_OFFICE,
    MANDATARY,
    MANDATARY_EBOX,
    OFFICIAL,
    PLACE_OF_EMPLOYMENT,
    RECEIPT,
    RESIDENCE,
    RESIDENCE_STAGE,
    SYSTEM,
    WORK_STAGE,
    WORKER,
    WORKER_EBOX,
    Category,
    DocumentKind,
    DocumentRequirement,
    Message,
    Procedure,
    Section,
    Stage,
    State,
    SystemDelivery,
    Transition,
)

CATEGORIES: tuple[Category, ...] = (
    Category("highly-qualified", _("Highly qualified worker")),
    Category("executive", _("Executive")),
    Category("eu-blue-card", _("EU Blue Card")),
    Category("intra-corporate-transferee", _("Intra-corporate transferee")),
    Category("researcher", _("Researcher")),
    Category("artist", _("Artist")),
    Category("athlete", _("Athlete")),
    Category("seasonal-worker", _("Seasonal worker")),
    Category("shortage-occupation", _("Shortage occupation")),
    Category("other", _("Other (labour-market test)")),
)
CATEGORY_CODES = tuple(category.code for category in CATEGORIES)

DOCUMENT_KINDS: tuple[DocumentKind, ...] = (
    DocumentKind("passport", _("Copy of the passport"), _("All pages with data or stamps.")),
    DocumentKind("employment-contract", _("Employment contract"), _("Signed by both parties.")),
    DocumentKind("diploma", _("Diploma")),
    DocumentKind("cv", _("Curriculum vitae")),
    DocumentKind("job-description", _("Job description")),
    DocumentKind(
        "organisation-chart",
        _("Organisation chart"),
        _("Showing where the worker fits in the organisation."),
    ),
    DocumentKind(
        "medical-certificate",
        _("Medical certificate"),
        _("On the Immigration Office's form."),
    ),
    DocumentKind("criminal-record", _("Extract from the criminal record")),
    DocumentKind("fee-payment", _("Proof of payment of the fee")),
    DocumentKind("regional-form", _("Regional application form")),
    DocumentKind("payslips", _("Payslips of the past period")),
    DocumentKind("current-permit", _("Copy of the current permit")),
    DocumentKind("residence-history", _("Proof of prior residence and work in Belgium")),
    DocumentKind("other", _("Other document")),
)
DOCUMENT_LABELS = {kind.code: kind.label for kind in DOCUMENT_KINDS}

ACTION_LABELS = {
    "submit": _("Submit the application"),
    "withdraw": _("Withdraw the application"),
    "request_information": _("Request information"),
    "answer_information": _("Send the requested information"),
    "declare_admissible": _("Declare admissible"),
    "declare_inadmissible": _("Declare inadmissible"),
    "approve_work": _("Approve the work part"),
    "refuse_work": _("Refuse the work part"),
    "forward_to_immigration_office": _("Forward to the Immigration Office"),
    "request_residence_information": _("Request information for the residence part"),
    "answer_residence_information": _("Send the information for the residence part"),
    "grant_residence": _("Grant the permit"),
    "refuse_residence": _("Refuse the permit"),
    "extend_deadline": _("Extend the decision deadline"),
}

# What happened, as the timeline shows it.
EVENT_LABELS = {
    "start": _("Application started"),
    "submit": _("Application submitted"),
    "withdraw": _("Application withdrawn"),
    "request_information": _("Information requested"),
    "answer_information": _("Requested information sent"),
    "declare_admissible": _("Declared admissible"),
    "declare_inadmissible": _("Declared inadmissible"),
    "approve_work": _("Work part approved"),
    "refuse_work": _("Work part refused"),
    "forward_to_immigration_office": _("Forwarded to the Immigration Office"),
    "request_residence_information": _("Information requested for the residence part"),
    "answer_residence_information": _("Information for the residence part sent"),
    "grant_residence": _("Permit granted"),
    "refuse_residence": _("Permit refused"),
    "extend_deadline": _("Decision deadline extended"),
    "attach_document": _("Document added"),
    "resolve_authority": _("Competent authority determined"),
    "duplicate": _("Copied from another application"),
    "duplicated": _("Copied into a new application"),
    "start_renewal": _("Renewal started from this permit"),
    "renewal": _("Renewal of an earlier permit"),
}

WORK = Stage(WORK_STAGE, _("Work part (region)"), FILE_AUTHORITY)
RESIDENCE_PART = Stage(
    RESIDENCE_STAGE, _("Residence part (Immigration Office)"), IMMIGRATION_OFFICE
)

DRAFT = State("draft", _("Draft"), WORK_STAGE, description=_("Not yet submitted."))
SUBMITTED = State(
    "submitted",
    _("Submitted"),
    WORK_STAGE,
    description=_("The competent region is checking the application."),
)
INFORMATION_REQUESTED = State(
    "information_requested",
    _("Information requested by the region"),
    WORK_STAGE,
    description=_("The region needs more information from you."),
)
ADMISSIBLE = State(
    "admissible",
    _("Admissible"),
    WORK_STAGE,
    description=_("The application is complete; the region is deciding on the work part."),
)
INADMISSIBLE = State("inadmissible", _("Inadmissible"), WORK_STAGE, final=True)
WORK_REFUSED = State("work_refused", _("Work part refused"), WORK_STAGE, final=True)
WORK_APPROVED = State(
    "work_approved",
    _("Work part approved"),
    WORK_STAGE,
    description=_("Being forwarded to the Immigration Office."),
)
RESIDENCE_REVIEW = State(
    "residence_review",
    _("Work approved, with the Immigration Office"),
    RESIDENCE_STAGE,
    description=_("The Immigration Office is deciding on the residence part."),
)
RESIDENCE_INFORMATION_REQUESTED = State(
    "residence_information_requested",
    _("Information requested by the Immigration Office"),
    RESIDENCE_STAGE,
)
GRANTED = State("granted", _("Permit granted"), RESIDENCE_STAGE, final=True)
REFUSED = State("refused", _("Permit refused"), RESIDENCE_STAGE, final=True)
WITHDRAWN = State("withdrawn", _("Withdrawn"), WORK_STAGE, final=True)
AUTHORISED = State("authorised", _("Authorisation granted"), WORK_STAGE, final=True)

OPEN_WORK_STATES = ("submitted", "information_requested", "admissible")
OPEN_RESIDENCE_STATES = ("work_approved", "residence_review", "residence_information_requested")


def _work_transitions() -> tuple[Transition, ...]:
    return (
        Transition("draft", "submit", "submitted", APPLICANT),
        Transition("draft", "withdraw", "withdrawn", APPLICANT),
        Transition("submitted", "request_information", "information_requested", OFFICIAL),
        Transition("information_requested", "answer_information", "submitted", APPLICANT),
        Transition("submitted", "declare_admissible", "admissible", OFFICIAL),
        Transition("submitted", "declare_inadmissible", "inadmissible", OFFICIAL),
        # The applicant let the 15 days pass without answering.
        Transition("information_requested", "declare_inadmissible", "inadmissible", OFFICIAL),
        Transition("admissible", "refuse_work", "work_refused", OFFICIAL),
        Transition("admissible", "extend_deadline", "admissible", OFFICIAL),
        Transition("submitted", "withdraw", "withdrawn", APPLICANT),
        Transition("information_requested", "withdraw", "withdrawn", APPLICANT),
        Transition("admissible", "withdraw", "withdrawn", APPLICANT),
    )


def _residence_transitions() -> tuple[Transition, ...]:
    return (
        Transition("admissible", "approve_work", "work_approved", OFFICIAL),
        Transition("work_approved", "forward_to_immigration_office", "residence_review", SYSTEM),
        Transition(
            "residence_review",
            "request_residence_information",
            "residence_information_requested",
            OFFICIAL,
        ),
        Transition(
            "residence_information_requested",
            "answer_residence_information",
            "residence_review",
            APPLICANT,
        ),
        Transition("residence_review", "grant_residence", "granted", OFFICIAL),
        Transition("residence_review", "refuse_residence", "refused", OFFICIAL),
        Transition("residence_information_requested", "refuse_residence", "refused", OFFICIAL),
        Transition("residence_review", "extend_deadline", "residence_review", OFFICIAL),
        Transition("residence_review", "withdraw", "withdrawn", APPLICANT),
        Transition("residence_information_requested", "withdraw", "withdrawn", APPLICANT),
    )


def _messages(*, residence: bool, worker_applies: bool) -> tuple[Message, ...]:
    applicant = (WORKER_EBOX, MANDATARY_EBOX) if worker_applies else (EMPLOYER_EBOX, MANDATARY_EBOX)
    final = (*applicant, WORKER_EBOX) if not worker_applies else applicant
    common = (
        Message(
            "submit",
            "file-submitted",
            _("Your application {reference} has been submitted"),
            _(
                "Your application {reference} ({procedure}) was submitted on {date} and sent "
                "to {authority}. The receipt is attached."
            ),
            applicant,
            RECEIPT,
        ),
        Message(
            "request_information",
            "information-requested",
            _("Information requested for application {reference}"),
            _(
                "{authority} needs more information for application {reference}. "
                "Please answer by {due_on} in Working in Belgium."
            ),
            applicant,
        ),
        Message(
            "declare_admissible",
            "file-admissible",
            _("Application {reference} is admissible"),
            _("{authority} declared application {reference} admissible on {date}."),
            applicant,
        ),
        Message(
            "declare_inadmissible",
            "file-inadmissible",
            _("Application {reference} is inadmissible"),
            _("{authority} declared application {reference} inadmissible on {date}."),
            applicant,
        ),
        Message(
            "refuse_work",
            "work-refused",
            _("Decision on application {reference}: work part refused"),
            _("{authority} refused the work part of application {reference}. See the letter."),
            final,
            DECISION_LETTER,
        ),
        Message(
            "withdraw",
            "file-withdrawn",
            _("Application {reference} has been withdrawn"),
            _("Application {reference} was withdrawn on {date}."),
            applicant,
        ),
        Message(
            "extend_deadline",
            "deadline-extended",
            _("Decision deadline extended for application {reference}"),
            _("{authority} extended the decision deadline of application {reference} to {due_on}."),
            applicant,
        ),
    )
    if not residence:
        return (
            *common,
            Message(
                "approve_work",
                "authorisation-granted",
                _("Decision on application {reference}: work authorisation granted"),
                _("{authority} granted the work authorisation {reference}. See the letter."),
                applicant,
                DECISION_LETTER,
            ),
        )
    return (
        *common,
        Message(
            "approve_work",
            "work-approved",
            _("Decision on application {reference}: work part approved"),
            _(
                "{authority} approved the work part of application {reference}. The file "
                "goes to the Immigration Office for the residence part. See the letter."
            ),
            applicant,
            DECISION_LETTER,
        ),
        Message(
            "request_residence_information",
            "residence-information-requested",
            _("The Immigration Office requests information for application {reference}"),
            _(
                "The Immigration Office needs more information for application {reference}. "
                "Please answer by {due_on} in Working in Belgium."
            ),
            applicant,
        ),
        Message(
            "grant_residence",
            "permit-granted",
            _("Final decision on application {reference}: permit granted"),
            _("The single permit {reference} has been granted (Annex 46). See the letter."),
            final,
            DECISION_LETTER,
        ),
        Message(
            "refuse_residence",
            "permit-refused",
            _("Final decision on application {reference}: permit refused"),
            _(
                "The Immigration Office refused the residence part of application {reference} "
                "(Annex 47). See the letter; it is also sent by registered letter."
            ),
            final,
            DECISION_LETTER,
        ),
    )


def _deliveries(*, residence: bool) -> tuple[SystemDelivery, ...]:
    submitted = SystemDelivery("submit", "file-submitted", FILE_AUTHORITY, RECEIPT)
    if not residence:
        return (submitted,)
    return (
        submitted,
        SystemDelivery(
            "forward_to_immigration_office", "file-forwarded", IMMIGRATION_OFFICE, RECEIPT
        ),
    )


def _req(
    kind: str,
    stage: str = WORK_STAGE,
    *,
    authorities: frozenset[str] = frozenset(),
    categories: frozenset[str] = frozenset(),
    except_categories: frozenset[str] = frozenset(),
) -> DocumentRequirement:
    return DocumentRequirement(
        kind=kind,
        stage=stage,
        authorities=authorities,
        categories=categories,
        except_categories=except_categories,
    )


QUALIFIED = frozenset({"highly-qualified", "eu-blue-card", "researcher", "executive"})

SINGLE_PERMIT_DOCUMENTS = (
    _req("passport"),
    _req("employment-contract"),
    _req("diploma", categories=QUALIFIED),
    _req("cv"),
    _req("job-description"),
    # Brussels has asked for an organisation chart since 2024.
    _req("organisation-chart", authorities=frozenset({"brussels"})),
    _req("regional-form"),
    _req("medical-certificate", RESIDENCE_STAGE),
    _req("criminal-record", RESIDENCE_STAGE, except_categories=frozenset({"seasonal-worker"})),
    # Proof of payment is an admissibility condition of the residence part.
    _req("fee-payment", RESIDENCE_STAGE),
)

RENEWAL_DOCUMENTS = (
    _req("passport"),
    _req("current-permit"),
    _req("employment-contract"),
    _req("payslips"),
    _req("regional-form"),
)

SHORT_STAY_DOCUMENTS = (
    _req("passport"),
    _req("employment-contract"),
    _req("cv"),
    _req("regional-form"),
)

INDEFINITE_DOCUMENTS = (
    _req("passport"),
    _req("current-permit"),
    _req("residence-history"),
    _req("regional-form"),
    _req("fee-payment", RESIDENCE_STAGE),
)

EMPLOYER_SECTION = Section(
    "employer",
    _("Employer and place of employment"),
    _("Where the worker will work decides which region handles the application."),
)
WORKER_SECTION = Section("worker", _("The worker"))
EMPLOYMENT_SECTION = Section("employment", _("The employment"))
STAY_SECTION = Section(
    "stay",
    _("Where the worker is now"),
    _("In Belgium or abroad: this decides who hands over the permit."),
)
RESIDENCE_SECTION = Section(
    "residence",
    _("The worker's residence"),
    _("Where the worker lives decides which region handles the application."),
)

FULL_STATES = (
    DRAFT,
    SUBMITTED,
    INFORMATION_REQUESTED,
    ADMISSIBLE,
    INADMISSIBLE,
    WORK_REFUSED,
    WORK_APPROVED,
    RESIDENCE_REVIEW,
    RESIDENCE_INFORMATION_REQUESTED,
    GRANTED,
    REFUSED,
    WITHDRAWN,
)

SINGLE_PERMIT = Procedure(
    code="single-permit",
    title=_("Single permit"),
    description=_("I want to employ a foreign worker for more than 90 days."),
    applicant_kinds=(EMPLOYER, MANDATARY),
    authority_basis=PLACE_OF_EMPLOYMENT,
    stages=(WORK, RESIDENCE_PART),
    states=FULL_STATES,
    transitions=_work_transitions() + _residence_transitions(),
    documents=SINGLE_PERMIT_DOCUMENTS,
    sections=(EMPLOYER_SECTION, WORKER_SECTION, EMPLOYMENT_SECTION, STAY_SECTION),
    categories=CATEGORY_CODES,
    messages=_messages(residence=True, worker_applies=False),
    system_deliveries=_deliveries(residence=True),
)

SINGLE_PERMIT_RENEWAL = Procedure(
    code="single-permit-renewal",
    title=_("Renewal of a single permit"),
    description=_("I want to keep employing a foreign worker whose single permit is ending."),
    applicant_kinds=(EMPLOYER, MANDATARY),
    authority_basis=PLACE_OF_EMPLOYMENT,
    stages=(WORK, RESIDENCE_PART),
    states=FULL_STATES,
    transitions=_work_transitions() + _residence_transitions(),
    documents=RENEWAL_DOCUMENTS,
    sections=(EMPLOYER_SECTION, WORKER_SECTION, EMPLOYMENT_SECTION, STAY_SECTION),
    categories=CATEGORY_CODES,
    messages=_messages(residence=True, worker_applies=False),
    system_deliveries=_deliveries(residence=True),
    # A renewal keeping the same status pays no fee.
    fee_required=False,
)

SHORT_STAY = Procedure(
    code="short-stay-work-authorisation",
    title=_("Work authorisation for a short stay"),
    description=_(
        "I want to employ a foreign worker for 90 days or less, or a cross-border worker."
    ),
    applicant_kinds=(EMPLOYER, MANDATARY),
    authority_basis=PLACE_OF_EMPLOYMENT,
    stages=(WORK,),
    states=(
        DRAFT,
        SUBMITTED,
        INFORMATION_REQUESTED,
        ADMISSIBLE,
        INADMISSIBLE,
        WORK_REFUSED,
        AUTHORISED,
        WITHDRAWN,
    ),
    transitions=(
        *_work_transitions(),
        Transition("admissible", "approve_work", "authorised", OFFICIAL),
    ),
    documents=SHORT_STAY_DOCUMENTS,
    sections=(EMPLOYER_SECTION, WORKER_SECTION, EMPLOYMENT_SECTION),
    categories=CATEGORY_CODES,
    messages=_messages(residence=False, worker_applies=False),
    system_deliveries=_deliveries(residence=False),
    fee_required=False,
)

SINGLE_PERMIT_INDEFINITE = Procedure(
    code="single-permit-indefinite",
    title=_("Single permit of indefinite duration"),
    description=_(
        "I have lived and worked in Belgium for years and want a permit without an end date."
    ),
    applicant_kinds=(WORKER, MANDATARY),
    # The authority of the worker's residence decides, not the workplace.
    authority_basis=RESIDENCE,
    stages=(WORK, RESIDENCE_PART),
    states=FULL_STATES,
    transitions=_work_transitions() + _residence_transitions(),
    documents=INDEFINITE_DOCUMENTS,
    sections=(WORKER_SECTION, RESIDENCE_SECTION, EMPLOYMENT_SECTION),
    categories=CATEGORY_CODES,
    messages=_messages(residence=True, worker_applies=True),
    system_deliveries=_deliveries(residence=True),
)

PROCEDURES: tuple[Procedure, ...] = (
    SINGLE_PERMIT,
    SINGLE_PERMIT_RENEWAL,
    SHORT_STAY,
    SINGLE_PERMIT_INDEFINITE,
)

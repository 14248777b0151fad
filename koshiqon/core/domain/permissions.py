"""Roles and what each may do. Deny by default: a permission not granted here is refused.

Region scoping is separate from permissions: a role with `people.view` still sees only the persons of its
regions unless the role is national (see `NATIONAL_ROLES`).
"""

from enum import StrEnum


class Role(StrEnum):
    NATIONAL_OFFICER = "national_officer"
    REGIONAL_OFFICER = "regional_officer"
    REGIONAL_VIEWER = "regional_viewer"
    CENTRE_STAFF = "centre_staff"
    EMPLOYER = "employer"
    ANALYST = "analyst"
    ADMINISTRATOR = "administrator"


class Perm(StrEnum):
    PEOPLE_VIEW = "people.view"
    PEOPLE_CHANGE = "people.change"
    PEOPLE_MERGE = "people.merge"
    PEOPLE_DELETE = "people.delete"
    PEOPLE_IMPORT = "people.import"
    AUDIT_VIEW = "audit.view"
    AUDIT_VERIFY = "audit.verify"
    POLICY_VIEW = "policy.view"
    POLICY_CHANGE = "policy.change"
    REFERENCE_CHANGE = "reference.change"
    USERS_MANAGE = "users.manage"
    ANALYTICS_VIEW = "analytics.view"
    JOBS_VIEW = "jobs.view"
    KANDAS_VIEW = "kandas.view"
    KANDAS_PROCESS = "kandas.process"  # take applications, check files, commission recommendations, appeals
    KANDAS_SELECT = "kandas.select"  # run the selection against the quotas
    KANDAS_APPROVE = "kandas.approve"  # approve a selection run, so that decisions go out
    QUOTA_CHANGE = "quota.change"
    # Foreign labour (issue 5)
    LABOUR_VIEW = "labour.view"  # permit applications, permits, employers, quota use of the user's regions
    LABOUR_DECIDE = "labour.decide"  # decide permit applications, extensions; suspend, revoke
    LABOUR_EXCHANGE = "labour.exchange"  # keep the labour exchange: vacancies, jobseekers, their imports
    LABOUR_QUOTA = "labour.quota"  # set the foreign-labour quota and redistribute it between regions
    LABOUR_APPLY = "labour.apply"  # an employer files and follows its own permit applications
    # Adaptation and integration centres (issue 4)
    ADAPTATION_VIEW = "adaptation.view"  # centres, plans, stays, outcomes (staff: their centre only)
    ADAPTATION_CHANGE = "adaptation.change"  # plans, services delivered, stays, outcomes
    CENTRES_MANAGE = "centres.manage"  # open centres, set capacity, services and staff
    # Placement of families (issue 4)
    PLACEMENT_VIEW = "placement.view"
    PLACEMENT_RUN = "placement.run"  # train the outcome model, propose a batch's assignment, override
    PLACEMENT_APPROVE = "placement.approve"


_OFFICER = {
    Perm.PEOPLE_VIEW,
    Perm.PEOPLE_CHANGE,
    Perm.PEOPLE_MERGE,
    Perm.PEOPLE_IMPORT,
    Perm.AUDIT_VIEW,
    Perm.POLICY_VIEW,
    Perm.JOBS_VIEW,
    Perm.KANDAS_VIEW,
    Perm.KANDAS_PROCESS,
    Perm.LABOUR_VIEW,
    Perm.LABOUR_DECIDE,
    Perm.LABOUR_EXCHANGE,
    Perm.ADAPTATION_VIEW,
    Perm.PLACEMENT_VIEW,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.NATIONAL_OFFICER: frozenset(
        _OFFICER
        | {
            Perm.PEOPLE_DELETE,
            Perm.POLICY_CHANGE,
            Perm.ANALYTICS_VIEW,
            Perm.AUDIT_VERIFY,
            Perm.KANDAS_SELECT,
            Perm.KANDAS_APPROVE,
            Perm.QUOTA_CHANGE,
            Perm.LABOUR_QUOTA,
            Perm.CENTRES_MANAGE,
            Perm.PLACEMENT_RUN,
            Perm.PLACEMENT_APPROVE,
        }
    ),
    Role.REGIONAL_OFFICER: frozenset(_OFFICER),
    Role.REGIONAL_VIEWER: frozenset(
        {Perm.PEOPLE_VIEW, Perm.AUDIT_VIEW, Perm.POLICY_VIEW, Perm.KANDAS_VIEW, Perm.LABOUR_VIEW, Perm.ADAPTATION_VIEW}
    ),
    # Centre staff see the families assigned to their own centre(s), not their whole region; `jobs.view` lets
    # them follow the imports they start (a non-national role sees its own jobs only).
    Role.CENTRE_STAFF: frozenset({Perm.POLICY_VIEW, Perm.ADAPTATION_VIEW, Perm.ADAPTATION_CHANGE, Perm.JOBS_VIEW}),
    # An employer sees its own applications and permits only (scoped by the employers the user acts for).
    Role.EMPLOYER: frozenset({Perm.LABOUR_APPLY}),
    Role.ANALYST: frozenset({Perm.ANALYTICS_VIEW, Perm.POLICY_VIEW}),
    Role.ADMINISTRATOR: frozenset(
        {
            Perm.USERS_MANAGE,
            Perm.REFERENCE_CHANGE,
            Perm.POLICY_VIEW,
            Perm.AUDIT_VIEW,
            Perm.AUDIT_VERIFY,
            Perm.JOBS_VIEW,
        }
    ),
}

# Roles whose reads are not limited to their own regions.
NATIONAL_ROLES = frozenset({Role.NATIONAL_OFFICER, Role.ADMINISTRATOR, Role.ANALYST})


def role_has(role: str | None, perm: Perm) -> bool:
    """True when the role grants the permission. Unknown roles and None are refused."""
    try:
        return perm in ROLE_PERMISSIONS[Role(role)] if role else False
    except ValueError:
        return False


def is_national(role: str | None) -> bool:
    try:
        return Role(role) in NATIONAL_ROLES if role else False
    except ValueError:
        return False

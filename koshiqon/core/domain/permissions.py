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
        }
    ),
    Role.REGIONAL_OFFICER: frozenset(_OFFICER),
    Role.REGIONAL_VIEWER: frozenset({Perm.PEOPLE_VIEW, Perm.AUDIT_VIEW, Perm.POLICY_VIEW, Perm.KANDAS_VIEW}),
    # Centre staff see the families assigned to their centre; that scope arrives with the adaptation app.
    Role.CENTRE_STAFF: frozenset({Perm.POLICY_VIEW}),
    Role.EMPLOYER: frozenset(),
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

"""The words, in the user's language, for the problems the pure domain code reports by code."""

from django.utils.translation import gettext as _

from koshiqon.adaptation.domain import imports, outcomes, plans


def plan_message(problem: plans.Problem) -> str:
    return {
        plans.Problem.ARRIVAL_TOO_EARLY: _("Enter the real arrival date."),
        plans.Problem.ARRIVAL_TOO_LATE: _("A plan is made at most a year before the family arrives."),
        plans.Problem.FAMILY_SIZE: _("Enter the number of persons in the family, 1 to 40."),
        plans.Problem.FINANCIAL_AID: _("Enter the financial aid in whole tenge, 0 or more."),
        plans.Problem.DUE_BEFORE_REFERRAL: _("The due date cannot be before the referral."),
        plans.Problem.DELIVERED_IN_FUTURE: _("A service is recorded once it is delivered: the date cannot be in the future."),
        plans.Problem.DELIVERED_BEFORE_REFERRAL: _("The service cannot be delivered before the family was referred to it."),
        plans.Problem.ALREADY_DELIVERED: _("This service is already recorded as delivered."),
    }[problem]


def outcome_message(problem: outcomes.Problem, *, months: int | None = None) -> str:
    return {
        outcomes.Problem.CHECKPOINT: _("Choose 3, 6 or 12 months after arrival."),
        outcomes.Problem.NOT_DUE: _("%(months)s months have not passed since the arrival yet.") % {"months": months},
        outcomes.Problem.NOT_WORKING_AGE: _("Outcomes are recorded for members of working age (16 to the pension age)."),
        outcomes.Problem.EMPLOYED: _("Choose yes, no or unknown."),
        outcomes.Problem.SECTOR: _("Use a section of the classifier of economic activities: a letter from A to U."),
        outcomes.Problem.SECTOR_NOT_EMPLOYED: _("A sector is given only for a person who is employed."),
        outcomes.Problem.STAYED: _("Choose yes, no or unknown."),
        outcomes.Problem.STAYED_TOO_EARLY: _("Whether the person still lives in the region is recorded at 12 months only."),
    }[problem]


def import_message(code: imports.Code) -> str:
    return {
        imports.Code.EMPTY_FILE: _("The file is empty: its first line must name the columns."),
        imports.Code.NO_ROWS: _("The file has no rows under its first line."),
        imports.Code.TOO_MANY_ROWS: _("A file may hold at most %(max)s rows; split it.") % {"max": imports.MAX_ROWS},
        imports.Code.UNKNOWN_COLUMN: _("Unknown column. The columns are: %(columns)s.")
        % {"columns": ", ".join(imports.COLUMNS)},
        imports.Code.MISSING_COLUMN: _("This column is missing."),
        imports.Code.DUPLICATE_COLUMN: _("A column is named twice."),
        imports.Code.NO_PERSON_COLUMN: _("Name the person with a person column (record number) or an iin column."),
        imports.Code.REQUIRED: _("This field is required."),
        imports.Code.PERSON_REQUIRED: _("Give the person's record number or IIN."),
        imports.Code.NOT_A_NUMBER: _("Write the person's record number (digits only)."),
        imports.Code.CHECKPOINT: _("Choose 3, 6 or 12 months after arrival."),
        imports.Code.ANSWER: _("Write yes, no or unknown."),
        imports.Code.SECTOR: _("Use a section of the classifier of economic activities: a letter from A to U."),
        imports.Code.IIN: _("An IIN has 12 digits."),
    }[code]


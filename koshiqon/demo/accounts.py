"""One demo account per role, so that a visitor can see the system as each kind of user sees it.

The passwords are fixed and published (README, `koshiqon setup` prints them): they are demo data, for a
local demonstration only. Production settings never load the demo.
"""

from dataclasses import dataclass

from koshiqon.accounts.models import User
from koshiqon.accounts.services import user_create
from koshiqon.core.domain.permissions import Role
from koshiqon.reference.models import Region


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: Role
    region_codes: tuple[str, ...]
    first_name: str
    last_name: str


DEMO_ACCOUNTS = (
    DemoAccount("national", "demo-national-2026!", Role.NATIONAL_OFFICER, (), "Айгүл", "Серікова"),
    DemoAccount("officer55", "demo-officer-2026!", Role.REGIONAL_OFFICER, ("KZ-55",), "Ерлан", "Жұмабаев"),
    DemoAccount("viewer55", "demo-viewer-2026!", Role.REGIONAL_VIEWER, ("KZ-55",), "Ольга", "Петрова"),
    DemoAccount("officer75", "demo-almaty-2026!", Role.REGIONAL_OFFICER, ("KZ-75",), "Дархан", "Оспанов"),
    DemoAccount("centre", "demo-centre-2026!", Role.CENTRE_STAFF, ("KZ-55",), "Гүлнар", "Қасымова"),
    DemoAccount("employer", "demo-employer-2026!", Role.EMPLOYER, (), "Мұрат", "Ахметов"),
    DemoAccount("analyst", "demo-analyst-2026!", Role.ANALYST, (), "Динара", "Әлиева"),
    DemoAccount("admin", "demo-admin-2026!", Role.ADMINISTRATOR, (), "Сергей", "Иванов"),
)


class DemoAccountsError(Exception):
    pass


def demo_accounts(*, by="koshiqon setup") -> list[tuple[DemoAccount, bool]]:
    """Create the accounts that do not exist yet (through the same service as any account, so each is
    audited); existing ones are reused as they are. Returns each account and whether it was created now."""
    needed = {code for account in DEMO_ACCOUNTS for code in account.region_codes}
    missing = needed - set(Region.objects.filter(code__in=needed).values_list("code", flat=True))
    if missing:
        raise DemoAccountsError(f"regions {', '.join(sorted(missing))} are not loaded: run load_reference first")
    out = []
    for account in DEMO_ACCOUNTS:
        if User.objects.filter(username=account.username).exists():
            out.append((account, False))
            continue
        user_create(
            username=account.username, password=account.password, role=account.role,
            region_codes=list(account.region_codes), first_name=account.first_name, last_name=account.last_name,
            by=by,
        )
        out.append((account, True))
    return out

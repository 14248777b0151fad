from django.core.management.base import BaseCommand, CommandError

from koshiqon.demo.accounts import DemoAccountsError, demo_accounts


class Command(BaseCommand):
    help = "Create one demo account per role (fixed, published demo passwords); existing accounts are reused."

    def handle(self, *args, **options):
        try:
            accounts = demo_accounts()
        except DemoAccountsError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("demo accounts (for a local demonstration only):")
        width = max(len(account.username) for account, _ in accounts)
        for account, created in accounts:
            regions = f" {', '.join(account.region_codes)}" if account.region_codes else ""
            state = "created" if created else "exists, password unchanged"
            self.stdout.write(
                f"  {account.username:<{width}}  {account.password:<20}  {account.role.value}{regions}  ({state})"
            )

"""Issue, list and revoke API tokens for systems that call /api/v1/ (the raw token is shown once)."""

from django.core.management.base import BaseCommand, CommandError

from koshiqon.accounts.models import ApiToken, User
from koshiqon.accounts.services import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "API tokens: `api_token create USER NAME`, `api_token list [USER]`, `api_token revoke ID REASON`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("username")
        create.add_argument("name")
        listing = sub.add_parser("list")
        listing.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("token_id", type=int)
        revoke.add_argument("reason")

    def handle(self, *args, action, **options):
        if action == "create":
            user = self._user(options["username"])
            token, raw = api_token_create(user=user, name=options["name"], by=None)
            self.stdout.write(f"token {token.pk} for {user.username}: {raw}")
            self.stdout.write("Keep it now: only its hash is stored.")
        elif action == "list":
            tokens = ApiToken.objects.select_related("user").order_by("id")
            if options["username"]:
                tokens = tokens.filter(user__username=options["username"])
            for t in tokens:
                state = f"revoked {t.revoked_at:%Y-%m-%d}" if t.revoked_at else "active"
                self.stdout.write(f"{t.pk:>5}  {t.user.username:<20} {t.name:<30} {t.prefix}…  {state}")
        else:
            token = ApiToken.objects.filter(pk=options["token_id"]).first()
            if token is None:
                raise CommandError(f"no token {options['token_id']}")
            api_token_revoke(token=token, by=None, reason=options["reason"])
            self.stdout.write(f"token {token.pk} revoked")

    def _user(self, username):
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"no user {username!r}")

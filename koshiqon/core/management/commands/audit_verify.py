import sys

from django.core.management.base import BaseCommand

from koshiqon.core.audit import audit_verify
from koshiqon.core.models import AuditEvent


class Command(BaseCommand):
    help = "Verify every lane of the audit chain; report the first broken link and exit 1 when a row was edited or deleted."

    def handle(self, *args, **options):
        broken = audit_verify()
        if broken is None:
            lanes = AuditEvent.objects.order_by().values("lane").distinct().count()
            self.stdout.write(f"audit chain intact: {AuditEvent.objects.count()} events in {lanes} lane(s)")
            return
        self.stderr.write(f"audit chain BROKEN at event {broken.seq} of lane {broken.lane}: {broken.reason}")
        sys.exit(1)

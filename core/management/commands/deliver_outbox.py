"""Send the e-mails that are due; for the embedded set-up without a broker
(run it from cron every minute) and for emptying the queue by hand."""

from django.core.management.base import BaseCommand

from core import outbox


class Command(BaseCommand):
    help = "Deliver due outbox e-mails and take over those of lost workers."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500,
                            help="At most this many messages in one run.")

    def handle(self, *args, limit, **options):
        result = outbox.deliver_due(limit=limit)
        self.stdout.write(
            "sent {sent}, not sent {not_sent}, dead after a lost lease "
            "{dead_after_lost_lease}".format(**result)
        )

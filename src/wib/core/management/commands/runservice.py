"""`make run`: seed the demo, then run the web server, the worker and the outbox safety net."""

import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from wib.core.demo import demo_enabled


class Command(BaseCommand):
    help = (
        "Start the web server, the background worker and the outbox safety net together "
        "(development and demo)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--address", default="127.0.0.1:8000")
        parser.add_argument("--no-demo", action="store_true", help="Do not seed the demo.")
        parser.add_argument(
            "--outbox-every",
            type=int,
            default=60,
            metavar="SECONDS",
            help="How often the safety net reschedules due outbox messages.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_demo"] and demo_enabled():
            call_command("seed_demo", stdout=self.stdout)
        manage = [sys.executable, "manage.py"]
        processes = [
            subprocess.Popen([*manage, "runserver", options["address"], "--noreload"]),
            subprocess.Popen([*manage, "db_worker", "--interval", "1"]),
            subprocess.Popen([*manage, "process_outbox", "--every", str(options["outbox_every"])]),
        ]
        site = f"http://{options['address']}"
        language = settings.LANGUAGE_CODE[:2]
        lines = [
            f"Working in Belgium is running (web server, worker, outbox every "
            f"{options['outbox_every']} s). Press Ctrl-C to stop.",
            f"  site            {site}/{language}/",
            f"  back office     {site}/{language}/backoffice/",
            f"  administration  {site}/{language}/admin/",
        ]
        if settings.WIB_SIMULATORS_ENABLED:
            lines.append(f"  demo eBox page  {site}/{language}/ebox/  (signed in as an applicant)")
            lines.append(
                f"  eBox simulator  {site}/simulators/ebox/messages"
                "?eboxType=enterprise&eboxIdValue=<enterprise number>"
            )
        self.stdout.write(self.style.SUCCESS(lines[0]))
        for line in lines[1:]:
            self.stdout.write(line)

        def stop(*_: object) -> None:
            for process in processes:
                if process.poll() is None:
                    process.terminate()

        signal.signal(signal.SIGTERM, stop)
        try:
            while all(process.poll() is None for process in processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()

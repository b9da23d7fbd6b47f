"""`make run`: seed the demo, then run the web server and the background worker until Ctrl-C."""

import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Start the web server and the background worker together (development and demo)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--address", default="127.0.0.1:8000")
        parser.add_argument("--no-demo", action="store_true", help="Do not seed demo accounts.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_demo"]:
            call_command("seed_demo")
        manage = [sys.executable, "manage.py"]
        processes = [
            subprocess.Popen([*manage, "runserver", options["address"], "--noreload"]),
            subprocess.Popen([*manage, "db_worker", "--interval", "1"]),
        ]
        self.stdout.write(
            self.style.SUCCESS(
                f"Working in Belgium is running on http://{options['address']}/ "
                "(web server and worker). Press Ctrl-C to stop."
            )
        )

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

"""Write a synthetic KBO open-data full extract in the published format, streaming.

    .venv/bin/python benchmarks/generate_kbo_extract.py --enterprises 1930000 --out var/kbo.zip

The proportions follow the 2025 register (see wib.registry.kbo_synthetic.SyntheticRegister).
"""

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wib.config.settings.dev")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=1_930_000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--extract-number", type=int, default=140)
    parser.add_argument("--activities-per-enterprise", type=int, default=1)
    parser.add_argument("--seed", type=int, default=5)
    arguments = parser.parse_args()

    import django

    django.setup()
    from wib.registry.kbo_synthetic import SyntheticRegister

    started = time.monotonic()
    register = SyntheticRegister(
        arguments.enterprises,
        seed=arguments.seed,
        activities_per_enterprise=arguments.activities_per_enterprise,
    )
    register.write_full(
        arguments.out, extract_number=arguments.extract_number, snapshot=date(2025, 6, 1)
    )
    size = arguments.out.stat().st_size / 1e6
    print(
        f"wrote {arguments.out} ({size:.0f} MB) in {time.monotonic() - started:.0f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()

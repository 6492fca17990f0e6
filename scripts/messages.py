"""Refresh every app's French catalogue (parcours/<app>/locale/fr) and compile it.

Each app carries its own catalogue, so domains can be worked on side by side."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARCOURS = ROOT / "parcours"
BIN = Path(sys.executable).parent / "parcours"


def apps() -> list[Path]:
    return sorted(p.parent for p in PARCOURS.glob("*/apps.py"))


def main() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "parcours.settings.dev"}
    only = set(sys.argv[1:])
    for app in apps():
        if only and app.name not in only:
            continue
        (app / "locale").mkdir(exist_ok=True)
        for domain in ("django", "djangojs"):
            if domain == "djangojs" and not any(app.rglob("*.js")):
                continue
            subprocess.run([str(BIN), "makemessages", "-l", "fr", "-d", domain, "--no-obsolete",
                            "--ignore", "tests/*", "--ignore", "migrations/*"], cwd=app, env=env, check=True)
        subprocess.run([str(BIN), "compilemessages", "-l", "fr"], cwd=app, env=env, check=True)


if __name__ == "__main__":
    main()

"""Compile .po catalogs to .mo with polib: `python manage.py compilemessages_py`.

Django's own compilemessages shells out to GNU gettext's msgfmt, which a fresh
machine may lack; polib is pure Python and a project dependency, so `make
install` can always build the .mo files (they are not committed). Like msgfmt
without --use-fuzzy, fuzzy and untranslated entries are left out.
"""

from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def catalog_dirs() -> list[Path]:
    """LOCALE_PATHS plus the locale/ folder of every app inside the project."""
    base = Path(settings.BASE_DIR).resolve()
    dirs = [Path(path) for path in settings.LOCALE_PATHS]
    for config in apps.get_app_configs():
        app_path = Path(config.path).resolve()
        # NOTE: third-party apps ship compiled catalogs; never write into them.
        if app_path.is_relative_to(base) and not app_path.is_relative_to(base / ".venv"):
            dirs.append(app_path / "locale")
    unique = dict.fromkeys(path.resolve() for path in dirs if path.is_dir())
    return list(unique)


def po_files(locales: list[str] | None = None) -> list[Path]:
    """Every django*.po under LC_MESSAGES of the catalog folders."""
    found = []
    for folder in catalog_dirs():
        for po in sorted(folder.glob("*/LC_MESSAGES/django*.po")):
            if not locales or po.parent.parent.name in locales:
                found.append(po)
    return found


class Command(BaseCommand):
    help = "Compile locale/**/django*.po to .mo with polib (no GNU gettext needed)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--locale", "-l", action="append", default=[],
            help="Compile only this locale (repeatable); default all.",
        )

    def handle(self, *args, **options):
        files = po_files(options["locale"])
        for po_path in files:
            try:
                catalog = polib.pofile(str(po_path))
            except (OSError, ValueError) as exc:
                raise CommandError(f"{po_path}: {exc}") from exc
            catalog.save_as_mofile(str(po_path.with_suffix(".mo")))
            if options["verbosity"] >= 2:
                self.stdout.write(f"compiled {po_path} ({catalog.percent_translated()}%)")
        if options["verbosity"] >= 1:
            self.stdout.write(f"Compiled {len(files)} message catalog(s).")

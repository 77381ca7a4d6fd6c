"""The Japanese catalog is complete, and compilemessages_py builds .mo files."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from core.money import format_yen

JA = Path(settings.BASE_DIR) / "locale" / "ja" / "LC_MESSAGES"
JA_CATALOGS = [path for path in (JA / "django.po", JA / "djangojs.po") if path.exists()]


def _gaps(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return not entry.msgstr_plural or not all(entry.msgstr_plural.values())
    return not entry.msgstr


def test_the_ja_catalog_exists():
    assert JA / "django.po" in JA_CATALOGS


@pytest.mark.parametrize("po_path", JA_CATALOGS, ids=lambda path: path.name)
def test_every_ja_entry_is_translated_and_none_is_fuzzy(po_path):
    catalog = polib.pofile(str(po_path))
    live = [entry for entry in catalog if not entry.obsolete]
    untranslated = [entry.msgid for entry in live if _gaps(entry)]
    fuzzy = [entry.msgid for entry in live if entry.fuzzy]
    assert untranslated == [], f"{len(untranslated)} untranslated in {po_path.name}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy in {po_path.name}"


@pytest.mark.parametrize("po_path", JA_CATALOGS, ids=lambda path: path.name)
def test_ja_translations_keep_their_placeholders(po_path):
    """A msgstr that drops or renames %(name)s breaks the page at run time."""
    placeholder = re.compile(r"%\((\w+)\)[sd]")
    for entry in polib.pofile(str(po_path)):
        if entry.obsolete or not entry.msgstr:
            continue
        assert set(placeholder.findall(entry.msgstr)) == set(placeholder.findall(entry.msgid)), (
            entry.msgid
        )


def test_compilemessages_py_builds_mo_files_without_fuzzy_entries(tmp_path, settings):
    catalog_dir = tmp_path / "locale" / "ja" / "LC_MESSAGES"
    catalog_dir.mkdir(parents=True)
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ja"}
    po.append(polib.POEntry(msgid="Draft", msgstr="下書き"))
    po.append(polib.POEntry(msgid="Open", msgstr="公開", flags=["fuzzy"]))
    po.append(polib.POEntry(msgid="Closed", msgstr=""))
    po.save(str(catalog_dir / "django.po"))
    po.save(str(catalog_dir / "djangojs.po"))
    settings.LOCALE_PATHS = [tmp_path / "locale"]

    call_command("compilemessages_py", verbosity=0)

    for name in ("django.mo", "djangojs.mo"):
        compiled = {entry.msgid: entry.msgstr for entry in polib.mofile(str(catalog_dir / name))}
        assert compiled == {"Draft": "下書き"}


def test_the_project_catalog_is_compiled_and_used():
    """`make install` runs compilemessages_py; Django then reads the .mo."""
    call_command("compilemessages_py", verbosity=0)
    assert (JA / "django.mo").exists()
    with translation.override("ja"):
        assert format_yen(1) == "1円"

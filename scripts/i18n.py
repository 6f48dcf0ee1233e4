"""Keep the translation catalogs in step with the code.

    python scripts/i18n.py update   # extract msgids, update catalogs, apply fragments
    python scripts/i18n.py check    # fail if the template is stale or a translation is missing

Each domain keeps its translations in ``locales/<lang>/fragments/*.po`` so
engineers can work on different parts at once; ``update`` folds them into
``locales/<lang>/LC_MESSAGES/messages.po``, which is what Babel compiles.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
TEMPLATE = LOCALES / "messages.pot"
TRANSLATED_LOCALES = ("en",)


def extract(output: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg", "-k", "N_",
         "-o", str(output), "--no-location", "--sort-output", "--omit-header", "--no-wrap",
         "."],
        cwd=ROOT, check=True,
    )


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def write(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0, omit_header=False, sort_output=True, no_location=True,
                 ignore_obsolete=True)


def fragments(locale: str) -> dict[str, str]:
    translations: dict[str, str] = {}
    for path in sorted((LOCALES / locale / "fragments").glob("*.po")):
        for message in read(path, locale):
            if message.id and message.string:
                translations[message.id] = message.string
    return translations


def update() -> None:
    extract(TEMPLATE)
    template = read(TEMPLATE)
    for locale in TRANSLATED_LOCALES:
        path = LOCALES / locale / "LC_MESSAGES" / "messages.po"
        existing = read(path, locale) if path.exists() else Catalog(locale=locale)
        catalog = Catalog(locale=locale, project="tsunagu", charset="utf-8")
        known = fragments(locale)
        for message in template:
            if not message.id:
                continue
            old = existing.get(message.id)
            catalog.add(message.id, known.get(message.id) or (old.string if old else ""))
        write(path, catalog)


def missing(locale: str) -> list[str]:
    path = LOCALES / locale / "LC_MESSAGES" / "messages.po"
    catalog = read(path, locale)
    return [message.id for message in catalog if message.id and not message.string]


def stale_template() -> set[str]:
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "fresh.pot"
        extract(fresh)
        now = {message.id for message in read(fresh) if message.id}
    committed = {message.id for message in read(TEMPLATE) if message.id}
    return now ^ committed


def main(argv: list[str]) -> int:
    if argv[1:] == ["update"]:
        update()
        return 0
    if argv[1:] == ["check"]:
        problems = []
        if changed := stale_template():
            problems.append(f"locales/messages.pot is stale ({len(changed)} msgids differ); run make messages")
        for locale in TRANSLATED_LOCALES:
            if gaps := missing(locale):
                problems.append(f"{locale}: {len(gaps)} untranslated, e.g. {gaps[0]!r}")
        print("\n".join(problems) or "catalogs are up to date")
        return 1 if problems else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))

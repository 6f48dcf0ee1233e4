"""Keep the translation catalogs in step with the code.

    python scripts/i18n.py update    # extract msgids, update catalogs, apply fragments
    python scripts/i18n.py check     # fail if the template is stale or a translation is missing
    python scripts/i18n.py compile   # compile every catalog to .mo (install and release time)

Extraction is configured in ``pyproject.toml`` under ``[tool.tsunagu.i18n]``:
which files hold texts, and which languages must be complete. Resident
languages must translate every text under ``bot/`` (what residents read)
except those marked ``S_()`` (texts only staff read: the admin view, CSV
files, emails to staff); staff languages every text. Each domain keeps its translations in
``locales/<lang>/fragments/*.po`` so engineers and translators can work on
different parts at once; ``update`` folds them into
``locales/<lang>/LC_MESSAGES/messages.po``, which is what Babel compiles.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
TEMPLATE = LOCALES / "messages.pot"
SETTINGS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["tsunagu"]["i18n"]
RESIDENT_LOCALES: tuple[str, ...] = tuple(SETTINGS["resident_locales"])
STAFF_LOCALES: tuple[str, ...] = tuple(SETTINGS["staff_locales"])
TRANSLATED_LOCALES = tuple(dict.fromkeys(RESIDENT_LOCALES + STAFF_LOCALES))
KEYWORDS: tuple[str, ...] = tuple(SETTINGS["keywords"])
STAFF_KEYWORDS: tuple[str, ...] = tuple(SETTINGS["staff_keywords"])
PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*\}")


def mapping(sources: list[str] | None = None) -> str:
    """The Babel mapping file text for the configured methods, limited to ``sources`` if given."""
    sections = []
    for entry in SETTINGS["mapping"]:
        if sources and not any(entry["pattern"].startswith(s) for s in sources):
            continue
        options = "".join(f"{key} = {value}\n" for key, value in entry.get("options", {}).items())
        sections.append(f"[{entry['method']}: {entry['pattern']}]\n{options}")
    return "\n".join(sections)


def extract(output: Path, sources: list[str] | None = None, keywords: tuple[str, ...] = KEYWORDS) -> None:
    """Extract the msgids of ``sources`` (all configured files by default) marked by Babel's and ``keywords``."""
    with tempfile.NamedTemporaryFile("w", suffix=".cfg", encoding="utf-8") as cfg:
        cfg.write(mapping(sources))
        cfg.flush()
        keywords = [arg for keyword in keywords for arg in ("-k", keyword)]
        subprocess.run(
            [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", cfg.name, *keywords,
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


def catalog_path(locale: str) -> Path:
    return LOCALES / locale / "LC_MESSAGES" / "messages.po"


def fragments(locale: str) -> dict[str, str]:
    """Translations from the fragments; fuzzy ones (a translator's guess) are left out."""
    translations: dict[str, str] = {}
    for path in sorted((LOCALES / locale / "fragments").glob("*.po")):
        for message in read(path, locale):
            if message.id and message.string and not message.fuzzy:
                translations[message.id] = message.string
    return translations


def update() -> None:
    extract(TEMPLATE)
    template = read(TEMPLATE)
    for locale in TRANSLATED_LOCALES:
        path = catalog_path(locale)
        existing = read(path, locale) if path.exists() else Catalog(locale=locale)
        catalog = Catalog(locale=locale, project="tsunagu", charset="utf-8")
        known = fragments(locale)
        for message in template:
            if not message.id:
                continue
            old = existing.get(message.id)
            kept = old.string if old is not None and not old.fuzzy else ""
            catalog.add(message.id, known.get(message.id) or kept)
        write(path, catalog)


def compile_all() -> None:
    for path in sorted(LOCALES.glob("*/LC_MESSAGES/messages.po")):
        # Written aside, then renamed: a process reading the catalog never sees half of it.
        partial = path.with_suffix(f".mo.{os.getpid()}")
        with partial.open("wb") as handle:
            write_mo(handle, read(path, path.parts[-3]))
        os.replace(partial, path.with_suffix(".mo"))


def resident_msgids() -> set[str]:
    """What residents may read: the texts of the resident sources, except those marked for staff only."""
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "bot.pot"
        extract(pot, SETTINGS["resident_sources"], tuple(k for k in KEYWORDS if k not in STAFF_KEYWORDS))
        return {message.id for message in read(pot) if message.id}


def problems_in(locale: str, required: set[str] | None) -> list[str]:
    """Untranslated (of the ``required`` msgids, or all), fuzzy, and mismatched placeholders."""
    path = catalog_path(locale)
    if not path.exists():
        return [f"{locale}: no catalog at {path.relative_to(ROOT)}; run make messages"]
    catalog = read(path, locale)
    problems = []
    untranslated = [m.id for m in catalog if m.id and not m.string and (required is None or m.id in required)]
    if untranslated:
        problems.append(f"{locale}: {len(untranslated)} untranslated, e.g. {untranslated[0]!r}")
    if absent := sorted((required or set()) - {m.id for m in catalog if m.id}):
        problems.append(f"{locale}: {len(absent)} msgids missing from the catalog, e.g. {absent[0]!r}; run make messages")
    if fuzzy := [m.id for m in catalog if m.id and m.fuzzy]:
        problems.append(f"{locale}: {len(fuzzy)} fuzzy, e.g. {fuzzy[0]!r}")
    for message in catalog:
        if message.id and message.string and set(PLACEHOLDER.findall(message.id)) != set(
                PLACEHOLDER.findall(message.string)):
            problems.append(f"{locale}: placeholders differ in {message.id!r}")
    return problems


def stale_template() -> set[str]:
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "fresh.pot"
        extract(fresh)
        now = {message.id for message in read(fresh) if message.id}
    committed = {message.id for message in read(TEMPLATE) if message.id}
    return now ^ committed


def check() -> list[str]:
    problems = []
    if changed := stale_template():
        problems.append(f"locales/messages.pot is stale ({len(changed)} msgids differ); run make messages")
    residents = resident_msgids()
    for locale in TRANSLATED_LOCALES:
        problems += problems_in(locale, None if locale in STAFF_LOCALES else residents)
    return problems


def main(argv: list[str]) -> int:
    if argv[1:] == ["update"]:
        update()
        return 0
    if argv[1:] == ["compile"]:
        compile_all()
        return 0
    if argv[1:] == ["check"]:
        problems = check()
        print("\n".join(problems) or "catalogs are up to date")
        return 1 if problems else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))

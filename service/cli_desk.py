"""``l10n tm`` and ``l10n glossary``: the translation memory and the glossaries, in and out of exchange files."""
from __future__ import annotations

from pathlib import Path

import click

from .cli import Context, main, pass_context
from .domain.glossary import GlossaryError, clean_term, glossary_source_language
from .domain.glossary_files import GlossaryFileError, format_csv, format_tbx, parse_csv, parse_tbx
from .domain.tmx import TmxError, format_tmx, parse_tmx


# --- translation memory ---------------------------------------------------------------------


@main.group()
def tm() -> None:
    """Translation memory: export it to TMX, or merge a TMX file into it."""


@tm.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@pass_context
def tm_export(ctx: Context, file: Path) -> None:
    """Write every remembered translation to FILE (TMX 1.4b, one <tuv xml:lang> per language)."""
    ctx.require_locales()
    units = ctx.services.memory.units()
    file.write_bytes(format_tmx(units))
    click.echo(f"exported {len(units)} translation unit(s) to {file}", err=True)


@tm.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_context
def tm_import(ctx: Context, file: Path) -> None:
    """Merge the translations of FILE (TMX) in LANGUAGES into the memory; a broken file changes nothing."""
    ctx.require_locales()
    try:
        units = parse_tmx(file.read_bytes(), ctx.languages)
    except TmxError as error:
        raise click.ClickException(f"{file}:{error.line}: {error.message}") from None
    changed = ctx.services.memory.merge(units)
    click.echo(f"imported {len(units)} translation unit(s) from {file}, {changed} new or changed", err=True)


# --- glossary -------------------------------------------------------------------------------


@main.group()
def glossary() -> None:
    """Glossaries per target language: export to or import from CSV or TBX."""


def _glossary_file(ctx: Context, language: str, file: Path) -> str:
    if language not in ctx.languages:
        raise click.BadParameter(f"{language} not in LANGUAGES ({', '.join(ctx.languages)})", param_hint="LANG")
    kind = file.suffix.lower().lstrip(".")
    if kind not in ("csv", "tbx"):
        raise click.BadParameter("the file must end in .csv or .tbx", param_hint="FILE")
    return kind


@glossary.command("export")
@click.argument("language", metavar="LANG")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@pass_context
def glossary_export(ctx: Context, language: str, file: Path) -> None:
    """Write LANG's glossary to FILE (.csv: term,translation,note,forbidden; .tbx: TBX-Basic)."""
    kind = _glossary_file(ctx, language, file)
    terms = ctx.services.glossaries.terms(language)
    if kind == "csv":
        file.write_text(format_csv(terms), encoding="utf-8")
    else:
        file.write_bytes(format_tbx(terms, glossary_source_language(language, ctx.languages), language))
    click.echo(f"exported {len(terms)} term(s) to {file}", err=True)


@glossary.command("import")
@click.argument("language", metavar="LANG")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_context
def glossary_import(ctx: Context, language: str, file: Path) -> None:
    """Add or update LANG's terms from FILE (.csv or .tbx), matched by term; a bad file changes nothing."""
    kind = _glossary_file(ctx, language, file)
    data = file.read_bytes()
    try:
        read = parse_csv(data) if kind == "csv" else parse_tbx(data, language)
        for line, term, translation, note, forbidden in read:
            try:
                clean_term(term, translation, note, forbidden)
            except GlossaryError as error:
                raise GlossaryFileError(line, str(error)) from None
    except GlossaryFileError as error:
        raise click.ClickException(f"{file}:{error.line}: {error.message}") from None
    added, changed = ctx.services.glossaries.merge(language, [(term, translation, note, forbidden) for _line, term, translation, note, forbidden in read])
    click.echo(f"imported {len(read)} term(s) from {file}: {added} added, {changed} changed", err=True)

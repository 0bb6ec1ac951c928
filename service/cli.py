"""The ``l10n`` command line: the catalog pipeline and the tools around it."""
from __future__ import annotations

import importlib
import json
import math
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .config import load_settings
from .storage.database import database_path
from .storage.layout import Layout
from .storage.remembered_coverage import CoverageOutput, RememberedCoverage

if TYPE_CHECKING:
    from . import pipeline
    from .bootstrap import Services
    from .domain.coverage import CoverageReport

# Each command imports what it needs (the stores, the pipeline with babel's extraction, the checks
# and langdetect): l10n coverage, whose remembered output is printed in a few milliseconds, starts
# without any of them, and so do the other commands that need little.
#: The modules that add commands to ``l10n`` (``users``, ``tm``, ``glossary``), loaded when one is asked for.
COMMAND_MODULES = (".cli_accounts", ".cli_desk")


class Context:
    """Settings shared by every subcommand, read once from the environment."""

    def __init__(self) -> None:
        try:
            self.settings: dict[str, Any] = load_settings()
        except ValueError as error:
            raise click.ClickException(f"configuration: {error}") from None
        self.layout = Layout(self.settings["LOCALES_DIR"])
        self.languages: list[str] = list(self.settings["LANGUAGES"])

    @cached_property
    def services(self) -> Services:
        """The same stores and catalog locks as the server's: what the CLI writes, it writes under them too."""
        from .bootstrap import build_services

        return build_services(self.settings)

    def require_locales(self) -> None:
        """Stop when ``LOCALES_DIR`` is missing: reading it as "no catalogs" would pass every check."""
        if not self.layout.locales_dir.is_dir():
            raise click.ClickException(
                f"{self.layout.locales_dir}: the locales directory does not exist (LOCALES_DIR; "
                "l10n extract creates it)"
            )


pass_context = click.make_pass_decorator(Context, ensure=True)


def _yield_cpu(ctx: Context) -> None:
    """Lower this command's CPU priority by ``BATCH_NICENESS``: a long batch gives way to the server's workers."""
    if ctx.settings["BATCH_NICENESS"]:
        os.nice(ctx.settings["BATCH_NICENESS"])


#: Who the history names for the state changes ``l10n update`` makes.
UPDATE_USER = "l10n update"
#: Where the security log says account changes made with ``l10n users`` came from.
CLI_ADDRESS = "cli"


@contextmanager
def _progress_bar(length: int, label: str) -> Iterator[Callable[[int], None] | None]:
    """Show a progress bar on standard error while it is a terminal (nothing when output goes to a file or pipe)."""
    if not length or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
        yield bar.update


def _finish(report: pipeline.Report, verb: str) -> None:
    for path in report.written:
        click.echo(f"{verb} {path}")
    for path in report.removed:
        click.echo(f"removed {path}")
    for error in report.errors:
        click.echo(f"error: {error}", err=True)
    click.echo(f"{len(report.written)} written, {len(report.unchanged)} unchanged", err=True)
    if report.errors:
        sys.exit(1)


class _Commands(click.Group):
    """The ``l10n`` group: a fault of the file system ends any command with one line naming the file, never a traceback.

    The commands of :data:`COMMAND_MODULES` are loaded when a name this module does not define
    is asked for, or the list of every command (``--help``).
    """

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None:
            _load_command_modules()
            command = super().get_command(ctx, cmd_name)
        return command

    def list_commands(self, ctx: click.Context) -> list[str]:
        _load_command_modules()
        return super().list_commands(ctx)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OSError as error:
            from .storage.po_files import StorageUnavailable

            if isinstance(error, StorageUnavailable):
                raise click.ClickException(f"{error}; nothing was changed") from None
            where = error.filename or "a file"
            raise click.ClickException(f"{where}: {error.strerror or error}") from None


def _load_command_modules() -> None:
    """Import the modules that add commands to ``l10n`` (Python imports each once)."""
    for name in COMMAND_MODULES:
        importlib.import_module(name, __package__)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Localization service for the newsroom: catalogs, checks, coverage and the server."""


@main.command()
@pass_context
def extract(ctx: Context) -> None:
    """Write templates: locales/messages.pot (UI) and locales/articles/<slug>.pot (articles)."""
    from . import pipeline

    _yield_cpu(ctx)
    _finish(pipeline.extract(ctx.settings["CONTENT_DIR"], ctx.layout, ctx.languages), "wrote")


@main.command()
@pass_context
def update(ctx: Context) -> None:
    """Merge every template into every language's catalogs, as msgmerge --previous does."""
    from . import pipeline
    from .domain.editing import transition_change

    _yield_cpu(ctx)
    ctx.require_locales()
    domains = ctx.layout.template_domains()
    with _progress_bar(len(domains), "updating") as progress:
        report = pipeline.update(ctx.services.catalogs, domains=domains, progress=progress)
    if report.transitions:
        ctx.services.history.record_changes(transition_change(transition, UPDATE_USER) for transition in report.transitions)
    for transition in report.transitions:
        click.echo(f"{transition.language} {transition.domain}: {transition.old} → {transition.new}")
    # Read the new figures now, so the server's workers find them remembered instead of each
    # reading every catalog on its first dashboard or catalog list.
    ctx.services.figures.figures()
    _finish(report, "updated")


@main.command("compile")
@click.option("--only-outdated", is_flag=True,
              help="only catalogs whose .mo is missing or older than the catalog (after a git pull)")
@pass_context
def compile_command(ctx: Context, only_outdated: bool) -> None:
    """Compile every catalog to .mo beside it (fuzzy entries left out).

    With --only-outdated, a .mo newer than its catalog is left as it is: a replica's git pull
    timer recompiles what the pull changed, not the whole archive every time.
    """
    from . import pipeline

    _yield_cpu(ctx)
    ctx.require_locales()
    _finish(pipeline.compile_all(ctx.services.catalogs, only_outdated=only_outdated), "compiled")


@main.command()
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def stats(output_format: str, files: tuple[str, ...]) -> None:
    """Count translated, fuzzy and untranslated messages per FILE, as msgfmt --statistics."""
    from .domain.counting import count_messages
    from .domain.po_format import CatalogError
    from .storage.po_files import read_catalog

    rows: list[dict[str, Any]] = []
    for name in files:
        try:
            counts = count_messages(read_catalog(Path(name), name))
        except FileNotFoundError:
            raise click.ClickException(f"{name}: no such file") from None
        except OSError as error:
            raise click.ClickException(f"{name}: cannot read the file: {error.strerror or error}") from None
        except CatalogError as error:
            raise click.ClickException(str(error)) from None
        rows.append({"file": name, "translated": counts.translated, "fuzzy": counts.fuzzy,
                     "untranslated": counts.untranslated})
    if output_format == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    width = max(len(row["file"]) for row in rows)
    click.echo(f"{'file':<{width}}  translated  fuzzy  untranslated")
    for row in rows:
        click.echo(f"{row['file']:<{width}}  {row['translated']:>10}  {row['fuzzy']:>5}  {row['untranslated']:>12}")


@main.command()
@click.option("--language", "-l", "languages", multiple=True, metavar="L", help="only this language (repeatable)")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table")
@click.option("--fuzzy/--no-fuzzy", default=False, help="also check fuzzy translations")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help="check in up to N processes (default: one per CPU)")
@pass_context
def check(ctx: Context, languages: tuple[str, ...], output_format: str, fuzzy: bool, jobs: int | None) -> None:
    """Run the quality checks on every translated message; exit 1 when any check reports an error.

    Results are remembered per catalog in INSTANCE_DIR/check-results.json: a catalog whose file
    (and glossary) did not change since is not checked again.
    """
    from . import pipeline
    from .storage.check_results import CHECK_RESULTS_FILE_NAME
    from .storage.parallel_reads import available_cpus

    _yield_cpu(ctx)
    ctx.require_locales()
    unknown = [language for language in languages if language not in ctx.languages]
    if unknown:
        raise click.BadParameter(f"{', '.join(unknown)} not in LANGUAGES ({', '.join(ctx.languages)})",
                                 param_hint="--language")
    selected = list(dict.fromkeys(languages)) or ctx.languages
    glossaries = {language: ctx.services.glossary_of(language) for language in selected}
    catalogs = ctx.layout.catalog_files(selected)
    with _progress_bar(len(catalogs), "checking") as progress:
        checked = pipeline.check_all(
            ctx.layout, selected, glossaries, fuzzy, ctx.services.instance_dir / CHECK_RESULTS_FILE_NAME,
            remember=not ctx.settings["READERS_ONLY"], processes=jobs or available_cpus(), progress=progress)
    rows: list[dict[str, Any]] = [
        {"file": catalog.shown, "line": line, "language": catalog.language, "domain": catalog.domain, "id": entry_id,
         "msgctxt": msgctxt, "msgid": msgid, "check": check_id, "level": level, "message": message}
        for catalog in checked for line, entry_id, msgctxt, msgid, check_id, level, message in catalog.rows
    ]
    errors = sum(1 for row in rows if row["level"] == "error")
    if output_format == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        click.echo("".join(f"{row['file']}:{row['line']}: {row['level']}: [{row['check']}] {row['message']}\n"
                           for row in rows), nl=False)
        warnings = len(rows) - errors
        click.echo(f"{errors} error(s), {warnings} warning(s)", err=True)
    if errors:
        sys.exit(1)


def _a_number(_ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    """Refuse ``nan``, which FloatRange lets through and no percent is ever below."""
    if value is not None and math.isnan(value):
        raise click.BadParameter("nan is not a percentage", param=param)
    return value


@main.command()
@click.option("--language", "-l", "languages", multiple=True, metavar="L",
              help="only this language (repeat for several; default: every configured language)")
@click.option("--format", "output_format", type=click.Choice(["table", "json", "csv"]), default="table")
@click.option("--fail-under", type=click.FloatRange(0, 100), default=None, metavar="PCT", callback=_a_number,
              help="exit 1 when any selected catalog's percent is below PCT")
@pass_context
def coverage(ctx: Context, languages: tuple[str, ...], output_format: str, fail_under: float | None) -> None:
    """Show translated, fuzzy and untranslated messages, words and state of every catalog."""
    _yield_cpu(ctx)
    ctx.require_locales()
    unknown = [language for language in languages if language not in ctx.languages]
    if unknown:
        raise click.BadParameter(
            f"{unknown[0]!r} is not one of the configured languages ({', '.join(ctx.languages)})",
            param_hint="--language",
        )
    selected = list(dict.fromkeys(languages)) or ctx.languages
    # This command's own output, not a store of the instance's data: built here, so that a run that
    # prints it never builds the services (importing them costs more than the 100 ms such a run takes).
    remembered = RememberedCoverage(
        ctx.settings["INSTANCE_DIR"], ctx.layout, selected, output_format, database_path(ctx.settings["INSTANCE_DIR"]),
        revalidate_every=ctx.settings["COVERAGE_REVALIDATE_EVERY"], timezone=ctx.settings["TIMEZONE"],
        remember=not ctx.settings["READERS_ONLY"])
    output = remembered.recall()
    if output is None:
        output = _coverage_output(ctx, selected, output_format)
        remembered.remember(output)
    click.echo(output.data, nl=False)
    for error in output.errors:
        click.echo(f"error: {error}", err=True)
    failing = output.failing(fail_under) if fail_under is not None else []
    for percent, name in failing:
        click.echo(f"below {fail_under:g}%: {name} ({percent:.1f}%)", err=True)
    if failing or output.errors:
        sys.exit(1)


def _coverage_output(ctx: Context, languages: list[str], output_format: str) -> CoverageOutput:
    """Compute the coverage of ``languages`` from the catalogs' figures and the history, as ``output_format``."""
    from .domain import coverage as coverage_figures

    transitions = ctx.services.history.state_transitions() if ctx.services.has_history() else ()
    report = coverage_figures.coverage_report(ctx.services.figures.figures(languages), languages, transitions)
    if output_format == "json":
        text = json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n"
    elif output_format == "csv":
        text = coverage_figures.to_csv(report.catalogs)
    else:
        text = _coverage_table(report, ctx.settings["TIMEZONE"])
    below = [(row.percent, f"{row.language} {row.domain}") for row in coverage_figures.below(report.catalogs, 100)]
    return CoverageOutput(text.encode("utf-8"), list(report.errors), below)


def _coverage_table(report: CoverageReport, timezone: str) -> str:
    """Return the coverage as an aligned table (times in ``timezone``), then the totals per language."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(timezone)
    headings = ("lang", "domain", "state", "translated", "fuzzy", "untranslated", "complete",
                "words tr/all", "percent", "stale since", "facts")
    lines = [[row.language, row.domain, row.state, str(row.translated), str(row.fuzzy), str(row.untranslated),
              str(row.complete), f"{row.words_translated}/{row.words}", f"{row.percent:.1f}%",
              row.stale_since.astimezone(zone).strftime("%Y-%m-%d %H:%M") if row.stale_since else "-",
              str(row.facts_changed) if row.facts_changed else "-"] for row in report.catalogs]
    numeric = {3, 4, 5, 6, 7, 8, 10}
    widths = [max([len(heading)] + [len(line[index]) for line in lines]) for index, heading in enumerate(headings)]

    def render(cells: list[str] | tuple[str, ...]) -> str:
        return "  ".join(cell.rjust(widths[index]) if index in numeric else cell.ljust(widths[index])
                         for index, cell in enumerate(cells)).rstrip()

    table = "".join(render(line) + "\n" for line in [list(headings), *lines])
    totals = "".join(
        f"{total.language}: {total.percent:.1f}% of {total.translated + total.fuzzy + total.untranslated} messages "
        f"translated, {total.words_translated}/{total.words} words; articles: {total.articles_complete} complete, "
        f"{total.articles_stale} stale, {total.articles_incomplete} not published\n"
        for total in report.totals)
    return table + "\n" + totals  # a blank line between the table and the totals


@main.command(context_settings={"ignore_unknown_options": True})  # gunicorn's own options pass through
@click.option("--bind", "-b", default=None, help="host:port to listen on (default 127.0.0.1:$PORT, PORT=8000)")
@click.option("--workers", "-w", type=click.IntRange(min=1), default=None, help="worker processes (default: 2 × CPUs + 1, at most 8)")
@click.option("--readers-only", is_flag=True, default=None,
              help="a reader replica: reader pages only, nothing written (READERS_ONLY)")
@click.argument("gunicorn_args", nargs=-1, type=click.UNPROCESSED)
@pass_context
def serve(ctx: Context, bind: str | None, workers: int | None, readers_only: bool | None,
          gunicorn_args: tuple[str, ...]) -> None:
    """Compile what a fresh checkout lacks, then run the production server (gunicorn).

    The archive's listing (every source's front matter, every article catalog's figures) is
    read once at start, not by every worker: beside the workers, remembered in INSTANCE_DIR.
    With --readers-only (or READERS_ONLY=1) nothing is compiled: a replica writes nothing
    and serves the .mo files that arrive with its copy of locales/; it reads the listing in
    gunicorn's master before the workers start, and keeps it in memory. Extra arguments go to gunicorn.
    """
    from . import pipeline
    from .bootstrap import prepare_tree, read_archive_in_background
    from .storage.parallel_reads import available_cpus

    ctx.require_locales()
    if not ctx.settings["CONTENT_DIR"].is_dir():  # else an empty site is served, and /healthz says ok
        raise click.ClickException(f"{ctx.settings['CONTENT_DIR']}: the content directory does not exist (CONTENT_DIR)")
    bind = bind or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
    _refuse_a_bad_port(bind)
    _refuse_a_taken_address(bind)
    if readers_only:
        os.environ["L10N_READERS_ONLY"] = "1"  # for create_app in gunicorn's workers
    replica = bool(readers_only or ctx.settings["READERS_ONLY"])
    if replica:
        for path in pipeline.compile_all(ctx.services.catalogs, only_outdated=True, dry_run=True).written:
            click.echo(f"warning: {path} is missing or older than its catalog (readers-only compiles nothing: "
                       "bring the .mo files with the replica, or run l10n compile where it syncs)", err=True)
    else:
        for error in prepare_tree(ctx.services).errors:
            click.echo(f"error: {error}", err=True)  # that catalog serves its last compiled text, or none
        read_archive_in_background(ctx.services, available_cpus())

    workers = workers or min(2 * (os.cpu_count() or 1) + 1, 8)
    click.echo(f"serving on http://{bind}/ with {workers} workers", err=True)
    os.execv(sys.executable, gunicorn_command(bind, workers, gunicorn_args, preload=replica))


def _refuse_a_bad_port(bind: str) -> None:
    """Stop with one line when ``bind``'s port is not one (gunicorn would end in a traceback for ``:99999``)."""
    if bind.startswith(("unix:", "fd://")) or bind.endswith("]") or ":" not in bind:
        return  # a socket file, a file descriptor, or a host alone (gunicorn's port 8000)
    port = bind.rpartition(":")[2]
    if not (port.isdigit() and 0 < int(port) < 65536):
        raise click.ClickException(f"{bind}: the port must be a number from 1 to 65535 (--bind HOST:PORT, or PORT)")


def _refuse_a_taken_address(bind: str) -> None:
    """Stop with one line when ``bind`` cannot be listened on (gunicorn would retry for 5 s, then exit).

    Only a ``HOST:PORT`` is tried, the way gunicorn binds it (``SO_REUSEADDR``), and let go at
    once; a name that does not resolve is left for gunicorn to report.
    """
    import socket

    if bind.startswith(("unix:", "fd://")) or bind.endswith("]") or ":" not in bind:
        return
    host, _colon, port = bind.rpartition(":")
    try:
        family, kind, protocol, _name, address = socket.getaddrinfo(host.strip("[]") or None, int(port),
                                                                    type=socket.SOCK_STREAM)[0]
    except (OSError, ValueError):
        return
    with socket.socket(family, kind, protocol) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            raise click.ClickException(f"{bind}: cannot listen there ({error.strerror or error}); "
                                       "is another server running on that port? (--bind HOST:PORT, or PORT)") from None


def gunicorn_command(bind: str, workers: int, gunicorn_args: tuple[str, ...], preload: bool = False) -> list[str]:
    """Return the gunicorn command line ``l10n serve`` runs.

    With ``preload`` (a replica, which can remember nothing in files) the app is loaded once,
    in gunicorn's master, which reads the archive's listing before forking the workers
    (``service.serving_app``): they share it. A ``HUP`` then starts new workers on the code
    the master loaded; restart the server to run new code.

    gunicorn's control socket is off unless asked for (``--control-socket PATH``): its default,
    ``~/.gunicorn/gunicorn.ctl``, is one file for every server a user runs, so a second
    instance on the machine (a readers' pool beside the editing pool, a test's server) would
    take it over, and either one's stop would remove it.
    """
    asked = any(arg.startswith(("--control-socket", "--no-control-socket")) for arg in gunicorn_args)
    control = [] if asked else ["--no-control-socket"]
    app = ["--preload", "service:serving_app()"] if preload else ["service:create_app()"]
    return [sys.executable, "-m", "gunicorn", "--bind", bind, "--workers", str(workers),
            "--access-logfile", "-", *control, *gunicorn_args, *app]


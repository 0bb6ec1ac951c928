"""``l10n users set-role`` and ``l10n users log``: change who may do what, and read the security log."""
from __future__ import annotations

import json

import click

from .cli import CLI_ADDRESS, Context, pass_context, users
from .storage.accounts import ROLES, AccountError
from .storage.security_log import EVENTS


@users.command("set-role")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--language", "languages", multiple=True, metavar="LANG", help="a language a translator works on (repeatable)")
@pass_context
def users_set_role(ctx: Context, name: str, role: str, languages: tuple[str, ...]) -> None:
    """Change an account's role and languages (signing it out everywhere)."""
    unknown = [language for language in languages if language not in ctx.languages]
    if unknown:
        raise click.BadParameter(f"{', '.join(unknown)} not in LANGUAGES ({', '.join(ctx.languages)})",
                                 param_hint="--language")
    try:
        user = ctx.services.accounts.set_role(name, role, languages)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    ctx.services.security_log.record("role-changed", name, CLI_ADDRESS, role=role, languages=",".join(languages))
    click.echo(f"{user.name}\t{user.role}\t{','.join(user.languages) or '*'}")


@users.command("log")
@click.option("--limit", type=click.IntRange(1, 100_000), default=50, show_default=True, help="how many events, newest first")
@click.option("--event", type=click.Choice(EVENTS), help="only events of this kind")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table")
@pass_context
def users_log(ctx: Context, limit: int, event: str | None, output_format: str) -> None:
    """Show the security log: sign-ins, refusals, account changes, saves and uploads, newest first."""
    events = ctx.services.security_log.latest(limit, event)
    if output_format == "json":
        click.echo(json.dumps([item.as_json() for item in events], ensure_ascii=False, indent=2))
        return
    for item in events:
        details = " ".join(f"{key}={value}" for key, value in sorted(item.details.items()))
        click.echo(f"{item.at.isoformat(timespec='seconds')}\t{item.event}\t{item.user}\t{item.address}\t{details}".rstrip())

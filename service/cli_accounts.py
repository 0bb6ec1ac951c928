"""``l10n users``: add and remove accounts, change who may do what, and read the security log.

Loaded by the ``l10n`` group when a command it does not define is asked for, so that a
command such as ``l10n coverage`` starts without the accounts' database code.
"""
from __future__ import annotations

import json

import click

from .cli import CLI_ADDRESS, Context, main, pass_context
from .storage.accounts import ROLES, AccountError
from .storage.security_log import EVENTS


@main.group()
def users() -> None:
    """Manage accounts: add, list, remove, reset-password, reset-token, set-role, log."""


def _check_languages(ctx: Context, languages: tuple[str, ...]) -> None:
    """Refuse a ``--language`` that is not one of ``LANGUAGES``, naming it."""
    unknown = [language for language in languages if language not in ctx.languages]
    if unknown:
        raise click.BadParameter(f"{', '.join(unknown)} not in LANGUAGES ({', '.join(ctx.languages)})",
                                 param_hint="--language")


@users.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--language", "languages", multiple=True, metavar="LANG", help="a language a translator works on (repeatable)")
@pass_context
def users_add(ctx: Context, name: str, role: str, languages: tuple[str, ...]) -> None:
    """Add an account; print its generated password and API token (shown only now)."""
    _check_languages(ctx, languages)
    try:
        credentials = ctx.services.accounts.add_user(name, role, languages)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    ctx.services.security_log.record("user-added", name, CLI_ADDRESS, role=role, languages=",".join(languages))
    click.echo(f"password: {credentials.password}")
    click.echo(f"token: {credentials.token}")


@users.command("list")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table")
@pass_context
def users_list(ctx: Context, output_format: str) -> None:
    """List the accounts with their roles and languages."""
    rows = [{"name": user.name, "role": user.role, "languages": list(user.languages)} for user in ctx.services.accounts.users()]
    if output_format == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['name']}\t{row['role']}\t{','.join(row['languages']) or '*'}")


@users.command("remove")
@click.argument("name")
@pass_context
def users_remove(ctx: Context, name: str) -> None:
    """Remove an account (its history stays)."""
    try:
        ctx.services.accounts.remove_user(name)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    ctx.services.security_log.record("user-removed", name, CLI_ADDRESS)
    click.echo(f"removed {name}")


@users.command("reset-password")
@click.argument("name")
@pass_context
def users_reset_password(ctx: Context, name: str) -> None:
    """Give an account a new generated password (signing it out everywhere); print it."""
    try:
        click.echo(f"password: {ctx.services.accounts.reset_password(name)}")
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    ctx.services.security_log.record("password-reset", name, CLI_ADDRESS)


@users.command("reset-token")
@click.argument("name")
@pass_context
def users_reset_token(ctx: Context, name: str) -> None:
    """Give an account a new API token (the old one stops working); print it."""
    try:
        click.echo(f"token: {ctx.services.accounts.reset_token(name)}")
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    ctx.services.security_log.record("token-reset", name, CLI_ADDRESS)


@users.command("set-role")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--language", "languages", multiple=True, metavar="LANG", help="a language a translator works on (repeatable)")
@pass_context
def users_set_role(ctx: Context, name: str, role: str, languages: tuple[str, ...]) -> None:
    """Change an account's role and languages (signing it out everywhere)."""
    _check_languages(ctx, languages)
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

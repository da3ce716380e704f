"""The `edition` command: check, build, pdf, serve, new, import.

Each command is a thin shell around one pipeline stage's function; the exit status says whether it
succeeded (0), found errors in the edition (1) or could not start (2, e.g. a broken edition.toml).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from edition import __version__
from edition.config import Config, ConfigError, load_config


def _config(root: Path) -> Config:
    try:
        return load_config(root)
    except ConfigError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="edition")
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    envvar="EDITION_ROOT",
    help="The edition's folder (where edition.toml is).",
)
@click.pass_context
def main(context: click.Context, root: Path) -> None:
    """Build and check the TEI edition."""
    context.obj = root


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--warnings/--no-warnings", default=True, help="Show warnings as well as errors.")
@click.pass_obj
def check(root: Path, paths: tuple[Path, ...], warnings: bool) -> None:
    """Validate TEI files (RELAX NG, Schematron, rules across documents).

    Prints every problem as FILE:LINE:COL: error|warning: message [rule-id], then a summary. With PATHS,
    reports only those files (the whole corpus is still read, since rules span documents).
    """
    from edition.check.runner import check_edition

    config = _config(root)
    result = check_edition(config, list(paths) if paths else None)
    shown = result.report.problems if warnings else result.report.errors
    for problem in shown:
        click.echo(problem.format(Path.cwd()))
    click.echo(result.report.summary(result.files))
    sys.exit(0 if result.report.ok else 1)


def _build(root: Path, targets: tuple[str, ...]) -> None:
    from edition.build import BuildError, build, terminal_progress

    config = _config(root)
    try:
        result = build(config, targets, progress=terminal_progress)
    except BuildError as error:
        if error.report is not None:
            for problem in error.report.errors:
                click.echo(problem.format(Path.cwd()), err=True)
        click.echo(f"build failed: {error}; the previous build/ is unchanged", err=True)
        sys.exit(1)
    for problem in result.report.warnings:
        click.echo(problem.format(Path.cwd()), err=True)
    timings = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in result.timings.items())
    click.echo(
        f"built {len(result.corpus.documents)} documents into {config.build_dir} ({timings})"
    )


@main.command("build")
@click.option(
    "--only",
    "only",
    type=click.Choice(["site", "pdf"]),
    multiple=True,
    help="Build only this part (repeatable): site (HTML pages and harvesting files) or pdf; "
    "the other is kept from the previous build.",
)
@click.pass_obj
def build_command(root: Path, only: tuple[str, ...]) -> None:
    """Check the edition, then build the HTML site, harvesting files and PDF into build/."""
    _build(root, only or ("site", "pdf"))


@main.command()
@click.pass_obj
def pdf(root: Path) -> None:
    """Build only the PDF critical edition (build/pdf/)."""
    _build(root, ("pdf",))


# --- editing: new, import ------------------------------------------------------------------------


@main.command()
@click.option(
    "--type",
    "kind",
    type=click.Choice(["letter", "telegram", "cable", "message"]),
    default="letter",
    show_default=True,
    help="What the document is.",
)
@click.option("--from", "sender", required=True, help="Register key of the sender (person or org).")
@click.option("--to", "recipient", required=True, help="Register key of the recipient.")
@click.option("--date", "date", required=True, help="Date of sending, YYYY-MM-DD.")
@click.option("--place", default=None, help="Register key of the place of writing.")
@click.option("--source", default=None, help="Register key of the source (sources register).")
@click.option(
    "--link",
    is_flag=True,
    help="Write the previous/next links into the new file and into both neighbours.",
)
@click.option(
    "--today",
    default=None,
    hidden=True,
    help="The date recorded in revisionDesc/change (default: today).",
)
@click.pass_obj
def new(
    root: Path,
    kind: str,
    sender: str,
    recipient: str,
    date: str,
    place: str | None,
    source: str | None,
    link: bool,
    today: str | None,
) -> None:
    """Create a skeleton for a new document in tei/, by the edition's conventions.

    The file is named <from>-<to>-YYYY-MM-DD.xml (-b, -c … when taken), its header filled from the
    registers, its status "draft"; what you must still write is marked TODO. The previous and next
    documents between the same two correspondents are suggested, and with --link written into both.
    """
    from edition.editing import load_for_editing
    from edition.editing.errors import EditingError
    from edition.editing.new import NewRequest, parse_today, plan_new, suggestion_lines, write_new

    corpus, unreadable = load_for_editing(_config(root))
    for line in unreadable:
        click.echo(f"warning: {line}", err=True)
    try:
        request = NewRequest(kind, sender, recipient, date, place, source, link, parse_today(today))
        plan = plan_new(corpus, request)
        write_new(plan)
    except EditingError as error:
        click.echo(f"error: {error}; nothing was written", err=True)
        sys.exit(2)
    click.echo(f"created {_shown(plan.path)}")
    for path in plan.edits:
        click.echo(f"linked {_shown(path)}")
    for line in suggestion_lines(corpus, plan, link):
        click.echo(f"  {line}")
    if source is None:
        click.echo(
            '  source: not given; give the bibl corresp="source:KEY" (a key of '
            "tei/register/sources.xml), or create the file with --source KEY"
        )
    click.echo(f"next: fill in the TODO places, then run: edition check {_shown(plan.path)}")


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port (0: any free port; the address is printed).",
)
@click.option(
    "--watch",
    is_flag=True,
    help="Rebuild the site when a file in tei/, xslt/, schema/, the templates or edition.toml "
    "changes, and reload the open pages; errors show in the terminal and on the page.",
)
@click.option(
    "--watch-pdf",
    is_flag=True,
    help="With --watch, rebuild the PDF too (slower; by default only the site).",
)
@click.pass_obj
def serve(root: Path, host: str, port: int, watch: bool, watch_pdf: bool) -> None:
    """Serve the built site and its OAI-PMH endpoint (/oai) over HTTP.

    Serves build/site as built by `edition build`. Resumption tokens are signed with the secret in the
    environment variable EDITION_OAI_SECRET, or else with a key kept in ~/.local/state/edition/.
    With --watch, builds first, then rebuilds what changed after every save; a build that fails the
    check leaves the last good build served.
    """
    from edition.server import ServerError, serve_edition

    config = _config(root)
    try:
        serve_edition(config, host, port, watch=watch or watch_pdf, watch_pdf=watch_pdf)
    except ServerError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)


@main.group("import")
def import_group() -> None:
    """Convert documents from other editions into this edition's encoding."""


@import_group.command("frus")
@click.argument("volume", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--doc",
    "documents",
    multiple=True,
    required=True,
    help="FRUS document id, e.g. d63 (repeatable).",
)
@click.option(
    "--letter",
    "letters",
    multiple=True,
    metavar="DOC=FROM,TO",
    help="Who wrote the letter a telegram carries, to whom (register keys), where the text "
    "does not say, e.g. d65=khrushchev,kennedy (repeatable).",
)
@click.option("--force", is_flag=True, help="Replace documents the edition already holds.")
@click.option("--dry-run", is_flag=True, help="Convert and report, but write nothing.")
@click.option("--today", default=None, hidden=True, help="The date recorded in revisionDesc.")
@click.pass_obj
def import_frus(
    root: Path,
    volume: Path,
    documents: tuple[str, ...],
    letters: tuple[str, ...],
    force: bool,
    dry_run: bool,
    today: str | None,
) -> None:
    """Convert documents of a FRUS volume (the Office of the Historian's TEI) into tei/.

    VOLUME is a volume file of github.com/HistoryAtState/frus, e.g. volumes/frus1961-63v06.xml.
    Every document given with --doc is converted, or none is: on any error nothing is written.
    """
    from edition.editing import load_for_editing
    from edition.editing.errors import EditingError
    from edition.editing.frus import (
        ImportRequest,
        describe,
        parse_letters,
        plan_import,
        write_import,
    )
    from edition.editing.new import parse_today

    config = _config(root)
    corpus, unreadable = load_for_editing(config)
    for line in unreadable:
        click.echo(f"warning: {line}", err=True)
    try:
        request = ImportRequest(
            volume, documents, parse_letters(letters), force, parse_today(today)
        )
        plan = plan_import(corpus, request)
        if not dry_run:
            write_import(plan)
    except EditingError as error:
        click.echo(f"error: {error}; nothing was written", err=True)
        sys.exit(2)
    for warning in plan.warnings:
        click.echo(f"warning: {warning}", err=True)
    verb = "would write" if dry_run else "wrote"
    for line in describe(plan, Path.cwd()):
        click.echo(f"{verb} {line}")
    for item in plan.documents:
        for kind, other, counterpart in (("prev", item.prev, "next"), ("next", item.next, "prev")):
            if other is not None:
                click.echo(
                    f"  {item.id}: suggested {kind} {other[0]} ({other[1]}): add "
                    f'<ref type="{kind}" target="doc:{other[0]}"> to its correspContext and '
                    f'<ref type="{counterpart}" target="doc:{item.id}"> to {other[0]}.xml'
                )

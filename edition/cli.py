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
    click.echo(result.report.summary(result.files), err=not result.report.ok)
    sys.exit(0 if result.report.ok else 1)

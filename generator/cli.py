"""Command line: `gongkai build`, `gongkai init`. Parses arguments, prints problems, sets exit codes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator import __version__
from generator.build import build_site
from generator.problems import ProblemsFound
from generator.scaffold import ScaffoldError, scaffold

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except ProblemsFound as found:
        count = len(found.problems)
        print(f"error: {count} problem{'s' if count > 1 else ''} found; nothing was written.", file=sys.stderr)
        for problem in found.problems:
            print(problem, file=sys.stderr)
        return EXIT_PROBLEMS


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gongkai", description="Static archive of government disclosure reports.")
    parser.add_argument("--version", action="version", version=f"gongkai {__version__}")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="COMMAND")

    build = verbs.add_parser("build", help="render content/ into a static site")
    build.add_argument("--root", type=Path, default=Path.cwd(), help="folder holding config.yaml (default: .)")
    build.add_argument("--out", type=Path, help="output folder (default: output_dir in config.yaml)")
    loudness = build.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    loudness.add_argument("-v", "--verbose", action="store_true", help="also show time per stage")
    build.set_defaults(run=_build)

    init = verbs.add_parser("init", help="start a new archive in DIR")
    init.add_argument("dir", type=Path)
    init.set_defaults(run=_init)
    return parser


def _build(args: argparse.Namespace) -> int:
    result = build_site(args.root.absolute(), args.out)
    if args.quiet:
        return EXIT_OK
    withheld = f", {len(result.withheld)} withheld" if result.withheld else ""
    print(f"Built {_count(result.reports, 'report')}{withheld}, {_count(result.pages, 'page')} "
          f"in {result.seconds:.2f} s → {result.out}")
    for item in result.withheld:
        print(f"  withheld {item.id}: {item.reason}")
    if args.verbose:
        print("  " + ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in result.stages))
    return EXIT_OK


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _init(args: argparse.Namespace) -> int:
    try:
        created = scaffold(args.dir)
    except ScaffoldError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_USAGE
    print(f"Created a new archive in {created}. Next: cd {created} && gongkai build")
    return EXIT_OK

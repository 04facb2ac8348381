"""Command line: `gongkai build`, `gongkai check`, `gongkai serve`, `gongkai init`, `gongkai import`.

Parses arguments, prints problems, sets exit codes.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from pathlib import Path
from typing import NoReturn

from generator import __version__
from generator.build.content import Withheld
from generator.core.problems import Problem, ProblemsFound
from generator.core.processes import no_cycle_collection
from generator.pipeline import CheckResult, build_site, check_site
from generator.scaffold import EXAMPLE_NAME, ScaffoldError, scaffold
from generator.serve.server import CannotListen, serve

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def run() -> NoReturn:
    """The ``gongkai`` command: ``main``, then the process ends at once, its output flushed. A build
    leaves millions of objects behind; freeing them one by one as the interpreter shuts down takes a
    second and serves nothing."""
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # A build makes millions of small objects that all live until it ends: collecting cycles among
    # them every 700 allocations costs a tenth of a rebuild and frees nothing.
    gc.set_threshold(50_000, 20, 100)
    try:
        return args.run(args)
    except ProblemsFound as found:
        print(f"error: {_count(len(found.problems), 'problem')} found; nothing was written.", file=sys.stderr)
        for problem in found.problems:
            print(problem, file=sys.stderr)
        return EXIT_PROBLEMS


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gongkai", description="Static archive of government disclosure reports.")
    parser.add_argument("--version", action="version", version=f"gongkai {__version__}")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="COMMAND")

    build = verbs.add_parser("build", help="render content/ into a static site")
    _project_arguments(build)
    loudness = build.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    loudness.add_argument("-v", "--verbose", action="store_true", help="also show time per stage")
    build.add_argument(
        "--no-cache",
        action="store_true",
        help="render every page and make every search file again, ignoring what the last build left",
    )
    build.add_argument(
        "--drafts",
        action="store_true",
        help="also build the reports marked `draft: true`, each with a 草稿 banner, into the output folder's "
        "name + -drafts (site-drafts/) unless --out is given: a preview to check them, never a site to publish",
    )
    build.set_defaults(run=_build)

    check = verbs.add_parser("check", help="find every problem a build would, without writing anything")
    _project_arguments(check)
    check.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    check.add_argument(
        "--missing",
        type=int,
        nargs="?",
        const=20,
        default=0,
        metavar="N",
        help="also list the N 文号 most cited by reports but not in the archive (default 20)",
    )
    check.set_defaults(run=_check)

    serve = verbs.add_parser("serve", help="build, serve on this computer, rebuild and reload on every edit")
    _root_argument(serve)
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this computer only); against DNS "
        "rebinding, only requests whose Host is localhost, a loopback address or this host are "
        "answered, and with 0.0.0.0 or :: also any IP address",
    )
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    serve.add_argument("--open", action="store_true", help="open the site in a browser")
    serve.add_argument(
        "--poll", action="store_true", help="look for changes by polling, for network and container mounts"
    )
    serve.set_defaults(run=_serve)

    init = verbs.add_parser("init", help="start a new archive in DIR")
    init.add_argument("dir", type=Path)
    init.set_defaults(run=_init)

    imports = verbs.add_parser("import", help="turn raw reports (.txt, .html) into content files")
    imports.add_argument("paths", type=Path, nargs="+", metavar="PATH", help="files, or folders to search")
    imports.add_argument(
        "--to", type=Path, default=Path("content"), metavar="DIR", help="content folder (default: content/)"
    )
    imports.add_argument("--encoding", metavar="ENC", help="read every file in this encoding instead of detecting it")
    imports.add_argument("--dry-run", action="store_true", help="show what would be written; write nothing")
    imports.add_argument("--force", action="store_true", help="overwrite files imported earlier from the same source")
    imports.add_argument("--report", type=Path, metavar="FILE", help="also write what needs a look as CSV")
    imports.add_argument(
        "--columns",
        metavar="FIELD=COLUMN,…",
        default="",
        help="for a scraper's table (.csv, .json, .jsonl; one report per row): the column each field is read "
        "from, e.g. title=标题,date=时间,body=内容,source_url=访问地址; columns named like 标题, 内容 or "
        "原文链接 are recognised without it",
    )
    imports.set_defaults(run=_import)
    return parser


def _root_argument(verb: argparse.ArgumentParser) -> None:
    verb.add_argument(
        "--root", type=Path, default=Path.cwd(), metavar="DIR", help="folder holding config.yaml (default: .)"
    )


def _project_arguments(verb: argparse.ArgumentParser) -> None:
    _root_argument(verb)
    verb.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: output_dir in config.yaml)")
    verb.add_argument(
        "--strict",
        action="store_true",
        help="treat withheld reports, and sums the template tables break (warnings), as problems",
    )


def _build(args: argparse.Namespace) -> int:
    with no_cycle_collection():
        result = build_site(
            args.root.absolute(), args.out, strict=args.strict, cache=not args.no_cache, drafts=args.drafts
        )
    if args.quiet:
        return EXIT_OK
    print(
        f"Built {_count(result.reports, 'report')}{_withheld(result.withheld)}, {_count(result.pages, 'page')} "
        f"in {result.seconds:.2f} s → {result.out}"
    )
    if result.drafts:
        print(f"  {_count(result.drafts, 'draft')} included: a preview, do not publish this folder")
    for item in result.withheld:
        print(f"  withheld {item.id}: {item.reason}")
    if result.warnings:
        listed = ":" if args.verbose else "; list them with -v, or with `gongkai check`"
        print(f"  {_count(len(result.warnings), 'warning')}, sums the template tables break{listed}")
    if args.verbose:
        print("\n".join(_warning_lines(result.warnings)))
        print("  " + ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in result.stages))
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    with no_cycle_collection():
        result = check_site(args.root.absolute(), args.out, strict=args.strict)
    wanted = result.wanted[: args.missing]
    print(
        json.dumps(_check_json(result, wanted), ensure_ascii=False, indent=2)
        if args.format == "json"
        else "\n".join([_check_text(result), *_wanted_text(wanted, args.missing)])
    )
    return EXIT_PROBLEMS if result.problems else EXIT_OK


def _check_text(result: CheckResult) -> str:
    lines = [line for item in result.withheld for line in _withheld_lines(item)]
    warned = [f"{_count(len(result.warnings), 'warning')} (they stop no build; --strict makes them problems):"]
    lines += [*warned, *_warning_lines(result.warnings)] if result.warnings else []
    if result.problems:
        return "\n".join([f"{_count(len(result.problems), 'problem')} found:", *map(str, result.problems), *lines])
    return "\n".join(
        [
            f"No problems: {_count(result.reports, 'report')}{_withheld(result.withheld)}, "
            f"{_count(result.pages, 'page')} would be built.",
            *lines,
        ]
    )


def _warning_lines(warnings: tuple[Problem, ...]) -> list[str]:
    return [f"  warning: {warning}".replace("\n", "\n  ") for warning in warnings]


def _withheld_lines(item: Withheld) -> list[str]:
    """A withheld report, and for a draft what keeps it from publication."""
    to_fix = [f"    to fix: {problem}".replace("\n", "\n  ") for problem in item.to_fix]
    return [f"  withheld {item.id}: {item.reason}", *to_fix]


def _wanted_text(wanted: tuple[tuple[str, int], ...], asked: int) -> list[str]:
    if not asked:
        return []
    if not wanted:
        return ["Every 文号 the reports cite is in the archive."]
    width = max(len(number) for number, _ in wanted)
    return [
        "Most cited 文号 not in the archive (what to collect next):",
        *(f"  {number:<{width}}  cited by {_count(count, 'report')}" for number, count in wanted),
    ]


def _check_json(result: CheckResult, wanted: tuple[tuple[str, int], ...] = ()) -> dict:
    return {
        "ok": not result.problems,
        "reports": result.reports,
        "pages": result.pages,
        "withheld": [
            {
                "id": item.id,
                "line": item.line,
                "reason": item.reason,
                "draft": item.draft,
                "to_fix": [_problem_json(problem) for problem in item.to_fix],
            }
            for item in result.withheld
        ],
        "problems": [_problem_json(problem) for problem in result.problems],
        "warnings": [_problem_json(warning) for warning in result.warnings],
        "missing": [{"doc_number": number, "cited_by": count} for number, count in wanted],
    }


def _problem_json(problem: Problem) -> dict:
    return {
        "file": problem.file,
        "line": problem.line,
        "field": problem.field,
        "found": problem.found,
        "expected": problem.expected,
        "message": problem.message,
        "hint": problem.hint,
    }


def _withheld(items: tuple) -> str:
    return f", {len(items)} withheld" if items else ""


def _serve(args: argparse.Namespace) -> int:
    try:
        serve(args.root.absolute(), args.host, args.port, args.open, args.poll)
    except CannotListen as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def _count(n: int, noun: str) -> str:
    """``1 report``, ``3 reports``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _init(args: argparse.Namespace) -> int:
    try:
        created = scaffold(args.dir)
    except ScaffoldError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_USAGE
    example = Path("content", EXAMPLE_NAME).as_posix()
    print(
        f"Created a new archive in {created}, with an example report in {example}: a draft, which no build "
        f"publishes until its `draft: true` line is removed.\n"
        f"Next: cd {created} && gongkai build --drafts, then open site-drafts/index.html to preview it"
    )
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    # Imported here: the importer's gazetteer and decoders would add a fifth to every build's start-up.
    from tqdm import tqdm

    from generator.importing.decoding import Undecodable, text_encoding
    from generator.importing.importer import find_sources, import_files
    from generator.importing.records import BadTable, parse_columns
    from generator.importing.summary import looks, summary, table, write_csv

    if args.encoding:
        try:
            text_encoding(args.encoding)  # refused once here rather than once for every file
        except Undecodable as err:
            print(f"error: {err.message}\n    hint: {err.hint}", file=sys.stderr)
            return EXIT_USAGE
    try:
        columns = parse_columns(args.columns)
    except BadTable as err:
        print(f"error: {err.message}\n    hint: {err.hint}", file=sys.stderr)
        return EXIT_USAGE
    sources, missing = find_sources(args.paths)
    progress = tqdm(
        sources, desc="importing", unit="file", disable=None if len(sources) > 20 else True, file=sys.stderr
    )
    items, refused = import_files(progress, args.to, args.encoding, args.force, args.dry_run, columns)
    problems = missing + refused
    rows = looks(items, problems)
    if args.dry_run:
        print("\n".join(table(items)))
    print("\n".join(summary(items, problems, rows, args.dry_run)))
    if args.report:
        write_csv(rows, args.report)
        print(f"Wrote {_count(len(rows), 'row')} to {args.report}")
    if problems:
        print(f"error: {_count(len(problems), 'file')} refused:", file=sys.stderr)
        for problem in problems:
            print(problem, file=sys.stderr)
    return EXIT_PROBLEMS if problems else EXIT_OK

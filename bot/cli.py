"""The `internal-hire` command."""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from core.errors import StoreError
from core.csv_files import csv_writer

DEMO_DEFAULT_USER = "E0002"   # James Lee, an engineering manager in the demo organisation


@contextmanager
def progress_bar(description: str, enabled: bool = True):
    """A tqdm bar on stderr (hidden when not a terminal or --quiet), fed by (done, total) callbacks."""
    bar = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            from tqdm import tqdm      # imported by the first update: a start with nothing to load never needs it

            bar = tqdm(total=total, desc=description, unit="profile", file=sys.stderr, disable=not enabled,
                       dynamic_ncols=True)
        if bar.total != total:      # an import's end moves when records turn out invalid or merge
            bar.total = total
        bar.n = done
        bar.refresh()

    try:
        yield update
    finally:
        if bar is not None:
            bar.close()


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="folder holding this organisation's data (default: $INTERNAL_HIRE_DATA_DIR or ./data)")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="internal-hire", description="Internal Hire: find internal candidates.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("chat", help="talk to the bot in the terminal, as a demo user")
    _common(p)
    p.add_argument("--as", dest="as_user", default=None, help=f"employee id, e-mail or name (default {DEMO_DEFAULT_USER})")

    p = sub.add_parser("search", help="rank candidates for a role description")
    _common(p)
    p.add_argument("query", help="role description, with optional dept:, -dept:, --open-only, level: options")
    p.add_argument("--limit", type=int, default=None, help="how many results (1-20)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--as", dest="as_user", default=None, help="search as this user (default: HR-admin visibility)")

    p = sub.add_parser("import", help="import employees (CSV, JSON, JSONL), resume files (.txt .md .pdf .docx), or "
                                      "company knowledge (a companies folder or {\"companies\": [...]} JSON)")
    _common(p)
    p.add_argument("path", type=Path)
    p.add_argument("--json", action="store_true", help="print the summary as JSON")

    p = sub.add_parser("jd", help="job descriptions: prepare the instant drafts, or show the queue and AI usage")
    p.add_argument("action", choices=("prepare", "status"))
    p.add_argument("--force", action="store_true", help="prepare: rebuild every draft set, changed or not")
    _common(p)

    p = sub.add_parser("demo", help="(re)load the demo organisation, its companies and prepared JD drafts")
    _common(p)
    p.add_argument("--size", type=int, default=360)

    p = sub.add_parser("reindex", help="re-embed profiles (after changing the embedder)")
    _common(p)
    p.add_argument("--changed-only", action="store_true", help="only profiles not yet embedded by the current model")

    p = sub.add_parser("db", help="database schema: migrate or show status")
    p.add_argument("action", choices=("migrate", "status"))
    _common(p)

    p = sub.add_parser("serve", help="run the Slack / Teams server (one aiohttp server, /healthz)")
    _common(p)
    p.add_argument("--port", type=int, default=None, help="port to listen on (default $PORT or 3978)")
    p.add_argument("--host", default=None, help="interface to bind (default $HOST or 0.0.0.0)")

    p = sub.add_parser("teams-package", help="build the Teams app package (manifest.json + icons) to upload")
    _common(p)
    p.add_argument("--app-id", default=None, help="the bot's Microsoft app id (default $TEAMS_APP_ID)")
    p.add_argument("--host", required=True, help="public host name of the server, e.g. hire.example.com")
    p.add_argument("--output", type=Path, default=Path("internal-hire-teams.zip"))

    p = sub.add_parser("fairness", help="(HR) self-reported demographics and the impact-ratio report")
    fair = p.add_subparsers(dest="fairness_command", required=True, metavar="ACTION")
    q = fair.add_parser("demographics", help="import, show or delete HR's self-reported demographics")
    q.add_argument("action", choices=("import", "status", "delete"))
    q.add_argument("file", nargs="?", type=Path, help="import: CSV with employee_id (or email) and one column per "
                                                      "category, e.g. sex, age_band")
    q.add_argument("--replace", action="store_true", help="import: replace everyone's demographics with this file")
    q.add_argument("--yes", action="store_true", help="delete: do not ask for confirmation")
    q.add_argument("--as", dest="as_user", default=None, help="the HR admin doing it (default: the command line)")
    _common(q)
    q = fair.add_parser("report", help="selection rates, impact ratios and the four-fifths flag per group and stage")
    q.add_argument("--from", dest="since", type=_date_arg, default=None, help="first day, YYYY-MM-DD (default: a "
                                                                             "year before --to)")
    q.add_argument("--to", dest="until", type=_date_arg, default=None, help="last day, YYYY-MM-DD (default: today)")
    q.add_argument("--format", choices=("text", "csv", "json"), default="text")
    q.add_argument("--chart", type=Path, default=None, metavar="DIR", help="also write the impact-ratio chart (PNG)")
    q.add_argument("--population", choices=("all", "open"), default="all",
                   help="all: everyone with a searchable profile; open: people open to internal moves")
    q.add_argument("--intersect", default=None, metavar="A,B", help="also report two categories crossed, e.g. "
                                                                    "sex,age_band")
    q.add_argument("--lang", choices=("en", "ko"), default="en", help="language of the text and the chart")
    q.add_argument("--output", type=Path, default=None, help="file to write (default: standard output)")
    q.add_argument("--as", dest="as_user", default=None, help="the HR admin running it (default: the command line)")
    _common(q)

    p = sub.add_parser("digest", help="the weekly talent digest: preview one person's, or list this week's")
    dig = p.add_subparsers(dest="digest_command", required=True, metavar="ACTION")
    q = dig.add_parser("preview", help="write one person's digest (Markdown + PNG charts) into a folder")
    q.add_argument("--as", dest="as_user", required=True, help="whose digest (id, e-mail or display name)")
    q.add_argument("--out", type=Path, required=True, help="folder to write digest .md and .png files into")
    q.add_argument("--lang", choices=("en", "ko"), default=None, help="language (default: the person's)")
    _common(q)
    q = dig.add_parser("send", help="run this week's digest now, once per person and week (the weekly job)")
    q.add_argument("--dry-run", action="store_true", help="list who would get a digest and what it holds; send nothing")
    q.add_argument("--out", type=Path, default=None,
                   help="also write digests for people no chat platform reaches into this folder (without Slack "
                        "or Teams configured: always, default DATA_DIR/digests)")
    _common(q)

    p = sub.add_parser("feedback", help="the feedback loop: export the 👍/👎 votes and recorded moves, or the week's numbers")
    fb = p.add_subparsers(dest="feedback_command", required=True, metavar="ACTION")
    q = fb.add_parser("export", help="every vote and recorded outcome (CSV safe for spreadsheets, or JSON)")
    q.add_argument("--format", choices=("csv", "json"), default="csv")
    q.add_argument("--output", type=Path, default=None, help="file to write (default: standard output)")
    _common(q)
    q = fb.add_parser("week", help="the last 7 days' 👍/👎 ratio and mobility funnel, beside the 7 days before")
    _common(q)

    p = sub.add_parser("audit", help="export the search audit log (HR)")
    _common(p)
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("--output", type=Path, default=None, help="file to write (default: standard output)")
    return parser


def _date_arg(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; use YYYY-MM-DD") from None


def _settings(args):
    from bot.settings import load_settings

    return load_settings(INTERNAL_HIRE_DATA_DIR=args.data_dir)


def _app(args, check_embedder: bool = True, autoload: bool = True):
    from bot.bootstrap import build_app, ensure_demo_data

    app = build_app(_settings(args), check_embedder=check_embedder)
    if autoload:
        with progress_bar("Loading demo organisation", not args.quiet) as update:
            report = ensure_demo_data(app, update)
        if report is not None:
            where = (app.settings.data_dir if app.store.backend_name == "sqlite"
                     else app.store.capabilities().get("server", app.store.backend_name))
            print(f"Loaded the demo organisation ({report.added} employees) into {where}.", file=sys.stderr)
    return app


def _resolve_actor(app, key: str | None, default_hr: bool = False):
    from core.domain import Employee, Role

    if key:
        actor = app.store.find_employee(key)
        if actor is None:
            raise SystemExit(f"error: no employee matches --as {key!r} (use an id, e-mail or display name)")
        return actor
    if default_hr:
        return Employee(id="cli", display_name="command line", role=Role.HR_ADMIN)
    actor = app.store.find_employee(DEMO_DEFAULT_USER)
    if actor is None:
        raise SystemExit("error: the default demo user is missing; pass --as <employee id>")
    return actor


def cmd_chat(args) -> int:
    from bot.local_chat import LocalChat

    app = _app(args)
    app.watch_models()            # with a key: each configured model is asked for once now, then daily
    chat = LocalChat(app, _resolve_actor(app, args.as_user))
    app.warm_up_in_background()   # the prompt shows now; the router, index and models load while one types
    chat.run()
    return 0


# How each search outcome ends the command (results 0; a refusal by the request check 4, as documented).
_SEARCH_EXIT = {"results": 0, "blocked": 4, "refused": 3, "bad_option": 2, "needs_description": 2,
                "unknown_department": 2, "unknown_location": 2}


def cmd_search(args) -> int:
    """The same search use case and the same messages as the chat (core.search, handlers.find_candidates)."""
    from cards.text import render_text
    from core.search import SearchResult, outcome_dict
    from handlers.requests import Request

    limit_chars = _settings(args).max_request_chars
    if len(args.query) > limit_chars:       # before the organisation is even loaded: refused in milliseconds
        from core.text import request_language
        from handlers.messages import t

        lang = request_language(args.query[:2000])
        print("error: " + t("request_too_long", lang, chars=f"{len(args.query):,}", limit=f"{limit_chars:,}"),
              file=sys.stderr)
        return 2
    app = _app(args)
    actor = _resolve_actor(app, args.as_user, default_hr=True)
    presenter = app.find_candidates        # the router's presenter, without building the router (cold start)
    outcome = presenter.use_case.search(actor, args.query, limit=args.limit, action="cli_search")
    data = outcome_dict(outcome)
    kind = data["outcome"]
    if not isinstance(outcome, SearchResult):
        reply = presenter.present(outcome, Request(actor=actor, platform="cli"))
        data["message"] = render_text(reply.cards, width=1000)[0].strip("\n")
        if not args.json:
            print(render_text(reply.cards)[0].strip("\n"), file=sys.stderr)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    if args.json or not isinstance(outcome, SearchResult):
        return _SEARCH_EXIT[kind]
    for rank, c in enumerate(outcome.page.candidates, start=1):
        matched = ", ".join(m.name for m in c.matched) or "—"
        print(f"{rank:>2}. {c.score:>3}  {c.employee_id}  {c.display_name} — {c.title} ({c.department})  "
              f"matches: {matched}" + (f"  missing: {', '.join(c.missing)}" if c.missing else ""))
    if not outcome.page.candidates:
        from handlers.messages import t

        print(t("no_results", outcome.lang), file=sys.stderr)
    return 0


def cmd_import(args) -> int:
    from core.jd.knowledge import looks_like_company_knowledge

    app = _app(args, autoload=False)
    if looks_like_company_knowledge(args.path):
        with progress_bar(f"Importing company knowledge from {args.path.name}", not args.quiet) as update:
            knowledge = app.jd_service.import_knowledge(args.path, update)
        with progress_bar("Preparing instant drafts", not args.quiet) as update:
            prepared = app.jd_service.prepare(knowledge.company_ids, progress=update)
        if args.json:
            print(json.dumps({**knowledge.as_dict(), "prepared": prepared.as_dict()}, ensure_ascii=False, indent=2))
        else:
            print(knowledge.summary())
            print(prepared.summary())
        return 0 if knowledge.total_ok or not knowledge.rejected else 1
    with progress_bar(f"Importing {args.path.name}", not args.quiet) as update:
        report = app.importer.import_path(args.path, update)
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(report.summary())
    return 0 if report.total_ok or not report.rejected else 1


def cmd_demo(args) -> int:
    app = _app(args, autoload=False)
    with progress_bar("Loading demo organisation", not args.quiet) as update:
        report = app.load_demo(update, size=args.size)
    print(report.summary().replace("Import finished", "Demo organisation loaded"))
    if app.jd_service is not None:
        # The same demo on every backend: the companies, their postings and the prepared JD drafts too (on SQLite
        # the first start would load them; a server database never gets demo data unasked).
        with progress_bar("Preparing demo JD drafts", not args.quiet) as update:
            knowledge, prepared = app.jd_service.load_demo(progress=update)
        print(knowledge.summary().replace("Company knowledge imported", "Demo companies loaded"))
        print(prepared.summary())
    return 0


def cmd_jd(args) -> int:
    app = _app(args, autoload=False)
    service = app.jd_service
    if args.action == "prepare":
        with progress_bar("Preparing instant drafts", not args.quiet) as update:
            report = service.prepare(force=args.force, progress=update)
        print(report.summary())
        return 0
    state = service.status()             # the same use case as `jd status` in the chat
    print("Queue: " + ", ".join(f"{k} {v}" for k, v in state.queue.items()))
    print(f"Approvals waiting: {state.pending_approval}")
    if state.budget.limit:
        print(f"Daily token budget: {state.budget.used:,} of {state.budget.limit:,} used"
              + (" (exceeded: custom JDs are template-built until midnight UTC)" if state.budget.exceeded else ""))
    if not state.usage:
        print("AI usage today: none")
    for row in state.usage:
        print(f"AI usage today: {row['model']} {row['task']}: {row['calls']} calls ({row['cache_hits']} from cache), "
              f"{row['prompt_tokens']} prompt + {row['output_tokens']} output tokens")
    primary = getattr(app.ai, "primary", None)
    if hasattr(primary, "check_models"):         # asked now: this command runs apart from the server
        from core.ai.models import ai_status
        from core.ai.runner import run_sync

        run_sync(primary.check_models())
        for state in ai_status(app.ai)["models"]:
            print(f"AI model: {state['model']} ({', '.join(state['roles'])}): {state['status']}"
                  + (f" — {state['detail']}" if state.get("detail") and state["status"] != "ok" else "")
                  + (f"; answered by {state['answered_by']}" if state.get("answered_by") else ""))
    else:
        print("AI models: none configured (GEMINI_API_KEY is not set); everything runs offline")
    return 0


def cmd_reindex(args) -> int:
    from core.reindex import reindex

    app = _app(args, check_embedder=False, autoload=False)
    with progress_bar("Re-embedding profiles", not args.quiet) as update:
        result = reindex(app.store, app.embedder, changed_only=args.changed_only, progress=update,
                         summarize=app.importer.builder.summary)
    resumed = f" (resumed after {result.resumed_after})" if result.resumed_after else ""
    print(f"Re-embedded {result.embedded} profiles with {app.embedder.model_id}{resumed}; "
          f"{result.skipped} were already current.")
    return 0


def cmd_db(args) -> int:
    from bot.bootstrap import make_store

    store = make_store(_settings(args))
    try:
        if args.action == "migrate":
            before = store.check_schema()
            adopted = store.schema_state().legacy
            store.migrate()
            after = store.schema_version()
            print(f"Schema at version {after}" + (f" (migrated from {before})." if after != before else " (up to date)."))
            if adopted:
                print(f"The hand-migrated schema {before} is now managed by Alembic (revision "
                      f"{store.schema_state().revision}).")
        else:
            schema = store.schema_state()
            current = schema.version
            caps = store.capabilities()
            state = ("newer than this version understands: upgrade Internal Hire" if not schema.known else
                     "up to date" if current == store.target_schema_version and not schema.legacy else
                     "migrations pending: run `internal-hire db migrate`")
            print(f"backend: {caps.get('server', caps['backend'])}")
            print(f"schema: version {current} of {store.target_schema_version} ({state})")
            print("migrations: " + (f"Alembic revision {schema.revision}" if schema.revision else
                                    "hand-migrated schema, adopted by Alembic at the next `internal-hire db migrate`"
                                    if schema.legacy else "none applied"))
            print(f"vector search: {'native ANN, index ' + str(caps.get('ann_index')) if caps.get('native_vector') else 'exact, in-process'}")
            if current and schema.known:
                print(f"employees: {store.count_employees()}; embeddings: "
                      + (", ".join(f"{n} by {m} (dim {d})" for m, d, n in store.embedding_models()) or "none"))
    finally:
        store.close()
    return 0


def cmd_serve(args) -> int:
    from bot.server import run_server
    from bot.settings import load_settings

    settings = load_settings(INTERNAL_HIRE_DATA_DIR=args.data_dir, PORT=args.port, HOST=args.host)
    from bot.credentials import CredentialError, check_chat_credentials

    try:
        for note in check_chat_credentials(settings):    # before the slow start: a wrong token fails at once
            print(note, file=sys.stderr, flush=True)
    except CredentialError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    app = _app(args)
    app.settings = settings
    app.watch_models()            # with a key: each configured model is asked for once now, then daily
    run_server(app, settings)
    return 0


def cmd_teams_package(args) -> int:
    from bot.settings import load_settings
    from bot.teams_package import build_teams_package

    app_id = args.app_id or load_settings().teams_app_id
    if not app_id:
        print("error: pass --app-id or set TEAMS_APP_ID (the bot's Microsoft app registration id)", file=sys.stderr)
        return 2
    try:
        path = build_teams_package(app_id, args.output, args.host)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"Wrote {path}; upload it in Teams (Apps > Manage your apps > Upload an app).")
    return 0


def cmd_audit(args) -> int:
    app = _app(args, autoload=False)
    entries = app.store.list_audit()
    out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout
    try:
        if args.format == "json":
            json.dump([{"id": e.id, "at": e.at, "actor_id": e.actor_id, "action": e.action, "query": e.query,
                        "shown_ids": list(e.shown_ids), "details": e.details} for e in entries],
                      out, ensure_ascii=False, indent=2)
            out.write("\n")
        else:
            writer = csv_writer(out)       # a query such as =cmd|... is shown as text, never run
            writer.writerow(["id", "at", "actor_id", "action", "query", "shown_ids", "details"])
            for e in entries:
                writer.writerow([e.id, e.at, e.actor_id, e.action, e.query, " ".join(e.shown_ids),
                                 json.dumps(e.details, ensure_ascii=False)])
    finally:
        if args.output:
            out.close()
    if args.output:
        print(f"Wrote {len(entries)} audit entries to {args.output}.", file=sys.stderr)
    return 0


def cmd_feedback(args) -> int:
    from core.feedback import EXPORT_COLUMNS, export_rows, weekly_feedback

    app = _app(args, autoload=False)
    if args.feedback_command == "week":
        numbers = weekly_feedback(app.store)
        for label, week in (("last 7 days", numbers.this_week), ("7 days before", numbers.last_week)):
            ratio = f"{100 * week.ratio:.0f}% 👍" if week.ratio is not None else "no votes"
            f = week.funnel
            print(f"{label} ({week.since[:10]} – {week.until[:10]}): 👍 {week.up} · 👎 {week.down} ({ratio}); "
                  f"funnel: interested {f.interested} → shortlisted {f.shortlisted} → approved {f.approved} → "
                  f"moved {f.moved}")
        return 0
    rows = export_rows(app.store)
    out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout
    try:
        if args.format == "json":
            json.dump(rows, out, ensure_ascii=False, indent=2)
            out.write("\n")
        else:
            writer = csv_writer(out)       # a query such as =cmd|... is shown as text, never run
            writer.writerow(EXPORT_COLUMNS)
            writer.writerows([row[c] for c in EXPORT_COLUMNS] for row in rows)
    finally:
        if args.output:
            out.close()
    if args.output:
        votes = sum(1 for r in rows if r["record"] == "vote")
        print(f"Wrote {votes} votes and {len(rows) - votes} outcomes to {args.output}.", file=sys.stderr)
    return 0


def cmd_fairness(args) -> int:
    from core.impact_report import FairnessReports, NotAllowed, to_csv, to_json, to_text

    app = _app(args, autoload=False)
    actor = _resolve_actor(app, args.as_user, default_hr=True)
    service = FairnessReports(app.store)
    try:
        if args.fairness_command == "demographics":
            return _demographics(service, actor, args)
        intersect = tuple(p.strip() for p in args.intersect.split(",")) if args.intersect else None
        if intersect is not None and len(intersect) != 2:
            print("error: --intersect takes two categories, e.g. sex,age_band", file=sys.stderr)
            return 2
        try:
            report = service.report(actor, args.since, args.until, population=args.population, intersect=intersect)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    except NotAllowed as exc:
        print(f"error: {actor.display_name}: {exc}", file=sys.stderr)
        return 3
    body = {"text": lambda: to_text(report, args.lang), "csv": lambda: to_csv(report),
            "json": lambda: to_json(report)}[args.format]()
    if args.output:
        args.output.write_text(body if body.endswith("\n") else body + "\n", encoding="utf-8")
        print(f"Wrote the fairness report to {args.output}.", file=sys.stderr)
    else:
        print(body)
    if args.chart:
        from core.impact_chart import write_chart

        print(f"Chart: {write_chart(report, args.chart, args.lang)}", file=sys.stderr)
    return 0


def cmd_digest(args) -> int:
    from bot.digests import make_builder
    from handlers.digest import write_preview

    app = _app(args, autoload=False)
    builder = make_builder(app)
    if args.digest_command == "preview":
        person = _resolve_actor(app, args.as_user)
        digest = builder.build(person, lang=args.lang)
        if digest is None:
            print(f"{person.display_name} ({person.id}): nothing to say this week; no digest would be sent.")
            return 0
        for path in write_preview(digest, args.out):
            print(path)
        return 0
    if args.dry_run:
        return _digest_dry_run(app, builder)
    return _digest_send(app, args)


def _digest_dry_run(app, builder) -> int:
    from core.digest import week_start
    from bot.digests import local_now

    now = local_now(app.settings.timezone)
    employees = app.store.list_employees()
    sent, off, done = 0, app.store.digests_off_ids(), app.store.digest_sent_ids(week_start(now))
    builder.forget_run_state()
    for person in employees:
        if person.id in off or person.id in done:
            continue
        digest = builder.build(person, now=now, employees=employees)
        if digest is not None:
            sent += 1
            parts = [k for k, v in (("skills", digest.skills), ("pending JDs", digest.pending),
                                    ("newly open", digest.newly_open), ("interest", digest.interest),
                                    ("shortlist", digest.shortlist), ("openings", digest.openings)) if v]
            print(f"{person.id}\t{person.role.value}\t{digest.lang}\t{', '.join(parts) or 'opt-in rates'}")
    print(f"{sent} of {len(employees)} people would get a digest this week ({len(done)} already sent, {len(off)} "
          f"turned off; dry run: nothing sent).", file=sys.stderr)
    return 0


def _digest_send(app, args) -> int:
    """The weekly job, now: Slack / Teams when configured (the same credentials as `serve`), else files."""
    from bot.digests import DigestJob, DigestSender, LoopThread, chart_links
    from bot.server import build_platforms
    from scheduler.jobs import DIGEST_JOB, LeasedJobs

    settings = app.settings
    platforms = build_platforms(app, settings)
    chat = platforms.slack is not None or platforms.teams is not None
    out = args.out or (None if chat else Path(settings.data_dir) / "digests")
    loop = LoopThread()
    try:
        sender = DigestSender(app.store, platforms, chart_links(settings), out)
        progress = None if args.quiet else (lambda done, total: print(f"\r{done}/{total} people", end="",
                                                                     file=sys.stderr, flush=True))
        job = DigestJob(app, sender, settings.timezone, loop=loop.loop, progress=progress)
        ran = LeasedJobs(app.store).run_once(DIGEST_JOB, lambda renew: job.run(renew))
    finally:
        loop.close()
    if progress is not None:
        print(file=sys.stderr)
    if not ran:
        print("error: another instance is running the weekly digest now; try again later", file=sys.stderr)
        return 1
    report = job.reports[0]
    print(report.summary(), file=sys.stderr)
    for person_id, reason in list(report.failed.items())[:20]:
        print(f"  failed: {person_id}: {reason}", file=sys.stderr)
    return 1 if report.failed else 0


def _demographics(service, actor, args) -> int:
    if args.action == "import":
        if args.file is None:
            print("error: name the CSV file: internal-hire fairness demographics import FILE", file=sys.stderr)
            return 2
        report = service.import_demographics(actor, args.file, replace_all=args.replace)
        print(report.summary())
        return 0 if report.rows or not report.rejected else 1
    if args.action == "status":
        summary = service.demographics_status(actor)
        if not summary:
            print("No demographics stored.")
        for category, values in summary.items():
            print(f"{category}: " + ", ".join(f"{v} {n}" for v, n in values.items()))
        return 0
    if not args.yes:
        if not sys.stdin.isatty():
            print("error: add --yes to delete every stored demographic record", file=sys.stderr)
            return 2
        if input("Delete every stored demographic record? This cannot be undone. [y/N] ").strip().lower() not in (
                "y", "yes"):
            print("Nothing deleted.")
            return 1
    print(f"Deleted {service.delete_demographics(actor)} demographic records.")
    return 0


COMMANDS = {"chat": cmd_chat, "search": cmd_search, "import": cmd_import, "demo": cmd_demo, "jd": cmd_jd,
            "reindex": cmd_reindex, "audit": cmd_audit, "feedback": cmd_feedback, "fairness": cmd_fairness, "digest": cmd_digest, "serve": cmd_serve, "db": cmd_db, "teams-package": cmd_teams_package}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from bot.settings import load_settings

    logging.basicConfig(level=getattr(logging, load_settings().log_level.upper(), logging.WARNING),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return COMMANDS[args.command](args)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nInterrupted; everything finished so far is saved.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `internal-hire audit | head` closed the pipe: stop quietly, as other Unix tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())

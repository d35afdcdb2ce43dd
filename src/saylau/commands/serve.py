"""``saylau serve``: the election-night web app (live results, progress board, protocol API) with uvicorn.

With ``--prepare kz-2021`` a built-in election is first set up for live
counting if the store lacks it: its synthetic stations are registered as
expected and the first ``--reported N`` of them are ingested. Needs the
``web`` extra.
"""

from __future__ import annotations

import argparse

from saylau.commands.ingest import add_db_option

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("serve", help="serve live results and the protocol API (web extra)",
                       description="Serve the web app: results pages for the nation, regions, territorial "
                                   "commissions and stations, each with a JSON twin, updated live; a progress "
                                   "board; and the protocol submission API with roles (OpenAPI at /docs).")
    add_db_option(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (8000)")
    p.add_argument("--prepare", metavar="ELECTION", help="set up a built-in election (kz-2021) for live counting "
                                                         "if the store lacks it")
    p.add_argument("--stations", type=int, default=None, metavar="N", help="with --prepare: synthetic stations "
                                                                          "(default: the official number)")
    p.add_argument("--reported", type=int, default=0, metavar="N",
                   help="with --prepare: how many synthetic protocols are ingested at once (0)")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="with --prepare: seed (0)")
    p.add_argument("--secure-cookies", action="store_true",
                   help="always mark cookies Secure (default: when the request came over https)")
    p.add_argument("--proxy", action="store_true", help="trust X-Forwarded-* headers from a proxy on this host")
    p.add_argument("--compute-processes", type=int, default=1, metavar="N",
                   help="worker processes computing result pages beside the server (1; 0: threads)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import gc
    import sys

    import uvicorn

    from saylau.store import open_store
    from saylau.web.app import create_app

    store = open_store(args.db)
    if args.prepare:
        from saylau.web.setup import prepare_election

        if store.has_election(args.prepare):
            print(f"{args.prepare}: already in {store.url}")
        else:
            done = prepare_election(store, args.prepare, stations=args.stations, reported=args.reported,
                                    seed=args.seed)
            print(f"{args.prepare}: {done['registered']} stations expected, {done['ingested']} protocols "
                  f"ingested (synthetic, seed {args.seed}) into {store.url}")
    app = create_app(store, secure_cookies=True if args.secure_cookies else None,
                     compute_processes=max(0, args.compute_processes))
    host = f"[{args.host}]" if ":" in args.host else args.host
    elections = store.list_elections()
    print(f"saylau: serving {store.url} at http://{host}:{args.port}/")
    for e in elections:
        print(f"  {e.title}: http://{host}:{args.port}/elections/{e.id}")
    print(f"  API documentation: http://{host}:{args.port}/docs")
    # Request threads hand the interpreter back to the event loop sooner: reads stay quick during writes.
    sys.setswitchinterval(0.001)
    # A server runs for days: cyclic garbage is collected (the CLI paused it for start-up), and what start-up
    # made (modules, the app) is frozen out of every later collection's walk.
    gc.freeze()
    gc.enable()
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", proxy_headers=args.proxy,
                forwarded_allow_ips="127.0.0.1" if args.proxy else None, timeout_graceful_shutdown=2)
    return 0

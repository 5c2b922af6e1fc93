"""The `xuncha` console command: management commands plus `serve`.

    xuncha serve [--bind HOST:PORT] [--workers N]
    xuncha migrate | demo [--seed N] | createuser | import orgs|people FILE [--dry-run]
    xuncha export orgs|people FILE | audit verify | token create USERNAME | ...
"""

from __future__ import annotations

import os
import sys

ALIASES = {"import": "registry_import", "export": "registry_export"}


def _serve(argv: list[str]) -> None:
    import argparse

    parser = argparse.ArgumentParser(prog="xuncha serve", description="Serve xuncha with gunicorn.")
    parser.add_argument("--bind", default=os.environ.get("XUNCHA_BIND", "127.0.0.1:8000"))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("XUNCHA_WORKERS", "2")))
    args = parser.parse_args(argv)

    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    from gunicorn.app.wsgiapp import run

    print(f"xuncha: serving on http://{args.bind} with {args.workers} workers", flush=True)
    sys.argv = [
        "gunicorn", "xuncha.wsgi:application",
        "--bind", args.bind,
        "--workers", str(args.workers),
        "--access-logfile", "-",
        "--timeout", "120",
        "--graceful-timeout", "10",
    ]
    run()


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuncha.settings")
    import django

    django.setup()
    if argv and argv[0] == "serve":
        _serve(argv[1:])
        return
    if argv and argv[0] in ALIASES:
        argv[0] = ALIASES[argv[0]]
    from django.core.management import execute_from_command_line

    execute_from_command_line(["xuncha", *argv])


if __name__ == "__main__":
    main()

"""The `serve` command: start the local web app and open the browser at it.

Another module adds it to the `hamrehab` group (`main.add_command(serve)`); `python -m hamrehab.web`
runs it directly. On 127.0.0.1 (the default) only this computer can reach it. Any other `--host`
needs the random access token printed at start: the printed address carries it once.
"""
from __future__ import annotations

import secrets
import socket
import threading

import click

DEFAULT_PORT = 8765


def _address(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def _port_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


@click.command("serve", context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but this computer (127.0.0.1) needs the access token printed at start.")
@click.option("--no-browser", is_flag=True, help="Do not open the browser.")
def serve(port: int, host: str, no_browser: bool) -> None:
    """Open hamrehab in your browser: New plan, Triage, Follow-up, Roster, Exercises. Runs offline; keeps nothing."""
    import webbrowser  # here, not at the top: `hamrehab plan` loads this module and needs none of it

    import uvicorn

    from .app import Settings, create_app
    from .security import is_loopback

    if port and not _port_free(host, port):
        raise click.UsageError(f"--port: {port} is in use on {host} (is hamrehab already running? open {_address(host, port)}); "
                               "choose another with --port, or --port 0 for any free one")
    token = None if is_loopback(host) else secrets.token_urlsafe(24)
    app = create_app(Settings(host=host, token=token))
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False, server_header=False,
                            date_header=False, lifespan="on")
    server = uvicorn.Server(config)

    def announce() -> None:
        while not server.started and not server.should_exit:
            threading.Event().wait(0.05)
        if not server.started:
            return
        bound = server.servers[0].sockets[0].getsockname()[1] if server.servers else port
        url = _address(host, bound) + (f"?token={token}" if token else "")
        click.echo(f"hamrehab is running at {url}", err=True)
        if token:
            click.echo("Anyone with this address (and its token) can use it: share it only with people you trust.", err=True)
        click.echo("Press Ctrl-C to stop it. Nothing is kept when it stops.", err=True)
        if not no_browser:
            webbrowser.open(url)

    threading.Thread(target=announce, name="hamrehab-announce", daemon=True).start()
    server.run()

"""The ``voicelive`` command line.

Subcommands (their flags are a contract other programs rely on; see DESIGN.md)::

    voicelive demo                      offline end-to-end demo
    voicelive ask IN.wav [--out OUT.wav] [--backend local|gemini] [--events EVENTS.jsonl]
                  [--user ID] [--realtime] [--frames DIR] [--voice NAME] [--model NAME]
    voicelive chat [--backend ...]      microphone and speaker
    voicelive serve [--host H] [--port P] [--backend ...] [--max-sessions N] [--token T]
                    [--tools FILE.py|MODULE] [--allowed-host NAME] [--max-connections N]
                    [--workers N] [--db PATH|postgresql://...] [--resume-secret S]
                    [--public-url URL] [--twilio-auth-token T] [--twilio-account-sid SID]
                    [--transfer-number +1...]
    voicelive tools [--json]            the tool declarations the model receives
    voicelive foods QUERY               search the bundled food database
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio

from voicelive.exceptions import VoiceLiveError

if TYPE_CHECKING:
    from voicelive.backends.base import Backend
    from voicelive.tools import ToolRegistry

__all__ = ["default_backend_name", "load_tool_spec", "main", "make_backend"]

KEY_VARIABLES = ("GEMINI_API_KEY", "GOOGLE_API_KEY")


def default_backend_name() -> str:
    """``gemini`` when an API key is in the environment, else ``local``."""
    return "gemini" if any(os.environ.get(k) for k in KEY_VARIABLES) else "local"


def make_backend(name: str | None, *, progress: bool = False) -> Backend:
    """Build the backend called ``name`` (``None`` picks by the environment)."""
    chosen = name or default_backend_name()
    if chosen == "gemini":
        from voicelive.backends.gemini import GeminiBackend

        return GeminiBackend()
    from voicelive.backends.local import LocalBackend

    # the models load when the session connects, in parallel with the intent matcher and the
    # food table (see LocalBackend.connect), reporting progress as they go
    return LocalBackend(progress=_print_progress if progress else None)


def _print_progress(message: str) -> None:
    print(f"  … {message}", file=sys.stderr, flush=True)


def _toolkit(db_path: str | None = None, extra: Sequence[str] = ()) -> ToolRegistry:
    from voicelive.nutrition import toolkit

    registry = toolkit(db_path=db_path)
    for spec in extra:
        registry = registry + load_tool_spec(spec)
    return registry


def load_tool_spec(spec: str) -> ToolRegistry:
    """Load ``FILE.py`` or ``package.module``, optionally ``:attr``, as a registry of tools.

    Args:
        spec: What ``--tools`` was given.

    Raises:
        UsageError: The file or module cannot be loaded, or holds no tools.
    """
    import importlib
    import importlib.util

    from voicelive.exceptions import UsageError
    from voicelive.tools import Tool, ToolRegistry

    target, _, attr = spec.partition(":")
    if target.endswith(".py"):
        path = Path(target)
        if not path.is_file():
            raise UsageError(f"--tools {spec}: no such file")
        module_spec = importlib.util.spec_from_file_location(path.stem, path)
        if module_spec is None or module_spec.loader is None:
            raise UsageError(f"--tools {spec}: cannot load it as Python")
        module = importlib.util.module_from_spec(module_spec)
        sys.path.insert(0, str(path.parent.resolve()))
        module_spec.loader.exec_module(module)
    else:
        try:
            module = importlib.import_module(target)
        except ImportError as exc:
            raise UsageError(f"--tools {spec}: cannot import {target!r}: {exc}") from exc
    found = getattr(module, attr, None) if attr else None
    if attr and found is None:
        raise UsageError(f"--tools {spec}: {target} has no attribute {attr!r}")
    if isinstance(found, ToolRegistry):
        return found
    if isinstance(found, Tool):
        return ToolRegistry([found])
    tools = [v for v in vars(module).values() if isinstance(v, Tool)]
    if not tools:
        raise UsageError(f"--tools {spec}: no @tool functions found")
    return ToolRegistry(tools)


def _session_config(args: argparse.Namespace) -> Any:
    from voicelive.config import SessionConfig

    return SessionConfig(
        user_id=getattr(args, "user", None) or "default",
        voice=getattr(args, "voice", None),
        model=getattr(args, "model", None),
    )


# --- ask ---------------------------------------------------------------------------------


def _start_up(args: argparse.Namespace) -> tuple[Backend, ToolRegistry]:
    """The backend and tools of ``ask``/``chat``, with the models already loading.

    The models start loading (in background threads) before anything else is imported or
    built, the understanding of the tools as soon as they exist; the session's connect then
    waits for both instead of doing them one after the other (see docs/benchmarks.md).
    """
    backend = make_backend(args.backend, progress=True)
    prepare = getattr(backend, "prepare", None)  # the local backend's; Gemini loads nothing
    if prepare is not None:
        prepare()
    tools = _toolkit(args.db, args.tools)
    if prepare is not None:
        prepare(tools)
    return backend, tools


async def _ask(args: argparse.Namespace) -> int:
    _check_ask_paths(args)
    backend, tools = _start_up(args)

    from voicelive.audio import PCM16_24K, MemorySink, WavSource, write_wav
    from voicelive.conversation import Conversation, converse, heard_speech
    from voicelive.session import LiveSession

    config = _session_config(args)
    sink = MemorySink(PCM16_24K)
    conversation = Conversation(
        WavSource(args.input, realtime=args.realtime), sink, reply_timeout_s=args.timeout,
        hold_after_ms=config.vad.silence_ms + 300,
    )
    frames = _frame_source(args.frames) if args.frames else None
    records: list[dict[str, Any]] = []

    def show(event: Any) -> None:
        record = event.to_dict()
        records.append(record)
        _print_event(record)

    try:
        async with LiveSession(
            backend, config, source=conversation, sink=conversation.sink, frames=frames,
            tools=tools,
        ) as session:
            events = await converse(session, conversation, show)
    finally:
        if args.events:
            lines = "".join(json.dumps(r, default=str) + "\n" for r in records)
            await anyio.Path(args.events).write_text(lines, encoding="utf-8")
    if args.out:
        write_wav(args.out, sink.data, PCM16_24K)
        print(f"reply audio: {args.out} ({len(sink.data) / PCM16_24K.bytes_per_second:.2f} s)")
    if conversation.timed_out:
        print(f"error: no reply within {args.timeout:g} s ({conversation.timed_out} turn(s))",
              file=sys.stderr)
        return 1
    if not heard_speech(events):
        print("no speech heard", file=sys.stderr)
        return 1
    return 0 if session.error is None else 1


def _check_ask_paths(args: argparse.Namespace) -> None:
    """Refuse bad paths before any model loads or any turn runs."""
    from voicelive.exceptions import UsageError

    if not Path(args.input).is_file():
        raise UsageError(f"{args.input}: no such file")
    for flag in ("out", "events"):
        value = getattr(args, flag)
        if value is None:
            continue
        path = Path(value)
        if path.is_dir():
            raise UsageError(f"--{flag} {value}: is a folder, give a file name")
        if not path.parent.is_dir():
            raise UsageError(f"--{flag} {value}: folder {str(path.parent)!r} does not exist")
        if not os.access(path.parent, os.W_OK):
            raise UsageError(f"--{flag} {value}: folder {str(path.parent)!r} is not writable")
    if args.frames is not None and not Path(args.frames).is_dir():
        raise UsageError(f"--frames {args.frames}: no such folder")


def _frame_source(folder: str) -> Any:
    from voicelive.video import ImageFolderSource

    return ImageFolderSource(folder)


def _print_event(record: dict[str, Any]) -> None:
    kind = record["type"]
    if kind == "user_transcript" and record.get("final", True):
        print(f"you: {record['text']}")
    elif kind == "assistant_transcript" and record.get("final", True):
        print(f"assistant: {record['text']}")
    elif kind == "tool_call":
        print(f"tool call: {record['name']}({json.dumps(record['args'])})")
    elif kind == "tool_result":
        shown = record.get("result") if record["ok"] else record.get("error")
        print(f"tool result: {record['name']} ok={record['ok']} "
              f"({record['duration_ms']:.1f} ms): {json.dumps(shown, default=str)[:300]}")
    elif kind == "turn_complete" and record.get("latency_ms") is None and not record.get(
            "chunks_out"):
        print("turn complete: no reply")
    elif kind == "turn_complete":
        latency = record.get("latency_ms")
        shown = "unknown" if latency is None else f"{latency:.0f} ms"
        print(f"turn complete: latency {shown}")
    elif kind == "error":
        print(f"error [{record['code']}]: {record['message']}", file=sys.stderr)


# --- chat --------------------------------------------------------------------------------


async def _chat(args: argparse.Namespace) -> int:
    from voicelive.audio import MicrophoneSource, SpeakerSink
    from voicelive.session import LiveSession

    # The devices open first: without a sound card the command fails at once, in one line.
    source = MicrophoneSource()
    try:
        sink = SpeakerSink()
    except VoiceLiveError:
        await source.aclose()
        raise
    frames = None
    if args.camera or args.screen:
        from voicelive.video import CameraSource, ScreenSource

        frames = CameraSource() if args.camera else ScreenSource()
    backend, tools = _start_up(args)
    print("listening; press Ctrl+C to stop (use headphones to avoid echo)")
    async with LiveSession(
        backend, _session_config(args), source=source, sink=sink, frames=frames, tools=tools,
    ) as session:
        async for event in session:
            _print_event(event.to_dict())
    return 0 if session.error is None else 1


# --- the rest ----------------------------------------------------------------------------


def _tools(args: argparse.Namespace) -> int:
    registry = _toolkit(args.db, args.tools)
    if args.json:
        print(json.dumps(registry.to_json(), indent=2))
    else:
        for t in registry:
            print(f"{t.name}: {t.description.splitlines()[0] if t.description else ''}")
    _print_unreachable(registry)
    return 0


def _print_unreachable(registry: Any) -> None:
    """Say (on stderr) which tools the offline backend cannot call, and why."""
    from voicelive.backends.local.understand import Understander

    for name, why in Understander(registry).unreachable():
        print(f"offline: {name} cannot be called: {why}", file=sys.stderr)


def _foods(args: argparse.Namespace) -> int:
    from voicelive.nutrition import search_foods

    matches = search_foods(" ".join(args.query), limit=args.limit)
    if not matches:
        print("no food matches that query", file=sys.stderr)
        return 1
    print(f"{'food':<60} {'kcal':>6} {'prot':>6} {'carb':>6} {'fat':>6}  (per 100 g)")
    for m in matches:
        print(f"{m.name[:60]:<60} {m.kcal:>6.0f} {m.protein_g:>6.1f} {m.carbs_g:>6.1f} "
              f"{m.fat_g:>6.1f}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from voicelive.demo import run_demo

    print(f"the reply audio will be written to {Path(args.out).resolve()} (change it with --out)")
    run_demo(out_path=Path(args.out), question=args.question, progress=_print_progress)
    return 0


_TELEPHONY_FLAGS = {
    "public_url": "public https:// URL Twilio reaches this server at; mounts /twilio/voice "
    "and /twilio/stream",
    "twilio_auth_token": "Twilio auth token: webhook signatures are checked "
    "(or TWILIO_AUTH_TOKEN)",
    "twilio_account_sid": "Twilio account SID, for transfers (or TWILIO_ACCOUNT_SID)",
    "transfer_number": "E.164 number the transfer_to_human tool dials on calls",
}


def _add_telephony_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("telephony (Twilio, docs/telephony.md)")
    for name, help_text in _TELEPHONY_FLAGS.items():
        group.add_argument("--" + name.replace("_", "-"), default=None, help=help_text)


def _telephony_settings(args: argparse.Namespace) -> dict[str, str]:
    """The telephony flags given (absent ones keep their environment defaults)."""
    given = {name: getattr(args, name, None) for name in _TELEPHONY_FLAGS}
    return {name: value for name, value in given.items() if value}


def _serve(args: argparse.Namespace) -> int:
    from voicelive.server import ServerSettings, serve

    settings = ServerSettings(
        host=args.host, port=args.port, backend=args.backend, max_sessions=args.max_sessions,
        token=args.token or os.environ.get("VOICELIVE_TOKEN"),
        tools=tuple(args.tools), allowed_hosts=tuple(args.allowed_host),
        max_connections=args.max_connections, **_serve_scale(args),
        **_telephony_settings(args),
    )
    serve(settings)
    return 0


def _bounded(kind: type[int] | type[float], low: float, high: float) -> Any:
    """An argparse type: a number of ``kind`` in ``[low, high]`` (a usage error otherwise)."""

    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text} is not between {low:g} and {high:g}")
        return value

    return parse


def _secret(text: str) -> str:
    if len(text) < 16:
        raise argparse.ArgumentTypeError("a resume secret needs at least 16 characters")
    return text


def _serve_scale_flags(serve: argparse.ArgumentParser) -> None:
    serve.add_argument("--workers", type=_bounded(int, 1, 64), default=1, metavar="N",
                       help="processes serving the port (default 1; each has its own event "
                            "loop and loads its own models)")
    serve.add_argument("--resume-secret", type=_secret, default=None, metavar="SECRET",
                       help="HMAC secret of resume tokens shared by every worker and machine "
                            "(or VOICELIVE_RESUME_SECRET; random per start when unset)")
    serve.add_argument("--resume-ttl", type=_bounded(float, 1, 7 * 24 * 3600), default=900.0,
                       metavar="SECONDS",
                       help="how long a resume token stays valid (default 900)")


def _serve_scale(args: argparse.Namespace) -> dict[str, object]:
    """Settings of ``--db`` (a path or a postgresql:// URL), ``--workers`` and resumption."""
    extra: dict[str, object] = {"workers": args.workers, "resume_ttl_s": args.resume_ttl}
    if args.resume_secret:
        extra["resume_secret"] = args.resume_secret
    if args.db and "://" in args.db:
        extra["db_url"] = args.db
    elif args.db:
        extra["db_path"] = args.db
    return extra


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="voicelive", description="Real-time voice assistants.")
    p.add_argument("-v", "--verbose", action="count", default=0, help="more logging (-vv: debug)")
    sub = p.add_subparsers(dest="command", required=True)

    def backend_flag(sp: argparse.ArgumentParser, *, user_tools: bool = True) -> None:
        sp.add_argument("--backend", choices=["local", "gemini"], default=None,
                        help="default: gemini when GEMINI_API_KEY/GOOGLE_API_KEY is set, "
                             "else local")
        sp.add_argument("--db", default=None,
                        help="SQLite file or postgresql:// URL of the per-user nutrition state")
        if user_tools:
            sp.add_argument("--tools", action="append", default=[],
                            metavar="FILE.py|MODULE[:ATTR]",
                            help="add your own @tool functions (repeatable)")

    demo = sub.add_parser("demo", help="offline end-to-end demo")
    demo.add_argument("--out", default="voicelive-demo-reply.wav", help="reply WAV path")
    demo.add_argument("--question", default=None, help="what the synthetic user asks")

    ask = sub.add_parser("ask", help="answer the speech in a WAV file")
    ask.add_argument("input", help="PCM16 WAV file of the user's speech")
    ask.add_argument("--out", default=None, help="write the reply audio here (24 kHz WAV)")
    ask.add_argument("--events", default=None, help="write one JSON event per line here")
    ask.add_argument("--user", default=None, help="user id (selects the nutrition day)")
    ask.add_argument("--realtime", action="store_true", help="stream at real-time pace")
    ask.add_argument("--frames", default=None, help="folder of images sent as video frames")
    ask.add_argument("--voice", default=None, help="voice name")
    ask.add_argument("--model", default=None, help="model name")
    ask.add_argument("--timeout", type=_positive_seconds, default=120.0,
                     help="seconds to wait for each reply (more than 0)")
    backend_flag(ask)

    chat = sub.add_parser("chat", help="talk through the microphone and speaker")
    chat.add_argument("--user", default=None,
                      help="user id (selects the nutrition day; default: 'default')")
    chat.add_argument("--voice", default=None, help="voice name")
    chat.add_argument("--model", default=None, help="model name")
    cam = chat.add_mutually_exclusive_group()
    cam.add_argument("--camera", action="store_true", help="send camera frames")
    cam.add_argument("--screen", action="store_true", help="send screen frames")
    backend_flag(chat)

    serve = sub.add_parser("serve", help="run the WebSocket server and web page")
    serve.add_argument("--host", default="127.0.0.1",
                       help="interface to listen on (default 127.0.0.1; anything beyond "
                            "loopback needs --token)")
    serve.add_argument("--port", type=int, default=8000,
                       help="TCP port (default 8000; 0 picks a free one)")
    serve.add_argument("--max-sessions", type=int, default=8,
                       help="live sessions at once (default 8)")
    serve.add_argument("--token", default=None, help="bearer token (or VOICELIVE_TOKEN)")
    serve.add_argument("--allowed-host", action="append", default=[], metavar="NAME",
                       help="a host name the server answers besides its address, localhost "
                            "and IP addresses, e.g. behind a proxy (repeatable; '*': any)")
    serve.add_argument("--max-connections", type=int, default=None, metavar="N",
                       help="open connections kept at once; more get 503 "
                            "(default: max(256, 4 x --max-sessions))")
    backend_flag(serve)
    _serve_scale_flags(serve)
    _add_telephony_flags(serve)

    tools = sub.add_parser("tools", help="print the tool declarations")
    tools.add_argument("--json", action="store_true", help="print the declarations as JSON")
    tools.add_argument("--db", default=None, help="SQLite file for per-user nutrition state")
    tools.add_argument("--tools", action="append", default=[], metavar="FILE.py|MODULE[:ATTR]")

    foods = sub.add_parser("foods", help="search the food database")
    foods.add_argument("query", nargs="+", help="what to look for, e.g. 'greek yogurt'")
    foods.add_argument("--limit", type=int, default=10,
                       help="most matches to print (default 10)")
    for sp in sub.choices.values():  # -v also after the subcommand (``ask IN.wav -v``)
        sp.add_argument("-v", "--verbose", action="count", default=argparse.SUPPRESS,
                        help="more logging (-vv: debug)")
    return p


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text} s: give a positive number of seconds")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    level = [logging.WARNING, logging.INFO, logging.DEBUG][min(args.verbose, 2)]
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    handlers = {
        "ask": lambda: anyio.run(_ask, args),
        "chat": lambda: anyio.run(_chat, args),
        "tools": lambda: _tools(args),
        "foods": lambda: _foods(args),
        "demo": lambda: _demo(args),
        "serve": lambda: _serve(args),
    }
    try:
        return int(handlers[args.command]())
    except VoiceLiveError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

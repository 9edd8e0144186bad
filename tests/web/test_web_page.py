"""The web page in a real headless Chromium, with a WAV file as the microphone.

The server under test is started as a subprocess. ``SERVER`` picks which one:
the real ``voicelive serve --backend local`` (the default), or the canned
stand-in in this folder with ``VOICELIVE_WEB_SERVER=standin``.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "voicelive" / "server" / "static"
# Screenshots go to artifacts/web (ignored by git); VOICELIVE_WEB_SCREENSHOTS=docs/img refreshes
# the ones docs/web.md shows.
SCREENSHOTS = ROOT / os.environ.get("VOICELIVE_WEB_SCREENSHOTS", "artifacts/web")
CHROMIUM = "/usr/bin/chromium"

STANDIN = [sys.executable, str(Path(__file__).with_name("standin_server.py"))]
REAL = [sys.executable, "-m", "voicelive.cli", "serve", "--backend", "local"]
# The one line that picks the server: REAL by default, the stand-in on request.
SERVER = STANDIN if os.environ.get("VOICELIVE_WEB_SERVER") == "standin" else REAL

BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
]
STARTUP_TIMEOUT_S = 120.0
TURN_TIMEOUT_MS = 90_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class ServerProcess:
    """The server as a child process that can be killed and started again on one port."""

    def __init__(self, port: int, *extra: str) -> None:
        self.port = port
        self.extra = list(extra)
        self.url = f"http://127.0.0.1:{port}/"
        self.proc: subprocess.Popen[str] | None = None
        self.log: list[str] = []

    def start(self) -> None:
        ready = threading.Event()
        pattern = re.compile(rf"127\.0\.0\.1:{self.port}\b")
        proc = subprocess.Popen(
            [*SERVER, "--host", "127.0.0.1", "--port", str(self.port), *self.extra],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.proc = proc

        def drain() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                self.log.append(line)
                if pattern.search(line):
                    ready.set()
            proc.stdout.close()
            ready.set()

        threading.Thread(target=drain, daemon=True).start()
        if not ready.wait(STARTUP_TIMEOUT_S) or proc.poll() is not None:
            self.kill()
            pytest.fail("server did not start:\n" + "".join(self.log[-40:]))
        # Bound and listening once the URL was logged; confirm before handing it out.
        socket.create_connection(("127.0.0.1", self.port), timeout=5).close()

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)
        self.proc = None


def padded_speech(path: Path, text: str, before_s: float, after_s: float) -> Path:
    raw = path.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", "-v", "en-gb", "-s", "130", "-w", str(raw), text], check=True)
    with wave.open(str(raw), "rb") as src:
        params = src.getparams()
        speech = src.readframes(src.getnframes())
    frame = params.sampwidth * params.nchannels
    silence = b"\x00" * frame
    with wave.open(str(path), "wb") as out:
        out.setparams(params)
        out.writeframes(silence * int(before_s * params.framerate))
        out.writeframes(speech)
        out.writeframes(silence * int(after_s * params.framerate))
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    if not (STATIC / "index.html").is_file():
        pytest.fail("voicelive/server/static is missing: run `npm ci && npm run build` in web/")
    db = tmp_path_factory.mktemp("state") / "nutrition.sqlite3"  # never the user's own
    proc = ServerProcess(free_port(), "--db", str(db))
    proc.start()
    yield proc
    proc.kill()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    for tool in (CHROMIUM, "espeak-ng"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
    # The WAV loops; the long tail of silence keeps one utterance per test step.
    wav = padded_speech(
        tmp_path_factory.mktemp("mic") / "mic.wav", "No lunch for me today.", 0.5, 14.0
    )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[*BROWSER_ARGS, f"--use-file-for-fake-audio-capture={wav}"],
        )
        yield chromium
        chromium.close()


class PageErrors:
    """Collects uncaught page errors and console errors, except expected socket failures."""

    def __init__(self, page: Page) -> None:
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", self.on_console)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and "WebSocket" not in message.text:
            self.errors.append(message.text)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1100, "height": 760})
    page = context.new_page()
    errors = PageErrors(page)
    yield page
    context.close()
    assert errors.errors == []


def hooks(page: Page, name: str) -> Any:
    return page.evaluate(f"window.__voicelive.{name}")


def wait_hook(page: Page, condition: str, timeout: float = TURN_TIMEOUT_MS) -> None:
    page.wait_for_function(
        f"(() => {{ const v = window.__voicelive; return {condition}; }})()", timeout=timeout
    )


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def open_page(page: Page, server: ServerProcess, *, skip_tour: bool = True) -> None:
    page.goto(server.url)
    expect(page.get_by_test_id("status")).to_have_attribute("data-status", "idle")
    if skip_tour:
        page.get_by_test_id("tour-skip").click()
        expect(page.get_by_test_id("tour")).not_to_be_visible()


def start_session(page: Page, mode: str = "audio") -> None:
    page.get_by_test_id(f"mode-{mode}").check(force=True)
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_test_id("status")).to_have_attribute(
        "data-status", "active", timeout=TURN_TIMEOUT_MS
    )


def test_web_first_visit_tour_keyboard_and_labels(page: Page, server: ServerProcess) -> None:
    open_page(page, server, skip_tour=False)
    tour = page.get_by_role("dialog")
    expect(tour).to_be_visible()
    expect(tour).to_contain_text("Welcome to voicelive")
    shot(page, "web-tour")
    page.keyboard.press("Enter")  # "Next" has focus
    expect(tour).to_contain_text("Choose how to talk")
    page.get_by_test_id("tour-skip").click()
    expect(tour).not_to_be_visible()

    # Every control has an accessible name.
    for name in ("Start", "Interrupt", "Guide"):
        expect(page.get_by_role("button", name=name)).to_be_visible()
    expect(page.get_by_label("Voice")).to_be_visible()
    expect(page.get_by_role("radio", name="Camera")).to_be_attached()
    expect(page.get_by_role("button", name="Dark theme")).to_be_visible()
    expect(page.get_by_test_id("theme-toggle")).to_contain_text("Dark theme: off")
    # The offline backend has one voice: the menu offers nothing else.
    expect(page.get_by_label("Voice").locator("option")).to_have_count(1)

    # Keyboard: focus reaches Start with a visible outline, and Space picks a mode.
    page.get_by_role("radio", name="Audio only").focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("radio", name="Camera")).to_be_checked()
    page.keyboard.press("ArrowLeft")
    page.get_by_label("User (optional)").focus()
    page.keyboard.press("Tab")
    start = page.get_by_role("button", name="Start")
    expect(start).to_be_focused()
    outline = start.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline not in ("", "none")

    # The walkthrough can be reopened, and does not come back on reload once seen.
    page.get_by_role("button", name="Guide").click()
    expect(tour).to_be_visible()
    page.keyboard.press("Escape")
    expect(tour).not_to_be_visible()
    page.reload()
    expect(page.get_by_test_id("status")).to_have_attribute("data-status", "idle")
    expect(page.get_by_role("dialog")).not_to_be_visible()


def test_web_conversation_interrupt_theme_and_reconnect(page: Page, server: ServerProcess) -> None:
    open_page(page, server)
    start_session(page)

    # The microphone (the WAV file) reaches the level meter.
    wait_hook(page, "v.level > 0.01")

    # One spoken turn: transcript, tool call, reply text, reply audio heard to its mark.
    user = page.get_by_test_id("user-transcript").first
    expect(user).not_to_be_empty(timeout=TURN_TIMEOUT_MS)
    tool = page.get_by_test_id("tool-call").first
    expect(tool).to_be_visible(timeout=TURN_TIMEOUT_MS)
    expect(tool.get_by_test_id("tool-args")).not_to_be_empty()
    expect(tool.get_by_test_id("tool-result")).not_to_be_empty(timeout=TURN_TIMEOUT_MS)
    expect(page.get_by_test_id("assistant-transcript").first).not_to_be_empty(
        timeout=TURN_TIMEOUT_MS
    )
    wait_hook(page, "v.playedSamples > 4800")
    wait_hook(page, "v.marksAcked.length >= 1")
    expect(page.get_by_test_id("turn-latency").first).to_be_visible(timeout=TURN_TIMEOUT_MS)
    assert hooks(page, "audioFramesSent") > 0
    tool.locator("summary").click()
    expect(tool.get_by_test_id("tool-result")).to_be_visible()
    shot(page, "web-conversation")

    # A typed turn, interrupted while its reply plays: playback stops at once.
    page.get_by_label("Message").fill("What should I eat for lunch?")
    page.keyboard.press("Enter")
    wait_hook(page, "v.playing && v.bufferedSamples > 0")
    page.get_by_role("button", name="Interrupt").click()
    wait_hook(page, "!v.playing && v.bufferedSamples === 0 && v.clearedSamples > 0", 10_000)
    typed = page.get_by_test_id("user-transcript").filter(has_text="What should I eat for lunch")
    expect(typed).to_have_count(1)  # shown once, though the server echoes it
    played = hooks(page, "playedSamples")
    t0 = page.evaluate("window.__voicelive.contextTime()")
    wait_hook(page, f"v.contextTime() > {t0} + 0.5", 10_000)
    assert hooks(page, "playedSamples") == played
    assert not hooks(page, "playing")

    # The theme survives a reload.
    page.get_by_role("button", name="Dark theme").click()
    expect(page.locator("html")).to_have_class(re.compile(r"\bdark\b"))
    page.reload()
    expect(page.locator("html")).to_have_class(re.compile(r"\bdark\b"))
    expect(page.get_by_role("button", name="Dark theme")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("theme-toggle")).to_contain_text("Dark theme: on")
    expect(page.get_by_test_id("status")).to_have_attribute("data-status", "idle")

    # Kill the server mid-session: the page says so, and reconnects when it is back.
    start_session(page)
    assert hooks(page, "connections") == 1
    server.kill()
    expect(page.get_by_test_id("status")).to_have_attribute("data-status", "reconnecting")
    shot(page, "web-reconnecting")
    server.start()
    expect(page.get_by_test_id("status")).to_have_attribute(
        "data-status", "active", timeout=TURN_TIMEOUT_MS
    )
    assert hooks(page, "connections") == 2
    expect(page.get_by_test_id("notice").last).to_contain_text("Reconnected")
    page.get_by_role("button", name="Stop").click()
    expect(page.get_by_test_id("status")).to_have_attribute("data-status", "idle")
    page.get_by_role("button", name="Dark theme").click()


@pytest.mark.parametrize("mode", ["camera", "screen"])
def test_web_video_modes_send_jpeg_frames(page: Page, server: ServerProcess, mode: str) -> None:
    open_page(page, server)
    start_session(page, mode)
    expect(page.get_by_test_id("preview")).to_be_visible()
    wait_hook(page, "v.videoFramesSent >= 2", 20_000)
    if mode == "camera":
        shot(page, "web-camera")
    page.get_by_role("button", name="Stop").click()
    expect(page.get_by_test_id("status")).to_have_attribute("data-status", "idle")


def test_web_token_from_page_address(page: Page, tmp_path: Path) -> None:
    guarded = ServerProcess(free_port(), "--token", "s3cret-t0ken",
                            "--db", str(tmp_path / "nutrition.sqlite3"))
    guarded.start()
    try:
        page.goto(guarded.url)
        page.get_by_test_id("tour-skip").click()
        page.get_by_role("button", name="Start").click()
        expect(page.get_by_test_id("status")).to_have_attribute("data-status", "error")
        expect(page.get_by_test_id("status-reason")).to_contain_text("refused")
        shot(page, "web-error")
        page.goto(guarded.url + "?token=s3cret-t0ken")
        start_session(page)
        page.get_by_role("button", name="Stop").click()
        expect(page.get_by_test_id("status")).to_have_attribute("data-status", "idle")
    finally:
        guarded.kill()

"""What one emulated connection does beyond its script: the service's habits, in plain code.

:class:`Conversation` sees every client message (:meth:`Conversation.on_client`) and every batch
of server messages a script step sends (:meth:`Conversation.shape`), and returns what actually
goes on the wire: the family's ``turnComplete`` rules, parts split or merged, usage on
``turnComplete``, ``resumable: false`` while a tool call is pending, cancellations of blocking
calls, ``clientContent`` refusals, function-response ``scheduling``, one function response
per call id (:mod:`~voicelive.testing.responses`). No sockets and no clocks:
the emulator turns :class:`Outcome` into sends, closes and timers.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from voicelive.testing import messages
from voicelive.testing.messages import ServerMessage
from voicelive.testing.parts import merge_parts, split_parts
from voicelive.testing.profiles import SCRIPTED, Profile, resolve_profile
from voicelive.testing.responses import ResponseBook
from voicelive.testing.script import Close, Received
from voicelive.testing.setup_check import check_setup

__all__ = ["DEADLINE_REASON", "INVALID_ARGUMENT", "Conversation", "HandleBook", "Outcome"]

DEADLINE_REASON = "Deadline expired before operation could complete."
"""Close reason (code 1011) when a ``goAway``'s ``timeLeft`` ran out."""

INVALID_ARGUMENT = "Request contains an invalid argument."
"""Close reason (code 1007) for a message the model family does not accept."""

SPEECH_PEAK = 500
"""A chunk of user audio whose largest sample exceeds this counts as speech (new user input)."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the emulator does now.

    Attributes:
        send: Server messages, in order.
        close: Close the connection after sending.
        deadline_s: Arm (or re-arm) the ``goAway`` deadline: close with 1011 after this long.
        observe: Let the script see the message; ``False`` for one the service ignores (a
            function response for a call already answered).
    """

    send: Sequence[ServerMessage] = ()
    close: Close | None = None
    deadline_s: float | None = None
    observe: bool = True


@dataclass
class HandleBook:
    """Session-resumption handles the emulator issued, shared by every connection."""

    issued: set[str] = field(default_factory=set)

    def knows(self, handle: str) -> bool:
        """Whether ``handle`` was issued (by a ``sessionResumptionUpdate`` or :meth:`add`)."""
        return handle in self.issued

    def add(self, handle: str) -> None:
        """Accept ``handle`` for resumption as if it had been issued earlier."""
        self.issued.add(handle)


def parse_duration(value: object) -> float | None:
    """Seconds of a protobuf ``Duration`` in JSON form (``"1.5s"``), or ``None``."""
    if isinstance(value, str) and value.endswith("s"):
        try:
            return max(0.0, float(value[:-1]))
        except ValueError:
            return None
    return None


def _is_speech(pcm: bytes) -> bool:
    if len(pcm) < 2:
        return False
    samples = memoryview(pcm[: len(pcm) - len(pcm) % 2]).cast("h")
    if sys.byteorder != "little":  # pragma: no cover - the wire is little-endian
        return any(abs(int.from_bytes(pcm[i : i + 2], "little", signed=True)) > SPEECH_PEAK
                   for i in range(0, len(pcm) - 1, 2))
    return max(samples) > SPEECH_PEAK or -min(samples) > SPEECH_PEAK


def _is_turn_complete(message: object) -> bool:
    content = message.get("serverContent") if isinstance(message, dict) else None
    return isinstance(content, dict) and bool(content.get("turnComplete"))


class Conversation:
    """The state of one connection that its profile's rules need.

    Args:
        profile: A :class:`Profile`, a profile name, or ``None``/``"auto"`` (chosen from the
            model in ``setup``).
        handles: The emulator's book of issued resumption handles.
        strict: Check ``setup`` field names and the model name (see
            :func:`~voicelive.testing.setup_check.check_setup`).
        api_version: The API version of the request path (for error texts).
    """

    def __init__(
        self,
        profile: Profile | str | None,
        handles: HandleBook,
        *,
        strict: bool = False,
        api_version: str = "v1beta",
    ) -> None:
        self._choice = profile
        self.profile: Profile = profile if isinstance(profile, Profile) else SCRIPTED
        self.handles = handles
        self.strict = strict
        self.api_version = api_version
        self.behaviors: dict[str, str] = {}
        self.pending: dict[str, str] = {}
        self.cancelled: list[str] = []
        self.responses = ResponseBook(self._behavior)
        self.withheld: list[ServerMessage] = []
        self.suppressed: list[ServerMessage] = []
        self.deferred: list[ServerMessage] = []
        self._defer_until_idle = False
        self.model_turn_started = False
        self.in_model_turn = False
        self.user_active = False
        self.client_index = -1
        self.transparent = False
        self.history_in_client_content = False
        self._in_audio = 0
        self._in_text = 0
        self._out_audio = 0
        self._out_text = 0

    # --- client -> server ---------------------------------------------------------------------

    def on_setup(self, body: dict[str, Any]) -> Outcome:
        """Take the ``setup``: choose the profile, check it; a close when it is refused."""
        self.client_index += 1
        model = str(body.get("model") or "")
        self.profile = resolve_profile(self._choice, model)
        for tool in body.get("tools") or []:
            for decl in (tool or {}).get("function_declarations") or []:
                if isinstance(decl, dict) and decl.get("name"):
                    self.behaviors[str(decl["name"])] = str(decl.get("behavior") or "")
        resumption = body.get("session_resumption")
        if isinstance(resumption, dict):
            self.transparent = bool(resumption.get("transparent"))
        history = body.get("history_config")
        if isinstance(history, dict):
            self.history_in_client_content = bool(history.get("initial_history_in_client_content"))
        refusal = check_setup(
            body, self.profile, self.handles, strict=self.strict, api_version=self.api_version
        )
        return Outcome(close=refusal)

    def on_client(self, message: Received) -> Outcome:
        """Account for a client message other than ``setup``; what the service answers."""
        self.client_index += 1
        body = message.body
        if message.kind == "tool_response":  # one response per call id, with every profile
            taken = self.responses.take(body.get("function_responses") or [])
            for call_id in taken if self.profile.shapes else ():
                self.pending.pop(call_id, None)
            return Outcome(observe=bool(taken))
        if not self.profile.shapes:
            return Outcome()
        if message.kind == "client_content":
            return self._on_client_content(body)
        if message.kind != "realtime_input":
            return Outcome()
        new_input = False
        for blob in self._audio_blobs(body):
            self._in_audio += len(blob)
            new_input = new_input or _is_speech(blob)
        if isinstance(body.get("text"), str):
            self._in_text += len(body["text"])
            new_input = True
        if body.get("activity_start") is not None:
            self.user_active = True
            new_input = True
        send: list[ServerMessage] = []
        if new_input:
            send.extend(self._cancel_blocking())
        if body.get("activity_end") is not None:
            self.user_active = False
            if self.deferred and not (self._defer_until_idle and self.in_model_turn):
                send.extend(self.shape(self._take_deferred()).send)
        return Outcome(send=send)

    @staticmethod
    def _audio_blobs(body: dict[str, Any]) -> Iterable[bytes]:
        blobs = [body.get("audio"), *(body.get("media_chunks") or [])]
        for blob in blobs:
            if isinstance(blob, dict) and str(blob.get("mime_type", "")).startswith("audio/"):
                data = blob.get("data")
                if isinstance(data, bytes):
                    yield data

    def _on_client_content(self, body: dict[str, Any]) -> Outcome:
        for turn in body.get("turns") or []:
            for part in (turn or {}).get("parts") or []:
                if isinstance(part, dict) and isinstance(part.get("text"), str):
                    self._in_text += len(part["text"])
        if self.profile.client_content == "initial_history" and (
            not self.history_in_client_content or self.model_turn_started
        ):
            return Outcome(close=Close(1007, INVALID_ARGUMENT))
        return Outcome(send=self._cancel_blocking())

    def _cancel_blocking(self) -> list[ServerMessage]:
        if not self.profile.cancel_blocking_on_input:
            return []
        ids = [i for i, name in self.pending.items() if self._behavior(name) == "BLOCKING"]
        for call_id in ids:
            del self.pending[call_id]
        self.cancelled.extend(ids)
        return [messages.tool_call_cancellation(*ids)] if ids else []

    def _behavior(self, name: str) -> str:
        declared = self.behaviors.get(name, "")
        if declared in ("BLOCKING", "NON_BLOCKING"):
            return declared
        return self.profile.default_behavior

    # --- server -> client ---------------------------------------------------------------------

    def scheduling_of(self, message: Received | None) -> str | None:
        """The ``scheduling`` of a function response that applies (non-blocking calls only)."""
        if message is None or message.kind != "tool_response" or not self.profile.shapes:
            return None
        for response in message.body.get("function_responses") or []:
            scheduling = response.get("scheduling")
            name = str(response.get("name") or "")
            if scheduling and self._behavior(name) == "NON_BLOCKING":
                return str(scheduling)
        return None

    def react(self, batch: Sequence[ServerMessage], cause: Received | None) -> Outcome:
        """Shape the messages of the steps ``cause`` fired, honouring response scheduling."""
        scheduling = self.scheduling_of(cause)
        if scheduling == "SILENT":
            kept = [m for m in batch if "serverContent" not in m]
            self.suppressed.extend(m for m in batch if "serverContent" in m)
            return self.shape(kept)
        if scheduling in ("WHEN_IDLE", "INTERRUPT") and (
            self.user_active or (scheduling == "WHEN_IDLE" and self.in_model_turn)
        ):
            self.deferred.extend(batch)
            self._defer_until_idle = self._defer_until_idle or scheduling == "WHEN_IDLE"
            return Outcome()
        if scheduling == "INTERRUPT" and self.in_model_turn:
            return self.shape([messages.interrupted(), *batch])
        return self.shape(batch)

    def _take_deferred(self) -> list[ServerMessage]:
        batch, self.deferred = self.deferred, []
        self._defer_until_idle = False
        return batch

    def shape(self, batch: Sequence[ServerMessage]) -> Outcome:
        """Apply the profile to a batch of server messages."""
        if not self.profile.shapes:
            return Outcome(send=list(batch), deadline_s=self._deadline_of(batch))
        out: list[ServerMessage] = []
        deadline: float | None = None
        for i, message in enumerate(batch):
            following = batch[i + 1] if i + 1 < len(batch) else None
            try:
                out.extend(self._one(message, following))
            except (AttributeError, TypeError, ValueError):
                out.append(message)  # a deliberately malformed script message goes as written
            time_left = self._deadline_of([message])
            if time_left is not None:
                deadline = time_left
        shaped = split_parts(out) if self.profile.parts_per_message == "one" else merge_parts(out)
        if self.deferred and not self.in_model_turn and not self.user_active:
            shaped.extend(self.shape(self._take_deferred()).send)
        return Outcome(send=shaped, deadline_s=deadline)

    @staticmethod
    def _deadline_of(batch: Sequence[ServerMessage]) -> float | None:
        found: float | None = None
        for message in batch:
            go_away = message.get("goAway") if isinstance(message, dict) else None
            if isinstance(go_away, dict):
                found = parse_duration(go_away.get("timeLeft"))
        return found

    def _one(self, message: ServerMessage, following: ServerMessage | None) -> list[ServerMessage]:
        if "toolCall" in message:
            for call in message["toolCall"].get("functionCalls") or []:
                self.pending[str(call.get("id"))] = str(call.get("name") or "")
            self.in_model_turn = False
            if self.profile.turn_complete_after_tool_call and not _is_turn_complete(following):
                return [message, self._turn_complete(messages.turn_complete())]
            return [message]
        if "toolCallCancellation" in message:
            for call_id in message["toolCallCancellation"].get("ids") or []:
                self.pending.pop(str(call_id), None)
            return [message]
        if "sessionResumptionUpdate" in message:
            return [self._resumption(message)]
        content = message.get("serverContent")
        if not isinstance(content, dict):
            return [message]
        self._count_output(content)
        if content.get("turnComplete"):
            if self.pending and not self.profile.turn_complete_after_tool_call:
                self.withheld.append(message)
                rest = {k: v for k, v in content.items() if k not in ("turnComplete",)}
                return [{**message, "serverContent": rest}] if rest else []
            return [self._turn_complete(message)]
        if content.get("interrupted"):
            self.in_model_turn = False
            if self.profile.turn_complete_after_interrupted and not _is_turn_complete(following):
                return [message, self._turn_complete(messages.turn_complete())]
        return [message]

    def _count_output(self, content: dict[str, Any]) -> None:
        turn = content.get("modelTurn")
        if isinstance(turn, dict):
            self.model_turn_started = True
            self.in_model_turn = True
            for part in turn.get("parts") or []:
                inline = part.get("inlineData") if isinstance(part, dict) else None
                if isinstance(inline, dict) and isinstance(inline.get("data"), str):
                    self._out_audio += len(inline["data"]) * 3 // 4
                if isinstance(part, dict) and isinstance(part.get("text"), str):
                    self._out_text += len(part["text"])
        if "outputTranscription" in content:
            self.in_model_turn = True

    def _turn_complete(self, message: ServerMessage) -> ServerMessage:
        self.in_model_turn = False
        if not self.profile.usage_on_turn_complete or "usageMetadata" in message:
            return message
        prompt = self._in_audio // 1000 + self._in_text // 4
        response = self._out_audio // 1500 + self._out_text // 4
        self._in_audio = self._in_text = self._out_audio = self._out_text = 0
        return {**message, **messages.usage(prompt, response)}

    def _resumption(self, message: ServerMessage) -> ServerMessage:
        update = dict(message["sessionResumptionUpdate"])
        if self.pending and update.get("resumable", True):
            self.withheld.append(message)
            update = {"newHandle": "", "resumable": False}
        elif update.get("newHandle") and update.get("resumable", True):
            self.handles.add(str(update["newHandle"]))
        if self.transparent:
            update["lastConsumedClientMessageIndex"] = str(max(0, self.client_index))
        return {**message, "sessionResumptionUpdate": update}

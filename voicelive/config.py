"""Session configuration: one validated pydantic model shared by every backend."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["HistoryTurn", "InputPolicy", "SessionConfig", "ThinkingLevel", "VadConfig"]

InputPolicy = Literal["pause", "listen"]
"""What happens to user input while a blocking tool runs: ``pause`` (default) drops microphone
audio and frames, counting them; ``listen`` keeps sending."""


class VadConfig(BaseModel):
    """Voice activity detection settings (server-side for Gemini, Silero for the local backend).

    Attributes:
        manual: Send explicit activity start/end instead of automatic detection.
        start_sensitivity: ``high`` or ``low`` sensitivity to the start of speech.
        end_sensitivity: ``high`` or ``low`` sensitivity to the end of speech.
        prefix_padding_ms: Audio kept before detected speech (pre-roll).
        silence_ms: Silence that ends the user's turn.
        threshold: Speech probability threshold of the local detector.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    manual: bool = False
    start_sensitivity: Literal["high", "low"] | None = None
    end_sensitivity: Literal["high", "low"] | None = None
    prefix_padding_ms: int = Field(default=200, ge=0, le=2000)
    silence_ms: int = Field(default=400, ge=50, le=5000)
    threshold: float = Field(default=0.5, gt=0.0, lt=1.0)


ThinkingLevel = Literal["minimal", "low", "medium", "high"]
"""How much a Gemini 3 model thinks before it answers (``thinkingLevel``)."""


class HistoryTurn(BaseModel):
    """One turn of conversation that seeds a new session (never re-sent on resumption).

    Attributes:
        role: ``user`` or ``model``.
        text: What was said, as text.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    role: Literal["user", "model"]
    text: str = Field(min_length=1, max_length=20_000)


class SessionConfig(BaseModel):
    """Everything that shapes one live session.

    Attributes:
        model: Model name; the backend's default when ``None``.
        voice: Voice name (a Gemini prebuilt voice, or a Piper voice for the local backend).
        instructions: System instruction for the model.
        language: BCP-47 language code for speech, e.g. ``en-US``.
        user_id: Whose state tools see (nutrition day plans are per user).
        vad: Voice activity detection settings.
        transcribe_input: Ask for transcripts of the user's speech.
        transcribe_output: Ask for transcripts of the assistant's speech.
        resumption: Keep a resumption handle and resume after hand-overs and drops.
        resumption_handle: Resume a previous conversation from this handle.
        resume_state: What a previous connection exported to continue from (its
            ``export_state()``, see :mod:`voicelive.backends.resumable`).
        context_compression: Sliding-window context compression for long sessions.
        affective_dialog: Let the model adapt its tone to the user's (Gemini).
        proactive_audio: Let the model decide not to answer irrelevant input (Gemini).
        media_resolution: Resolution the model samples video frames at.
        input_policy: What happens to input while a blocking tool runs.
        chunk_ms: Duration of audio chunks sent to the backend (20-100 ms).
        setup_timeout_s: How long to wait for the server to accept the session setup.
        max_reconnects: Reconnect attempts allowed within ``reconnect_window_s`` after retryable
            closes; one more drop inside the window ends the session.
        reconnect_window_s: The sliding window the reconnect budget counts attempts in.
        thinking_level: Thinking depth of Gemini 3 models (``thinkingLevel``); Gemini 2.5
            models refuse it at connect (use ``thinking_budget``).
        thinking_budget: Thinking tokens of Gemini 2.5 models (``thinkingBudget``, 0 turns
            thinking off); Gemini 3 models refuse it at connect (use ``thinking_level``).
        initial_history: Turns that seed a new conversation before the user speaks (at most
            100; not re-sent when a conversation resumes).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    model: str | None = None
    voice: str | None = None
    instructions: str | None = None
    language: str | None = None
    user_id: str = Field(default="default", min_length=1, max_length=128)
    vad: VadConfig = Field(default_factory=VadConfig)
    transcribe_input: bool = True
    transcribe_output: bool = True
    resumption: bool = True
    resumption_handle: str | None = None
    resume_state: dict[str, Any] | None = None
    context_compression: bool = True
    affective_dialog: bool = False
    proactive_audio: bool = False
    media_resolution: Literal["low", "medium", "high"] | None = None
    input_policy: InputPolicy = "pause"
    chunk_ms: int = Field(default=40, ge=20, le=100)
    setup_timeout_s: float = Field(default=10.0, gt=0)
    max_reconnects: int = Field(default=5, ge=0)
    reconnect_window_s: float = Field(default=60.0, gt=0)
    thinking_level: ThinkingLevel | None = None
    thinking_budget: int | None = Field(default=None, ge=-1, le=32768)
    initial_history: tuple[HistoryTurn, ...] = Field(default=(), max_length=100)

"""Writing a test of your own code with LiveEmulator and the real google-genai client.

Run: ``python examples/test_with_emulator.py`` (or collect it with pytest: it has a test).
The emulator serves Gemini Live's wire protocol over TLS on 127.0.0.1 and plays a script.
"""

from __future__ import annotations

import anyio

from voicelive import LiveSession, MemorySink, MemorySource, ToolRegistry, tool
from voicelive.events import TurnComplete
from voicelive.testing import LiveEmulator, messages, on_audio, on_tool_response


@tool
def get_time(city: str) -> str:
    """Tell the local time in a city.

    Args:
        city: The city.
    """
    return f"It is noon in {city}."


REPLY = b"\x10\x00" * 2400  # 100 ms of 24 kHz audio the "model" speaks

SCRIPT = [
    # after 0.2 s of user audio, the model asks for the tool
    on_audio(6400, messages.input_transcript("what time is it in Lyon?", finished=True),
             messages.tool_call("call-1", "get_time", {"city": "Lyon"})),
    # when our tool's answer arrives, it speaks and ends the turn
    on_tool_response("call-1", messages.audio(REPLY), messages.output_transcript("Noon."),
                     messages.turn_complete()),
]


async def run_conversation() -> tuple[bytes, list[dict[str, object]]]:
    async with LiveEmulator(SCRIPT) as emulator:
        sink = MemorySink()
        source = MemorySource.from_bytes(b"\x00\x01" * 3200 * 2)
        backend = emulator.backend()  # or set the variables in emulator.env() for GeminiBackend()
        async with LiveSession(backend, source=source, sink=sink,
                               tools=ToolRegistry([get_time])) as session:
            async for event in session:
                if isinstance(event, TurnComplete):
                    break
        return sink.data, emulator.tool_responses()


def test_the_tool_answer_reaches_the_model() -> None:
    audio, responses = anyio.run(run_conversation)
    assert audio == REPLY
    assert responses[0]["id"] == "call-1"
    assert responses[0]["response"] == {"status": "ok", "output": "It is noon in Lyon."}


if __name__ == "__main__":
    test_the_tool_answer_reaches_the_model()
    print("ok: the reply audio and the tool response went through the real client")

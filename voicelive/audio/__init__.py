"""Audio: formats, source/sink protocols, WAV/memory/device I/O, resampling, buffering."""

from voicelive.audio.chunker import Chunker
from voicelive.audio.device import MicrophoneSource, SpeakerSink
from voicelive.audio.format import PCM16_16K, PCM16_24K, AudioFormat
from voicelive.audio.memory import MemorySink, MemorySource
from voicelive.audio.playback import PlaybackBuffer, PlaybackStats
from voicelive.audio.protocols import AudioSink, AudioSource
from voicelive.audio.resample import StreamResampler, resample_once, to_mono
from voicelive.audio.wav import WavSink, WavSource, read_wav, write_wav

__all__ = [
    "PCM16_16K",
    "PCM16_24K",
    "AudioFormat",
    "AudioSink",
    "AudioSource",
    "Chunker",
    "MemorySink",
    "MemorySource",
    "MicrophoneSource",
    "PlaybackBuffer",
    "PlaybackStats",
    "SpeakerSink",
    "StreamResampler",
    "WavSink",
    "WavSource",
    "read_wav",
    "resample_once",
    "to_mono",
    "write_wav",
]

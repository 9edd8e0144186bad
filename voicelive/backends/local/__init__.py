"""The offline backend: a complete voice assistant with no network.

Voice activity detection (Silero), speech recognition (faster-whisper), understanding of the
request against the tools' declarations (:mod:`.understand`, plain code) and speech synthesis
(Piper), all on the CPU. Importing this package is cheap; the models load when a
:class:`LocalBackend` first connects or when :meth:`LocalBackend.load` is called.
"""

from voicelive.backends.local.backend import LocalBackend, LocalConnection
from voicelive.backends.local.models import LocalModels, ProgressHook, load_models

__all__ = ["LocalBackend", "LocalConnection", "LocalModels", "ProgressHook", "load_models"]

import { useCallback, useEffect, useState, useSyncExternalStore } from "react";
import { chosenVoice, Controls, type Settings } from "./components/Controls";
import { Conversation } from "./components/Conversation";
import { LevelMeter } from "./components/LevelMeter";
import { StatusBadge, StatusReason } from "./components/StatusBadge";
import { TextInput } from "./components/TextInput";
import { ThemeToggle } from "./components/ThemeToggle";
import { Tour, tourSeen } from "./components/Tour";
import { VideoPreview } from "./components/VideoPreview";
import type { VoiceClient } from "./net/client";
import { applyTheme, saveTheme, type Theme } from "./state/theme";

const SETTINGS_KEY = "voicelive.settings";

function loadSettings(): Settings {
  const fallback: Settings = { mode: "audio", voice: "", user: "" };
  try {
    const stored = JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? "null") as Partial<Settings> | null;
    return { ...fallback, ...stored };
  } catch {
    return fallback;
  }
}

interface Props {
  client: VoiceClient;
  initialTheme: Theme;
}

export function App({ client, initialTheme }: Props) {
  const snap = useSyncExternalStore(client.subscribe, client.getSnapshot);
  const [theme, setTheme] = useState(initialTheme);
  const [settings, setSettings] = useState(loadSettings);
  const [tourOpen, setTourOpen] = useState(() => !tourSeen());
  const [healthVoices, setHealthVoices] = useState<string[]>([]);
  // The backend's voices: from /voices before the first session, from `ready` after it.
  const voices = snap.session?.voices ?? healthVoices;

  useEffect(() => {
    let live = true;
    fetch("voices")
      .then((response) => response.json())
      .then((body: { voices?: unknown }) => {
        if (live && Array.isArray(body.voices)) setHealthVoices(body.voices.map(String));
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);

  const changeTheme = (next: Theme) => {
    setTheme(next);
    applyTheme(next);
    saveTheme(next);
  };
  const changeSettings = (next: Settings) => {
    setSettings(next);
    localStorage.setItem(SETTINGS_KEY, JSON.stringify(next));
  };
  const start = () =>
    void client.start({
      mode: settings.mode,
      voice: chosenVoice(settings.voice, voices),
      user: settings.user.trim() || null,
    });
  const interrupt = useCallback(() => client.interrupt(), [client]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape" && client.getSnapshot().status === "active") interrupt();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [client, interrupt]);

  return (
    <div className="mx-auto flex h-dvh min-h-[36rem] max-w-4xl flex-col gap-4 p-4 sm:p-6">
      <header className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex min-w-0 items-center gap-4">
          <h1 className="text-xl font-bold tracking-tight">voicelive</h1>
          <StatusBadge status={snap.status} attempt={snap.attempt} />
        </div>
        <div className="flex items-center gap-2">
          <button
            type="button"
            data-testid="tour-open"
            onClick={() => setTourOpen(true)}
            className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
          >
            Guide
          </button>
          <ThemeToggle theme={theme} onChange={changeTheme} />
        </div>
      </header>
      <StatusReason status={snap.status} reason={snap.reason} />
      <main className="flex min-h-0 flex-1 flex-col gap-4">
        <div className="flex flex-wrap items-end justify-between gap-4 rounded-xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
          <Controls
            status={snap.status}
            settings={settings}
            voices={voices}
            playing={snap.playing}
            onSettings={changeSettings}
            onStart={start}
            onStop={() => void client.stop()}
            onInterrupt={interrupt}
          />
          <div className="flex flex-col gap-1">
            <LevelMeter client={client} />
            <p data-testid="speaker" className="text-xs text-slate-500 dark:text-slate-400">
              {snap.playing ? "Assistant speaking" : snap.session ? `${snap.session.backend} · ${snap.session.model}` : "\u00a0"}
            </p>
          </div>
        </div>
        <div className="flex min-h-0 flex-1 gap-4">
          <Conversation state={snap.conversation} />
          {snap.preview && <VideoPreview stream={snap.preview} />}
        </div>
        <TextInput disabled={snap.status !== "active"} onSend={(text) => client.sendText(text)} />
      </main>
      <Tour open={tourOpen} onClose={() => setTourOpen(false)} />
    </div>
  );
}

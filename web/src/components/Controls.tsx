import type { Status } from "../net/client";
import type { Mode } from "../net/protocol";

/**
 * The voice to ask for: the chosen one when the backend offers it, else the default (null).
 * `voices` is what the server said the backend has (`ready` or `/health`).
 */
export function chosenVoice(voice: string, voices: readonly string[]): string | null {
  return voice && voices.includes(voice) ? voice : null;
}

const MODES: { value: Mode; label: string }[] = [
  { value: "audio", label: "Audio only" },
  { value: "camera", label: "Camera" },
  { value: "screen", label: "Screen" },
];

export interface Settings {
  mode: Mode;
  voice: string;
  user: string;
}

interface Props {
  status: Status;
  settings: Settings;
  /** The voices the backend has; only these are offered. */
  voices: readonly string[];
  playing: boolean;
  onSettings(settings: Settings): void;
  onStart(): void;
  onStop(): void;
  onInterrupt(): void;
}

const button =
  "rounded-md px-4 py-2 text-sm font-semibold disabled:cursor-not-allowed disabled:opacity-50";
const field =
  "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900";

/** Start/stop, interrupt, and the settings a session starts with. */
export function Controls({ status, settings, voices, playing, onSettings, onStart, onStop, onInterrupt }: Props) {
  const running = status !== "idle" && status !== "error";
  return (
    <section aria-label="Session controls" data-tour="controls" className="flex flex-wrap items-end gap-4">
      <fieldset className="flex flex-col gap-1" disabled={running} data-tour="mode">
        <legend className="mb-1 text-xs font-medium text-slate-600 dark:text-slate-400">Mode</legend>
        <div className="flex overflow-hidden rounded-md border border-slate-300 dark:border-slate-700">
          {MODES.map((m) => (
            <label
              key={m.value}
              className="cursor-pointer px-3 py-1.5 text-sm has-checked:bg-slate-900 has-checked:text-white has-focus-visible:outline-3 has-focus-visible:-outline-offset-3 has-focus-visible:outline-amber-400 dark:has-checked:bg-slate-100 dark:has-checked:text-slate-900"
            >
              <input
                type="radio"
                name="mode"
                value={m.value}
                checked={settings.mode === m.value}
                onChange={() => onSettings({ ...settings, mode: m.value })}
                className="sr-only"
                data-testid={`mode-${m.value}`}
              />
              {m.label}
            </label>
          ))}
        </div>
      </fieldset>
      <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-400">
        Voice
        <select
          className={field}
          value={chosenVoice(settings.voice, voices) ?? ""}
          disabled={running || voices.length === 0}
          data-testid="voice"
          onChange={(e) => onSettings({ ...settings, voice: e.target.value })}
        >
          <option value="">Default</option>
          {voices.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-400">
        User (optional)
        <input
          className={`${field} w-36`}
          value={settings.user}
          disabled={running}
          autoComplete="off"
          data-testid="user"
          onChange={(e) => onSettings({ ...settings, user: e.target.value })}
        />
      </label>
      <div className="flex gap-2" data-tour="start">
        {running ? (
          <button type="button" className={`${button} bg-rose-600 text-white hover:bg-rose-700`} onClick={onStop} data-testid="stop">
            Stop
          </button>
        ) : (
          <button type="button" className={`${button} bg-emerald-600 text-white hover:bg-emerald-700`} onClick={onStart} data-testid="start">
            Start
          </button>
        )}
        <button
          type="button"
          className={`${button} border border-slate-300 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800`}
          disabled={status !== "active"}
          onClick={onInterrupt}
          data-testid="interrupt"
          data-playing={playing}
          aria-keyshortcuts="Escape"
        >
          Interrupt
        </button>
      </div>
    </section>
  );
}

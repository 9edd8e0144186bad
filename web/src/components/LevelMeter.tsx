import { useEffect, useRef } from "react";
import type { VoiceClient } from "../net/client";

/** Microphone level, drawn straight to the DOM so that the rest of the page does not re-render. */
export function LevelMeter({ client }: { client: VoiceClient }) {
  const bar = useRef<HTMLDivElement>(null);
  const meter = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let frame = 0;
    let latest = 0;
    const off = client.onLevel((level) => {
      latest = level;
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        // Speech RMS sits around 0.01-0.3; a square-root curve spreads it over the bar.
        const percent = Math.min(100, Math.round(Math.sqrt(latest) * 180));
        if (bar.current) bar.current.style.width = `${percent}%`;
        meter.current?.setAttribute("aria-valuenow", String(percent));
      });
    });
    return () => {
      off();
      cancelAnimationFrame(frame);
    };
  }, [client]);
  return (
    <div className="flex items-center gap-2">
      <span id="level-label" className="text-xs text-slate-600 dark:text-slate-400">
        Mic
      </span>
      <div
        ref={meter}
        role="meter"
        aria-labelledby="level-label"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={0}
        data-testid="level"
        className="h-2 w-32 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800"
      >
        <div ref={bar} className="h-full w-0 bg-emerald-500 transition-[width] duration-75" />
      </div>
    </div>
  );
}

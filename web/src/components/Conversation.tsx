import { useEffect, useRef } from "react";
import type { Conversation as State, Item } from "../state/conversation";
import { PendingConfirmation } from "./PendingConfirmation";

function json(value: unknown, indent = 2): string {
  if (value === undefined) return "";
  try {
    return JSON.stringify(value, null, indent);
  } catch {
    return String(value);
  }
}

function ToolCall({ item }: { item: Extract<Item, { kind: "tool" }> }) {
  const tone =
    item.status === "ok"
      ? "text-emerald-700 dark:text-emerald-300"
      : item.status === "running"
        ? "text-sky-700 dark:text-sky-300"
        : "text-rose-700 dark:text-rose-300";
  return (
    <li data-testid="tool-call" data-tool={item.name} data-state={item.status} className="min-w-0 rounded-lg border border-slate-200 bg-white p-3 text-sm dark:border-slate-800 dark:bg-slate-900">
      <div className="flex flex-wrap items-baseline gap-2">
        <span className="font-mono font-semibold">{item.name}</span>
        <span className={`text-xs font-medium ${tone}`}>{item.status}</span>
        {item.durationMs !== undefined && (
          <span className="text-xs text-slate-500 dark:text-slate-400">{Math.round(item.durationMs)} ms</span>
        )}
      </div>
      <pre data-testid="tool-args" className="mt-1 rounded bg-slate-100 p-2 text-xs break-words whitespace-pre-wrap dark:bg-slate-950">
        {json(item.args, 0)}
      </pre>
      {item.confirmation && <PendingConfirmation confirmation={item.confirmation} />}
      {item.output !== undefined && (
        <details className="mt-1">
          <summary className="cursor-pointer text-xs text-slate-600 dark:text-slate-400">
            {item.status === "ok" ? "Result" : "Error"}
          </summary>
          <pre data-testid="tool-result" className="mt-1 max-h-64 overflow-auto rounded bg-slate-100 p-2 text-xs break-words whitespace-pre-wrap dark:bg-slate-950">
            {json(item.output)}
          </pre>
        </details>
      )}
    </li>
  );
}

function Entry({ item }: { item: Item }) {
  switch (item.kind) {
    case "transcript": {
      const user = item.role === "user";
      return (
        <li
          data-testid={`${item.role}-transcript`}
          data-final={item.final}
          className={`max-w-[85%] rounded-2xl px-4 py-2 ${user ? "self-end bg-sky-600 text-white" : "self-start bg-slate-200 dark:bg-slate-800"} ${item.final ? "" : "opacity-75"}`}
        >
          <span className="sr-only">{user ? "You: " : "Assistant: "}</span>
          {item.text}
          {item.cut && <span className="ml-1 text-xs italic opacity-75">(interrupted)</span>}
        </li>
      );
    }
    case "tool":
      return <ToolCall item={item} />;
    case "turn":
      return (
        <li data-testid="turn-latency" className="self-center text-xs text-slate-500 dark:text-slate-400">
          {item.latencyMs === null ? "turn complete" : `turn latency ${Math.round(item.latencyMs)} ms`}
        </li>
      );
    case "notice":
      return (
        <li
          data-testid="notice"
          className={`self-center text-xs ${item.tone === "error" ? "text-rose-700 dark:text-rose-300" : "text-slate-500 dark:text-slate-400"}`}
        >
          {item.text}
        </li>
      );
  }
}

/** Transcripts as they stream, tool calls with their arguments and results, per-turn latency. */
export function Conversation({ state }: { state: State }) {
  const end = useRef<HTMLLIElement>(null);
  useEffect(() => {
    // Block body: scrollIntoView returns a promise in newer browsers, not a cleanup function.
    void end.current?.scrollIntoView({ block: "end" });
  }, [state.items.length]);
  return (
    <section aria-labelledby="conversation-title" data-tour="conversation" className="flex min-h-0 min-w-0 flex-1 flex-col">
      <h2 id="conversation-title" className="mb-2 text-sm font-semibold text-slate-600 dark:text-slate-400">
        Conversation
      </h2>
      <ol
        role="log"
        aria-live="polite"
        tabIndex={0}
        data-testid="conversation"
        className="flex min-h-40 flex-1 flex-col gap-2 overflow-y-auto rounded-xl border border-slate-200 bg-slate-100/60 p-4 dark:border-slate-800 dark:bg-slate-900/60"
      >
        {state.items.length === 0 && (
          <li className="self-center text-sm text-slate-500 dark:text-slate-400">
            Press Start and say something, for example "I missed lunch".
          </li>
        )}
        {state.items.map((item) => (
          <Entry key={item.key} item={item} />
        ))}
        <li ref={end} aria-hidden="true" />
      </ol>
    </section>
  );
}

import type { Status } from "../net/client";

const LABELS: Record<Status, string> = {
  idle: "Idle",
  connecting: "Connecting",
  active: "Active",
  reconnecting: "Reconnecting",
  error: "Error",
};

const COLOURS: Record<Status, string> = {
  idle: "bg-slate-400",
  connecting: "bg-sky-500 animate-pulse",
  active: "bg-emerald-500",
  reconnecting: "bg-amber-500 animate-pulse",
  error: "bg-rose-600",
};

interface Props {
  status: Status;
  reason: string | null;
  attempt: number;
}

/** The connection state, always on screen. */
export function StatusBadge({ status, attempt }: Omit<Props, "reason">) {
  return (
    <div role="status" aria-live="polite" className="flex items-center gap-2 text-sm">
      <span aria-hidden="true" className={`h-3 w-3 shrink-0 rounded-full ${COLOURS[status]}`} />
      <span data-testid="status" data-status={status} className="font-semibold">
        {LABELS[status]}
        {status === "reconnecting" && attempt > 1 ? ` (attempt ${attempt})` : ""}
      </span>
    </div>
  );
}

/** Why the page is in the error (or reconnecting) state, right under the header. */
export function StatusReason({ status, reason }: Omit<Props, "attempt">) {
  if (!reason || (status !== "error" && status !== "reconnecting")) return null;
  const error = status === "error";
  return (
    <p
      role={error ? "alert" : undefined}
      data-testid="status-reason"
      className={`rounded-lg border px-4 py-2 text-sm ${error ? "border-rose-300 bg-rose-50 text-rose-800 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-200" : "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"}`}
    >
      {reason}
    </p>
  );
}

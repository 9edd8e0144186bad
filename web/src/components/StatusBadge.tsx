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

/** The connection state, always on screen, with the reason when something went wrong. */
export function StatusBadge({ status, reason, attempt }: Props) {
  return (
    <div role="status" aria-live="polite" className="flex min-w-0 items-center gap-2 text-sm">
      <span aria-hidden="true" className={`h-3 w-3 shrink-0 rounded-full ${COLOURS[status]}`} />
      <span data-testid="status" data-status={status} className="font-semibold">
        {LABELS[status]}
        {status === "reconnecting" && attempt > 1 ? ` (attempt ${attempt})` : ""}
      </span>
      {reason && (status === "error" || status === "reconnecting") && (
        <span data-testid="status-reason" className="truncate text-rose-700 dark:text-rose-300">
          {reason}
        </span>
      )}
    </div>
  );
}

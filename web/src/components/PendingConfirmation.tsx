import type { Confirmation } from "../state/conversation";

const LABELS: Record<Confirmation["status"], string> = {
  pending: "Waiting for your yes",
  confirmed: "You confirmed",
  declined: "Not done: you said no or asked for something else",
  expired: "Not done: no answer in time",
};

/** What to show for a confirmation in this state. */
export function confirmationLabel(status: Confirmation["status"]): string {
  return LABELS[status];
}

/**
 * A tool call that waits for the user's spoken yes: the question read back, prominent while
 * pending, then a short line saying how it ended.
 */
export function PendingConfirmation({ confirmation }: { confirmation: Confirmation }) {
  const pending = confirmation.status === "pending";
  return (
    <div
      data-testid={pending ? "pending-confirmation" : "confirmation-outcome"}
      data-status={confirmation.status}
      role={pending ? "status" : undefined}
      className={
        pending
          ? "mt-2 rounded-md border border-amber-300 bg-amber-50 p-2 text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
          : "mt-1 text-xs text-slate-600 dark:text-slate-400"
      }
    >
      {pending && confirmation.question && <p className="font-medium">{confirmation.question}</p>}
      <p className={pending ? "text-xs" : ""}>
        {confirmationLabel(confirmation.status)}
        {pending && " (say yes to go ahead, or no)"}
      </p>
    </div>
  );
}

import { useEffect, useRef, useState } from "react";

export const TOUR_KEY = "voicelive.tour";

const STEPS: { title: string; body: string }[] = [
  {
    title: "Welcome to voicelive",
    body: "Talk to the assistant out loud. It can look up foods, log meals and plan your day with its tools.",
  },
  {
    title: "Choose how to talk",
    body: "Pick Audio only, or share your Camera or Screen: the assistant then sees one picture a second. Choose a voice if you like.",
  },
  {
    title: "Start, talk, interrupt",
    body: "Press Start and allow the microphone. Speak naturally; press Interrupt (or Escape) to cut a reply short.",
  },
  {
    title: "Follow along",
    body: "The conversation panel shows what was heard and said, every tool call with its arguments and result, and how fast each turn was. The status at the top says whether you are connected.",
  },
];

export function tourSeen(): boolean {
  return localStorage.getItem(TOUR_KEY) === "done";
}

interface Props {
  open: boolean;
  onClose(): void;
}

/** A short guided walkthrough, shown on the first visit; skippable and reopenable. */
export function Tour({ open, onClose }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const next = useRef<HTMLButtonElement>(null);
  const [step, setStep] = useState(0);

  useEffect(() => {
    const node = dialog.current;
    if (!node) return;
    if (open && !node.open) {
      setStep(0);
      node.showModal();
      next.current?.focus();
    } else if (!open && node.open) {
      node.close();
    }
  }, [open]);

  const finish = () => {
    localStorage.setItem(TOUR_KEY, "done");
    onClose();
  };
  const last = step === STEPS.length - 1;
  const current = STEPS[step];

  return (
    <dialog
      ref={dialog}
      aria-labelledby="tour-title"
      aria-describedby="tour-body"
      data-testid="tour"
      onClose={finish}
      className="m-auto w-[min(32rem,90vw)] rounded-2xl border border-slate-200 bg-white p-6 text-slate-900 shadow-xl backdrop:bg-slate-950/50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      <p className="text-xs text-slate-500 dark:text-slate-400">
        Step {step + 1} of {STEPS.length}
      </p>
      <h2 id="tour-title" className="mt-1 text-lg font-semibold">
        {current.title}
      </h2>
      <p id="tour-body" className="mt-2 text-sm leading-relaxed">
        {current.body}
      </p>
      <div className="mt-6 flex items-center justify-between gap-2">
        <button type="button" data-testid="tour-skip" onClick={finish} className="rounded-md px-3 py-1.5 text-sm underline">
          Skip tour
        </button>
        <div className="flex gap-2">
          <button
            type="button"
            disabled={step === 0}
            onClick={() => setStep(step - 1)}
            className="rounded-md border border-slate-300 px-3 py-1.5 text-sm disabled:opacity-40 dark:border-slate-700"
          >
            Back
          </button>
          <button
            type="button"
            data-testid="tour-next"
            ref={next}
            onClick={() => (last ? finish() : setStep(step + 1))}
            className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-semibold text-white dark:bg-slate-100 dark:text-slate-900"
          >
            {last ? "Done" : "Next"}
          </button>
        </div>
      </div>
    </dialog>
  );
}

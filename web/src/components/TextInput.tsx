import { useState, type FormEvent } from "react";

/** Type a message instead of speaking it. */
export function TextInput({ disabled, onSend }: { disabled: boolean; onSend(text: string): void }) {
  const [text, setText] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return;
    onSend(text);
    setText("");
  };
  return (
    <form onSubmit={submit} className="flex gap-2">
      <label htmlFor="message" className="sr-only">
        Message
      </label>
      <input
        id="message"
        value={text}
        disabled={disabled}
        onChange={(e) => setText(e.target.value)}
        placeholder={disabled ? "Start a session to type a message" : "Type a message"}
        data-testid="message"
        className="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm disabled:opacity-60 dark:border-slate-700 dark:bg-slate-900"
      />
      <button
        type="submit"
        disabled={disabled || !text.trim()}
        className="rounded-md border border-slate-300 px-4 py-2 text-sm font-semibold disabled:opacity-50 dark:border-slate-700"
      >
        Send
      </button>
    </form>
  );
}

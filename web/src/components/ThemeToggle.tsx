import type { Theme } from "../state/theme";

interface Props {
  theme: Theme;
  onChange(theme: Theme): void;
}

export function ThemeToggle({ theme, onChange }: Props) {
  const dark = theme === "dark";
  return (
    <button
      type="button"
      data-testid="theme-toggle"
      aria-pressed={dark}
      onClick={() => onChange(dark ? "light" : "dark")}
      className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
    >
      <span aria-hidden="true">{dark ? "☾" : "☀"}</span> Dark theme
    </button>
  );
}

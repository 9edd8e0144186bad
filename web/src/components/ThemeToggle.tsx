import type { Theme } from "../state/theme";

interface Props {
  theme: Theme;
  onChange(theme: Theme): void;
}

/** What the button shows: the theme in force, so the label changes with it. */
export function themeLabel(theme: Theme): string {
  return theme === "dark" ? "Dark theme: on" : "Dark theme: off";
}

export function ThemeToggle({ theme, onChange }: Props) {
  const dark = theme === "dark";
  return (
    <button
      type="button"
      data-testid="theme-toggle"
      aria-pressed={dark}
      aria-label="Dark theme"
      title={dark ? "Switch to the light theme" : "Switch to the dark theme"}
      onClick={() => onChange(dark ? "light" : "dark")}
      className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
    >
      <span aria-hidden="true">{dark ? "☾" : "☀"}</span> {themeLabel(theme)}
    </button>
  );
}

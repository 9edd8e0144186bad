/** Light/dark theme, remembered in localStorage. */
export type Theme = "light" | "dark";

export const THEME_KEY = "voicelive.theme";

export function storedTheme(storage: Pick<Storage, "getItem"> = localStorage): Theme | null {
  const value = storage.getItem(THEME_KEY);
  return value === "light" || value === "dark" ? value : null;
}

export function initialTheme(): Theme {
  return (
    storedTheme() ?? (window.matchMedia?.("(prefers-color-scheme: dark)").matches ? "dark" : "light")
  );
}

export function applyTheme(theme: Theme): void {
  document.documentElement.classList.toggle("dark", theme === "dark");
  document.documentElement.style.colorScheme = theme;
}

export function saveTheme(theme: Theme): void {
  localStorage.setItem(THEME_KEY, theme);
}

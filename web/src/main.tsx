import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { VoiceClient, type TestHooks } from "./net/client";
import { applyTheme, initialTheme } from "./state/theme";
import "./index.css";

declare global {
  interface Window {
    __voicelive?: TestHooks;
  }
}

const theme = initialTheme();
applyTheme(theme);
const client = new VoiceClient();
window.__voicelive = client.hooks;

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App client={client} initialTheme={theme} />
    </StrictMode>,
  );
}

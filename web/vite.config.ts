import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// Fixed file names and no source maps keep the committed build byte-for-byte reproducible.
const names = {
  entryFileNames: "assets/[name].js",
  chunkFileNames: "assets/[name].js",
  assetFileNames: "assets/[name][extname]",
};

export default defineConfig({
  base: "./",
  plugins: [react(), tailwindcss()],
  build: {
    outDir: "../voicelive/server/static",
    emptyOutDir: true,
    sourcemap: false,
    rollupOptions: { output: names },
  },
  worker: {
    rollupOptions: { output: names },
  },
  server: {
    proxy: { "/ws": { target: "ws://127.0.0.1:8000", ws: true } },
  },
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
  },
});

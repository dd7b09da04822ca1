import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const webRoot = new URL(".", import.meta.url);
const repoRoot = new URL("..", import.meta.url);

/** Builds the console into dist/web, served by the Muster server at /admin (src/http/console-static.ts). */
export default defineConfig({
  root: decodeURIComponent(webRoot.pathname),
  base: "/admin/",
  plugins: [react()],
  build: {
    outDir: decodeURIComponent(new URL("dist/web", repoRoot).pathname),
    emptyOutDir: true,
    // The server's Content-Security-Policy allows no inline scripts, styles or data: fonts.
    assetsInlineLimit: 0,
    sourcemap: true,
  },
  server: {
    // `npm run dev:console` with `npm start` running: the dev server forwards the admin API to it.
    proxy: { "/api": "http://127.0.0.1:8080" },
    // The IdP guides are bundled from docs/idp, outside web/.
    fs: { allow: [decodeURIComponent(repoRoot.pathname)] },
  },
});

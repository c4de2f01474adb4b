import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * Guest memory is a SharedArrayBuffer, which browsers only allow on cross-origin isolated pages.
 * Both servers send the headers; static hosts get them from public/coi-sw.js (docs/deploy.md).
 */
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * Dependencies only the lazily loaded editor (src/ui/board-doc/monaco.ts) and the parts import.
 * Pre-bundled at dev-server start: discovered later, Vite would reload every open page (and
 * break the e2e tests running beside the one that opened the editor).
 */
const lateDependencies = [
  'monaco-editor/editor/editor.api',
  ...[
    'bracketMatching',
    'clipboard',
    'codicon',
    'comment',
    'contextmenu',
    'find',
    'folding',
    'format',
    'gotoError',
    'hover',
    'suggest',
    'snippet',
    'wordHighlighter',
  ].map((feature) => `monaco-editor/features/${feature}/register`),
  'monaco-editor/languages/features/json/register',
  ...['led', 'pushbutton', 'slide-switch', 'potentiometer'].map(
    (part) => `@wokwi/elements/dist/esm/${part}-element.js`,
  ),
];

/**
 * The production build's Content-Security-Policy, as a <meta> tag (static hosts cannot set
 * headers; docs/deploy.md). Scripts only from the site itself, no inline script, no eval on the
 * page. Dedicated workers created from a URL are governed by their own response's policy, not the
 * page's meta tag, so the emulator worker may compile guest code with `new Function` without
 * 'unsafe-eval' here. Styles allow 'unsafe-inline' because monaco and xterm.js inject <style>
 * elements at run time. `connect-src https:` lets a board fetch its firmware from an https URL.
 * The dev server gets no policy (React refresh injects inline scripts).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' https: blob: data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const contentSecurityPolicy: Plugin = {
  name: 'v8266-csp',
  apply: 'build',
  transformIndexHtml: () => [
    {
      tag: 'meta',
      attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
      injectTo: 'head-prepend',
    },
  ],
};

export default defineConfig({
  // Relative asset URLs, so the build works from any sub-path of a static host.
  base: './',
  plugins: [react(), contentSecurityPolicy],
  server: { headers: crossOriginIsolation },
  preview: { headers: crossOriginIsolation },
  worker: { format: 'es' },
  optimizeDeps: { include: lateDependencies },
  // React + xterm.js are ~570 kB minified; the warning would fire on every build.
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 800 },
});

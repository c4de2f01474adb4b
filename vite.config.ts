import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

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

export default defineConfig({
  // Relative asset URLs, so the build works from any sub-path of a static host.
  base: './',
  plugins: [react()],
  server: { headers: crossOriginIsolation },
  preview: { headers: crossOriginIsolation },
  worker: { format: 'es' },
  optimizeDeps: { include: lateDependencies },
  // React + xterm.js are ~570 kB minified; the warning would fire on every build.
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 800 },
});

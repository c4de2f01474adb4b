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

export default defineConfig({
  // Relative asset URLs, so the build works from any sub-path of a static host.
  base: './',
  plugins: [react()],
  server: { headers: crossOriginIsolation },
  preview: { headers: crossOriginIsolation },
  worker: { format: 'es' },
  // React + xterm.js are ~570 kB minified; the warning would fire on every build.
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 800 },
});

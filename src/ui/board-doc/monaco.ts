/**
 * monaco, bundled (never from a CDN: the page is cross-origin isolated, COEP require-corp), with
 * only what a JSON editor needs, and its workers built by Vite (`?worker`). Imported lazily by
 * the editor panel, so the first paint does not pay for it.
 */

import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/comment/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/features/format/register';
import 'monaco-editor/features/gotoError/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/suggest/register';
import 'monaco-editor/features/snippet/register';
import 'monaco-editor/features/wordHighlighter/register';
import { jsonDefaults } from 'monaco-editor/languages/features/json/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/language/json/json.worker?worker';

self.MonacoEnvironment = {
  getWorker: (_id: string, label: string) =>
    label === 'json' ? new JsonWorker() : new EditorWorker(),
};

export const SCHEMA_URI = 'https://v8266.invalid/board.schema.json';
export const MODEL_URI = 'v8266://board/board.json';

export function configureJson(schema: object): void {
  jsonDefaults.setDiagnosticsOptions({
    validate: true,
    allowComments: false,
    enableSchemaRequest: false,
    schemaValidation: 'error',
    schemas: [{ uri: SCHEMA_URI, fileMatch: [MODEL_URI], schema }],
  });
}

export { monaco };

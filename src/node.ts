/**
 * mtcgk for Node: everything the package root exports, plus what needs the file system: capture
 * files read by path (hex lines streamed in flat memory) and grammars loaded from YAML files.
 *
 * ```ts
 * import { dissectFile } from 'mtcgk/node';
 * for await (const { number, result } of dissectFile('capture.pcapng')) console.log(number, result.value);
 * ```
 * @packageDocumentation
 */
export * from './index.js';
export { dissectFile, openCapture, readCaptureFile, type Capture, type CaptureOptions } from './stream/file.js';
export { GRAMMAR_DIR, loadGrammarDir, parseGrammarText, readGrammarSources } from './grammar/load.js';

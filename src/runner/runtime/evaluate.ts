/**
 * Evaluation: runs the snippet's code in the global, after the transform (loop guards, library
 * imports; src/snippet/transform.ts), as an ES module or a classic worker script, and resolves
 * when its top level has settled. Installs the hook that transformed `import … from
 * 'interleave/…'` calls.
 */
import type { RunEvent, WithoutStamp } from '../events.ts';
import type { Outcome } from '../protocol.ts';
import { IMPORT_HOOK, libraryInGlobal, transform } from '../../snippet/index.ts';
import type { ReportError, SourceInfo } from './errors.ts';
import type { AnyGlobal } from './natives.ts';

export interface EvaluationConfig {
  /** Loads a teaching library by name (src/snippet/libraries.ts). */
  readonly importLibrary: (name: string) => Promise<unknown>;
  readonly libraryNames: readonly string[];
  /** Where each evaluated source is recorded, for mapping stack frames back (errors.ts). */
  readonly sources: SourceInfo[];
  readonly emit: (event: WithoutStamp<RunEvent>) => void;
  readonly reportError: ReportError;
  /** Called when top-level code starts running and when it has settled. */
  readonly running: { enter(): void; leave(): void };
}

export type Evaluate = (code: string, type: 'module' | 'classic', sourceURL: string) => Promise<Outcome>;

export function installEvaluation(g: AnyGlobal, config: EvaluationConfig): Evaluate {
  const { sources, emit, reportError } = config;
  const importHook = async (name: string) => {
    if (!config.libraryNames.includes(name)) {
      throw new Error(
        `There is no module 'interleave/${name}'. The book's modules are: ${config.libraryNames.map((n) => `interleave/${n}`).join(', ')}`,
      );
    }
    return libraryInGlobal(name, await config.importLibrary(name), g);
  };
  Object.defineProperty(g, IMPORT_HOOK, {
    value: importHook,
    writable: false,
    configurable: false,
    enumerable: false,
  });

  // import() from a function made in the global: the module joins THAT global's module map.
  const importInGlobal = new g.Function('url', 'return import(url)') as (url: string) => Promise<unknown>;
  return async (code, type, sourceURL) => {
    const result = transform(code, {
      sourceURL,
      libraries: config.libraryNames,
      sourceType: type === 'module' ? 'module' : 'script',
      asFunction: true,
    });
    if (!result.ok) {
      const { message, line, column } = result.error;
      emit({
        kind: 'error',
        source: 'syntax',
        name: 'SyntaxError',
        message,
        line,
        column,
        text: `SyntaxError: ${message} (${sourceURL}:${line}:${column})`,
      });
      return 'syntax-error';
    }
    config.running.enter();
    try {
      if (result.evaluate !== 'module') {
        sources.push({ sourceURL, toOriginal: result.toOriginal });
        try {
          // Indirect eval: in the global scope. A classic worker script runs as it is (sloppy);
          // a module's code comes as a strict async function, called at once.
          const value = (0, g.eval)(result.code) as unknown;
          if (result.evaluate === 'function') await (value as () => Promise<unknown>).call(undefined);
        } catch (error) {
          reportError(error, 'uncaught');
          return 'threw';
        }
        return 'ok';
      }
      // Code only a module can hold (exports, import.meta, URL imports, `arguments`): a real
      // module, from a data: URL rather than a blob: one (Chromium loads data: modules in the
      // page's own process; a blob: URL costs trips to the browser process to register and to
      // fetch it). Each run has a fresh global, so the module map never holds an older module
      // under the same URL.
      const moduleURL = `data:text/javascript;charset=utf-8,${encodeURIComponent(result.code)}`;
      sources.push({ sourceURL, moduleURL, toOriginal: result.toOriginal });
      try {
        await importInGlobal(moduleURL);
        return 'ok';
      } catch (error) {
        reportError(error, 'uncaught');
        return 'threw';
      }
    } finally {
      config.running.leave();
    }
  };
}

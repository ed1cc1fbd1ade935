/**
 * Where a model operation was called: the first stack frame outside the model's own modules
 * (by-hand mode shows the reader the line of each thread's next step).
 *
 * Every module whose functions run between a snippet's call and {@link callSite} — the
 * operations' factories, the kernel, this one — adds its file with {@link addModelModule} as it
 * loads. Bundled, they share one file; in development and in Node each has its own.
 */
import type { SourceSite } from './types.ts';

/** A stack frame's file, line and column, in V8's ("at f (url:1:2)") and Firefox/WebKit's ("f@url:1:2") formats. */
const FRAME = /(?:^|[\s(@])([^\s()@]+?):(\d+):(\d+)\)?$/;

const modelFiles = new Set<string>();

function fileOf(frame: string): string {
  const match = FRAME.exec(frame.trim());
  return match?.[1] ?? '';
}

/**
 * Counts the calling module as the model's: call it at the module's top level with a fresh
 * stack, `addModelModule(new Error().stack)`, whose first located frame is that module's.
 */
export function addModelModule(stackAtLoad: string | undefined): void {
  modelFiles.add(fileOf(stackAtLoad?.split('\n').find((line) => /:\d+:\d+\)?$/.test(line)) ?? ''));
}

addModelModule(new Error().stack);

/** Where the running thread called the operation it is asking for now. */
export function callSite(): SourceSite | undefined {
  return firstSiteOutside(new Error().stack ?? '', ...modelFiles);
}

/**
 * The first frame of `stack` with a location outside `ownFiles`. Frames without one are skipped:
 * JavaScriptCore gives eval'd code none (`f@`), and names a resumed async function's frame `@url`.
 */
export function firstSiteOutside(stack: string, ...ownFiles: string[]): SourceSite | undefined {
  for (const frame of stack.split('\n')) {
    const match = FRAME.exec(frame.trim());
    if (!match || ownFiles.includes(match[1]!)) continue;
    return { file: match[1]!, line: Number(match[2]) };
  }
  return undefined;
}

/**
 * Draws diagrams in the browser, for the dev server on a machine without
 * Chromium (the build draws them into the pages: src/build/diagrams/mermaid-svg.mjs).
 * element.ts loads it with a dynamic import, so its code (and Mermaid's) is
 * downloaded only when the first diagram nears the viewport.
 *
 * Mermaid keeps one global configuration and `initialize()` caches the theme,
 * so renders are queued one at a time and the configuration is re-applied
 * whenever the requested theme differs from the last one used.
 */
import mermaid from 'mermaid';
import { mermaidConfig, type SiteTheme } from './config.ts';

export type DiagramTheme = SiteTheme;

let configuredTheme: DiagramTheme | undefined;
let queue: Promise<unknown> = Promise.resolve();
let counter = 0;

function configure(theme: DiagramTheme): void {
  if (configuredTheme === theme) return;
  mermaid.initialize(mermaidConfig(theme));
  configuredTheme = theme;
}

/** Draws `source` as an SVG string in `theme`; rejects with Mermaid's error if the source is invalid. */
export function renderDiagram(source: string, theme: DiagramTheme): Promise<string> {
  const run = queue.then(async () => {
    configure(theme);
    const { svg } = await mermaid.render(`interleave-diagram-${++counter}`, source);
    return svg;
  });
  queue = run.catch(() => undefined);
  return run;
}

/** Parses `source` without drawing it; rejects with Mermaid's error (used by the tests). */
export async function parseDiagram(source: string): Promise<void> {
  configure(configuredTheme ?? 'light');
  await mermaid.parse(source);
}

/**
 * The only module that imports Mermaid. element.ts loads it with a dynamic
 * import, so its code (and Mermaid's) is downloaded only on pages with
 * diagrams, and only when the first one nears the viewport.
 *
 * Mermaid keeps one global configuration and `initialize()` caches the theme,
 * so renders are queued one at a time and the configuration is re-applied
 * whenever the requested theme differs from the last one used.
 */
import mermaid from 'mermaid';

export type DiagramTheme = 'default' | 'dark';

let configuredTheme: DiagramTheme | undefined;
let queue: Promise<unknown> = Promise.resolve();
let counter = 0;

function configure(theme: DiagramTheme): void {
  if (configuredTheme === theme) return;
  mermaid.initialize({
    startOnLoad: false,
    theme,
    // ELK (Mermaid 12's default layout) is ~650 KiB gzip; dagre is loaded on demand and far smaller.
    layout: 'dagre',
    // Diagrams come from the book's own source, but nothing in them needs scripts or HTML labels.
    securityLevel: 'strict',
    fontFamily: 'inherit',
    // Mermaid's dark theme draws edge labels #ccc on #585858 (4.43:1, below WCAG AA's 4.5:1).
    ...(theme === 'dark' ? { themeVariables: { edgeLabelBackground: '#333333' } } : {}),
  });
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
  configure(configuredTheme ?? 'default');
  await mermaid.parse(source);
}

/**
 * Mermaid's settings for the book's diagrams, in each site theme: one list for
 * the build, which draws every diagram (src/build/diagrams/mermaid-svg.mjs), and for the
 * dev server's fallback that draws them in the browser (render.ts). Pure: no
 * DOM, no Node.
 */

/** The site's two themes (Starlight's `data-theme` on <html>). */
export type SiteTheme = 'light' | 'dark';

export function mermaidConfig(theme: SiteTheme) {
  return {
    startOnLoad: false,
    theme: theme === 'dark' ? ('dark' as const) : ('default' as const),
    // ELK (Mermaid 12's default layout) needs far more code and lays out differently; dagre is Mermaid's classic.
    layout: 'dagre',
    // Diagrams come from the book's own source, but nothing in them needs scripts or clicks.
    securityLevel: 'strict' as const,
    // A diagram drawn at build time is shown on the reader's machine: its text is measured in Arial's
    // metrics (Liberation Sans on Linux has the same), which every system has or matches, so labels fit.
    fontFamily: 'arial, "Liberation Sans", sans-serif',
    // Mermaid's dark theme draws edge labels #ccc on #585858 (4.43:1, below WCAG AA's 4.5:1).
    ...(theme === 'dark' ? { themeVariables: { edgeLabelBackground: '#333333' } } : {}),
  };
}

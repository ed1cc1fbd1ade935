/**
 * The timeline's CSS, added to the document once. Colours come from Starlight's variables, so
 * both themes read well; the canvas reads the `--rt-*` values below from computed style and
 * redraws when the theme changes. Nothing moves on its own: there is no animation to reduce.
 */
const CSS = `
run-timeline {
  --rt-lane: var(--sl-color-gray-6, #eee);
  --rt-lane-alt: var(--sl-color-bg, #fff);
  --rt-line: var(--sl-color-gray-4, #999);
  --rt-text: var(--sl-color-text, #222);
  --rt-muted: var(--sl-color-gray-3, #666);
  --rt-ran: var(--sl-color-accent, #3b82f6);
  --rt-long: var(--sl-color-red, #d33);
  --rt-wait: var(--sl-color-orange, #e80);
  --rt-held: var(--sl-color-green, #2a2);
  --rt-blocked: var(--sl-color-purple, #95c);
  --rt-goroutine: var(--sl-color-gray-4, #aaa);
  --rt-pool: var(--sl-color-blue, #38c);
  --rt-log: var(--sl-color-text, #222);
  --rt-error: var(--sl-color-red, #d33);
  --rt-arrow: var(--sl-color-text-accent, #36c);
  --rt-focus: var(--sl-color-text-accent, #36c);
  display: block;
  margin-block: 0.75rem;
  font-size: var(--sl-text-sm, 0.875rem);
  color: var(--rt-text);
}
run-timeline .rt-toolbar { display: flex; flex-wrap: wrap; gap: 0.25rem 0.5rem; align-items: center; margin-bottom: 0.25rem; }
run-timeline .rt-toolbar button {
  font: inherit; color: var(--sl-color-text); background: var(--sl-color-gray-6); cursor: pointer;
  border: 1px solid var(--sl-color-gray-4); border-radius: 0.25rem; padding: 0.1rem 0.5rem; min-width: 2rem; min-height: 1.75rem;
}
run-timeline .rt-toolbar button:focus-visible, run-timeline .rt-plot:focus-visible, run-timeline .rt-table-wrap:focus-visible { outline: 2px solid var(--rt-focus); outline-offset: 2px; }
run-timeline .rt-range, run-timeline .rt-legend { color: var(--rt-muted); }
run-timeline .rt-body { display: grid; grid-template-columns: max-content 1fr; border: 1px solid var(--sl-color-gray-5); border-radius: 0.25rem; }
run-timeline .rt-labels { border-right: 1px solid var(--sl-color-gray-5); padding-top: var(--rt-axis, 22px); }
run-timeline .rt-labels div { padding: 0 0.5rem; display: flex; align-items: flex-start; white-space: nowrap; overflow: hidden; box-sizing: border-box; }
run-timeline .rt-plot { position: relative; overflow: hidden; touch-action: pan-y; cursor: grab; min-width: 0; }
run-timeline .rt-plot.rt-dragging { cursor: grabbing; }
run-timeline canvas { display: block; }
run-timeline .rt-tip {
  position: absolute; pointer-events: none; z-index: 2; max-width: 22rem; padding: 0.25rem 0.5rem;
  background: var(--sl-color-gray-6); color: var(--sl-color-white, #000); border: 1px solid var(--sl-color-gray-4);
  border-radius: 0.25rem; box-shadow: var(--sl-shadow-sm, none); white-space: pre-wrap;
}
run-timeline .rt-detail { min-height: 1.5em; margin: 0.25rem 0 0; color: var(--rt-text); }
run-timeline .rt-legend { display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; margin: 0.25rem 0 0; padding: 0; list-style: none; }
run-timeline .rt-legend i { display: inline-block; width: 0.75rem; height: 0.75rem; margin-right: 0.25rem; vertical-align: middle; border-radius: 2px; }
run-timeline details { margin-top: 0.5rem; }
run-timeline details > summary { cursor: pointer; }
run-timeline .rt-table-wrap { max-height: 20rem; overflow: auto; }
run-timeline table { font-size: inherit; border-collapse: collapse; width: 100%; }
run-timeline th, run-timeline td { text-align: left; padding: 0.1rem 0.5rem; border-bottom: 1px solid var(--sl-color-gray-6); vertical-align: top; }
run-timeline tr[aria-selected='true'] td { background: var(--sl-color-accent-low, #def); }
run-timeline pre.rt-mermaid { max-height: 16rem; overflow: auto; }
run-timeline .rt-gil svg { display: block; width: 100%; height: auto; }
run-timeline .rt-gil text { fill: var(--rt-text); font-size: 11px; }
/* Output lines of the chosen moment (the island's output panel, linked by link-output.ts). */
.ix-line[data-moment] { background: var(--sl-color-accent-low, #def); outline: 1px solid var(--sl-color-accent, #36c); }
.ix-line[data-t] { cursor: pointer; }
@media (prefers-reduced-motion: no-preference) {
  run-timeline .rt-toolbar button { transition: background-color 0.1s; }
}
`;

export function ensureStyles(doc: Document = document): void {
  if (doc.getElementById('run-timeline-style')) return;
  const style = doc.createElement('style');
  style.id = 'run-timeline-style';
  style.textContent = CSS;
  doc.head.append(style);
}

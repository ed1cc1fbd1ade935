/**
 * The timeline's view: which stretch of the run is on screen, and whether it follows a running
 * run. Every zoom, pan, pinch, wheel, drag and key ends here, so the arithmetic is written once.
 * Pure: each function takes a view and the run's end (ms) and returns a new view, kept within
 * reach of the run (at most 1.5× the run wide, never scrolled more than a tenth of a view
 * off either end). Any change but `fitView` stops following.
 */

export interface ViewState {
  /** The visible time range, ms since the run started. */
  readonly from: number;
  readonly to: number;
  /** Fit the whole run on every frame (until the reader zooms or pans). */
  readonly follow: boolean;
}

/** The whole run, with a little room after its end; follows the run. */
export function fitView(end: number): ViewState {
  return { from: 0, to: Math.max(1, end) * 1.02, follow: true };
}

/** The same view, brought back within reach of a run that ends at `end`. */
export function clampView(view: ViewState, end: number): ViewState {
  const last = Math.max(1, end) * 1.05;
  const span = Math.min(view.to - view.from, last * 1.5);
  let from = view.from;
  if (from < -span * 0.1) from = -span * 0.1;
  if (from > last - span * 0.1) from = last - span * 0.1;
  return { from, to: from + span, follow: view.follow };
}

/** Zooms by `factor` (> 1 zooms in) keeping moment `at` at the same place on screen. */
export function zoomView(view: ViewState, factor: number, at: number, end: number): ViewState {
  const span = Math.max(0.01, (view.to - view.from) / factor);
  const ratio = (at - view.from) / (view.to - view.from || 1);
  const from = at - span * ratio;
  return clampView({ from, to: from + span, follow: false }, end);
}

/** The view of the same width starting at `from`. */
export function panViewTo(view: ViewState, from: number, end: number): ViewState {
  return clampView({ from, to: from + (view.to - view.from), follow: false }, end);
}

/** Pans by `shift` ms (> 0 moves later in the run). */
export function panView(view: ViewState, shift: number, end: number): ViewState {
  return panViewTo(view, view.from + shift, end);
}

/** Centres moment `t` if it is off screen; else the same view. */
export function revealTime(view: ViewState, t: number, end: number): ViewState {
  if (t >= view.from && t <= view.to) return view;
  return panViewTo(view, t - (view.to - view.from) / 2, end);
}

/** Where moment `t` is on a plot `width` px wide. */
export function timeToX(view: ViewState, t: number, width: number): number {
  return ((t - view.from) / (view.to - view.from || 1)) * width;
}

/** The moment at `x` px on a plot `width` px wide. */
export function xToTime(view: ViewState, x: number, width: number): number {
  return view.from + (x / (width || 1)) * (view.to - view.from);
}

/** How many ms `dx` px are on a plot `width` px wide. */
export function pixelsToMs(view: ViewState, dx: number, width: number): number {
  return (dx / (width || 1)) * (view.to - view.from);
}

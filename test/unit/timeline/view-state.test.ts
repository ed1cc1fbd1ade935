/** The timeline's view arithmetic: zoom, pan, reveal, fit and the clamp that keeps the run in reach. */
import { describe, expect, it } from 'vitest';
import {
  clampView,
  fitView,
  panView,
  panViewTo,
  pixelsToMs,
  revealTime,
  timeToX,
  xToTime,
  zoomView,
  type ViewState,
} from '../../../src/client/timeline/view-state.ts';

const view = (from: number, to: number, follow = false): ViewState => ({ from, to, follow });
const END = 100;

describe('fitView', () => {
  it('shows the whole run with 2 % to spare, and follows it', () => {
    expect(fitView(END)).toEqual({ from: 0, to: 102, follow: true });
  });
  it('shows at least 1 ms of an empty run', () => {
    expect(fitView(0)).toEqual({ from: 0, to: 1.02, follow: true });
  });
});

describe('zoomView', () => {
  it('keeps the moment it zooms around at the same place on screen', () => {
    const before = view(0, 100);
    const after = zoomView(before, 2, 25, END);
    expect(after.to - after.from).toBe(50);
    expect(timeToX(after, 25, 800)).toBeCloseTo(timeToX(before, 25, 800), 9);
    expect(after.follow).toBe(false);
  });
  it('zooms out by a factor below 1', () => {
    const after = zoomView(view(40, 60), 0.5, 50, END);
    expect(after).toEqual(view(30, 70));
  });
  it('never shows less than 0.01 ms', () => {
    const after = zoomView(view(10, 10.02), 100, 10, END);
    expect(after.to - after.from).toBeCloseTo(0.01, 12);
  });
});

describe('panView and panViewTo', () => {
  it('moves the view by a number of ms, keeping its width, and stops following', () => {
    expect(panView(view(10, 30, true), 5, END)).toEqual(view(15, 35));
    expect(panView(view(10, 30), -5, END)).toEqual(view(5, 25));
    expect(panViewTo(view(10, 30), 50, END)).toEqual(view(50, 70));
  });
  it('stops a tenth of a view before the start of the run', () => {
    expect(panView(view(0, 20), -100, END)).toEqual(view(-2, 18));
  });
  it('stops a tenth of a view before the (padded) end of the run', () => {
    // The run ends at 100; the clamp pads it by 5 %, to 105.
    expect(panView(view(80, 100), 1000, END)).toEqual(view(103, 123));
  });
});

describe('clampView', () => {
  it('leaves a view within reach alone', () => {
    expect(clampView(view(10, 30, true), END)).toEqual(view(10, 30, true));
  });
  it('never shows more than 1.5× the padded run', () => {
    const wide = clampView(view(0, 10_000), END);
    expect(wide.to - wide.from).toBeCloseTo(157.5, 9);
    expect(wide.from).toBeCloseTo(0, 9);
  });
});

describe('revealTime', () => {
  it('keeps the view when the moment is on screen', () => {
    const shown = view(10, 30, true);
    expect(revealTime(shown, 20, END)).toBe(shown);
    expect(revealTime(shown, 30, END)).toBe(shown);
  });
  it('centres a moment that is off screen', () => {
    expect(revealTime(view(10, 30), 60, END)).toEqual(view(50, 70));
  });
});

describe('pixels and time', () => {
  it('maps time to x and back on a plot of a given width', () => {
    const v = view(10, 30);
    expect(timeToX(v, 20, 800)).toBe(400);
    expect(xToTime(v, 400, 800)).toBe(20);
    expect(pixelsToMs(v, 80, 800)).toBe(2);
  });
  it('does not divide by zero before the first draw (width 0) or for an empty view', () => {
    expect(xToTime(view(10, 30), 5, 0)).toBe(110);
    expect(timeToX(view(10, 10), 12, 800)).toBe(1600);
  });
});

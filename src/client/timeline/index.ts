/**
 * The run timeline, in one call: `mountTimeline(container, handle)` puts a `<run-timeline>` in
 * `container` (reusing one already there) and follows the run. Runs must be started with
 * `trace: true` for lock, channel, pool, GIL and timer events; without it the timeline still
 * shows threads, messages and output.
 */
import type { RunHandle } from '../../runner/index.ts';
import type { RunTimeline } from './element.ts';
import { defineRunTimeline } from './element.ts';

export { RunTimeline, defineRunTimeline, type TimelineSelectDetail } from './element.ts';
export { layoutTimeline, describeEvent, type TimelineLayout } from './layout.ts';
export { toMermaidSequence } from './mermaid-export.ts';
export { linkOutput } from './link-output.ts';

export function mountTimeline(container: HTMLElement, handle?: RunHandle): RunTimeline {
  defineRunTimeline();
  let timeline = container.querySelector('run-timeline');
  if (!timeline) {
    timeline = document.createElement('run-timeline') as RunTimeline;
    container.append(timeline);
  }
  if (handle) timeline.attach(handle);
  return timeline;
}

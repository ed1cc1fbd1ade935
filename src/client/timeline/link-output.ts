/**
 * Links a timeline and an output panel both ways, through the DOM only: output lines carry
 * `data-t` (ms since the run started) and `data-thread`. Choosing a moment in the timeline marks
 * the lines of that moment (`data-moment`, scrolled into view); clicking an output line, or
 * pressing Enter on one, marks its moment in the timeline. Returns the function that unlinks.
 */
import type { RunTimeline, TimelineSelectDetail } from './element.ts';

/** How close (ms) a line's time must be to a chosen point to count as "of that moment". */
const POINT_TOLERANCE = 0.05;

export function linkOutput(timeline: RunTimeline, output: HTMLElement): () => void {
  const onSelect = (event: CustomEvent<TimelineSelectDetail>) => {
    const { t, end } = event.detail;
    const from = end === undefined ? t - POINT_TOLERANCE : t;
    const to = end === undefined ? t + POINT_TOLERANCE : end;
    let first: HTMLElement | undefined;
    for (const line of output.querySelectorAll<HTMLElement>('[data-t]')) {
      const at = Number(line.dataset['t']);
      const hit = at >= from && at <= to;
      line.toggleAttribute('data-moment', hit);
      if (hit) first ??= line;
    }
    first?.scrollIntoView({
      block: 'nearest',
      behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth',
    });
  };
  const show = (line: HTMLElement | null) => {
    if (!line?.dataset['t']) return;
    for (const other of output.querySelectorAll('[data-moment]')) other.removeAttribute('data-moment');
    line.setAttribute('data-moment', '');
    const thread = line.dataset['thread'];
    timeline.highlightTime(Number(line.dataset['t']), thread === undefined ? undefined : Number(thread));
  };
  const onClick = (event: MouseEvent) => show((event.target as Element).closest<HTMLElement>('[data-t]'));
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Enter') show((event.target as Element).closest<HTMLElement>('[data-t]'));
  };
  timeline.addEventListener('timeline-select', onSelect);
  output.addEventListener('click', onClick);
  output.addEventListener('keydown', onKey);
  return () => {
    timeline.removeEventListener('timeline-select', onSelect);
    output.removeEventListener('click', onClick);
    output.removeEventListener('keydown', onKey);
  };
}

/**
 * The main-thread health meter shown beside a running example: a dot that moves on every
 * animation frame, and "longest frame gap: N ms". When the main thread is blocked, no frame is
 * drawn: the dot stops, and the gap it leaves is measured when frames resume.
 *
 * State: the rAF loop runs only between start() and stop() (plus nothing after), so idle pages
 * pay nothing. With prefers-reduced-motion the dot stays still; the figure still updates.
 * `data-longest-gap` on the meter holds the figure in ms (tests read it).
 */
export class HealthMeter {
  readonly element: HTMLElement;
  readonly #dot: HTMLElement;
  readonly #text: HTMLElement;
  #frame = 0;
  #last = 0;
  #startedAt = 0;
  #longest = 0;
  #running = false;

  constructor(host: HTMLElement) {
    this.element = document.createElement('span');
    this.element.className = 'ix-meter';
    this.element.hidden = true;
    this.element.title =
      'Main-thread health: the dot moves on every frame the page draws. It stops while the main thread is blocked.';
    const track = document.createElement('span');
    track.className = 'ix-meter-track';
    track.setAttribute('aria-hidden', 'true');
    this.#dot = document.createElement('span');
    this.#dot.className = 'ix-meter-dot';
    track.append(this.#dot);
    this.#text = document.createElement('span');
    this.#text.className = 'ix-meter-text';
    this.element.append(track, this.#text);
    host.append(this.element);
    this.#render();
  }

  /** Longest gap between two frames since start(), in ms. */
  get longestGap(): number {
    return this.#longest;
  }

  start(): void {
    cancelAnimationFrame(this.#frame);
    this.#running = true;
    this.#longest = 0;
    this.#startedAt = this.#last = performance.now();
    this.element.hidden = false;
    this.#render();
    this.#frame = requestAnimationFrame(this.#tick);
  }

  /** Stops measuring after one more frame (so a block that ends the run is still counted). */
  stop(): void {
    this.#running = false;
  }

  readonly #tick = (): void => {
    // The clock when this frame's callbacks really run, not the rAF timestamp: that is the
    // frame's scheduled begin time, which Chromium can take before a block and deliver after
    // it, hiding the block (seen once in CI: a 300 ms block measured as one frame).
    const now = performance.now();
    const gap = now - this.#last;
    this.#last = now;
    if (gap > this.#longest) this.#longest = gap;
    const reduced = matchMedia('(prefers-reduced-motion: reduce)').matches;
    const phase = ((now - this.#startedAt) % 1200) / 1200;
    this.#dot.style.transform = reduced ? '' : `translateX(${(phase < 0.5 ? phase : 1 - phase) * 2 * 500}%)`;
    this.#render();
    if (this.#running) this.#frame = requestAnimationFrame(this.#tick);
  };

  #render(): void {
    const ms = Math.round(this.#longest);
    this.element.dataset['longestGap'] = String(ms);
    this.#text.textContent = `longest frame gap: ${ms} ms`;
  }
}

/**
 * <mermaid-diagram>: draws a Mermaid figure in the browser. Only the dev server
 * on a machine without Chromium writes these (src/build/diagrams/remark-mermaid.mjs);
 * everywhere else diagrams are drawn at build time and this module is not used.
 *
 * Guarantees:
 * - Nothing of Mermaid is downloaded until a diagram comes within one viewport
 *   height of being visible (IntersectionObserver, rootMargin 100%); this
 *   module itself is only included on pages that have diagrams.
 * - The Mermaid source stays in the page (the <pre>, hidden once drawn), so a
 *   theme switch (Starlight's `data-theme` on <html>) redraws from it.
 * - No layout shift on a redraw (the old height is held until the new SVG is
 *   in), and none on a revisit: each diagram's drawn aspect ratio is remembered
 *   in localStorage and its space reserved before drawing. A first visit can
 *   still shift, but drawing starts a viewport early, out of sight.
 * - A diagram that fails to draw keeps its readable source and says so.
 * State is visible to tests as `data-state`: pending → drawing → drawn | error;
 * each draw fires a `diagram-drawn` event.
 */
import type { DiagramTheme } from './render.ts';

const SIZE_KEY = 'interleave:diagram-size:';

function currentTheme(): DiagramTheme {
  return document.documentElement.dataset['theme'] === 'light' ? 'light' : 'dark';
}

/** A short stable key for a diagram's source (FNV-1a). */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

interface Size {
  /** the SVG's natural width in CSS px (Mermaid caps it with max-width) */
  maxWidth: number;
  /** height / width */
  ratio: number;
}

function readSize(key: string): Size | undefined {
  try {
    const value = JSON.parse(localStorage.getItem(SIZE_KEY + key) ?? 'null') as Size | null;
    return value && value.maxWidth > 0 && value.ratio > 0 ? value : undefined;
  } catch {
    return undefined;
  }
}

function writeSize(key: string, size: Size): void {
  try {
    localStorage.setItem(SIZE_KEY + key, JSON.stringify(size));
  } catch {
    // Storage full or blocked: the next visit simply reserves no space.
  }
}

const nearViewport =
  'IntersectionObserver' in window
    ? new IntersectionObserver(
        (entries) => {
          for (const entry of entries) {
            if (!entry.isIntersecting) continue;
            nearViewport?.unobserve(entry.target);
            void (entry.target as MermaidDiagram).draw();
          }
        },
        { rootMargin: '100% 0px' },
      )
    : undefined;

const drawn = new Set<MermaidDiagram>();

export class MermaidDiagram extends HTMLElement {
  #theme: DiagramTheme | undefined;
  #drawing: Promise<void> | undefined;

  get source(): string {
    return this.querySelector('.diagram__source')?.textContent ?? '';
  }

  connectedCallback(): void {
    this.dataset['state'] ??= 'pending';
    this.#reserveSpace();
    if (nearViewport) nearViewport.observe(this);
    else void this.draw();
  }

  disconnectedCallback(): void {
    nearViewport?.unobserve(this);
    drawn.delete(this);
  }

  /** Draws (or redraws) in the current theme; resolves when the SVG is in place or drawing failed. */
  draw(): Promise<void> {
    const theme = currentTheme();
    if (this.#theme === theme && this.dataset['state'] === 'drawn') return Promise.resolve();
    const previous = this.#drawing ?? Promise.resolve();
    this.#drawing = previous.then(() => this.#draw(theme));
    return this.#drawing;
  }

  /** Before the first draw, hold the height the SVG had on a previous visit. */
  #reserveSpace(): void {
    const size = readSize(hash(this.source));
    const pre = this.querySelector<HTMLElement>('.diagram__source');
    if (!size || !pre) return;
    const width = Math.min(this.clientWidth || size.maxWidth, size.maxWidth);
    pre.style.blockSize = `${Math.round(width * size.ratio)}px`;
  }

  async #draw(theme: DiagramTheme): Promise<void> {
    const canvas = this.querySelector<HTMLElement>('.diagram__canvas');
    const pre = this.querySelector<HTMLElement>('.diagram__source');
    if (!canvas || !pre) return;
    this.dataset['state'] = this.dataset['state'] === 'drawn' ? 'redrawing' : 'drawing';
    // Keep the current box while Mermaid works.
    const held = (this.dataset['state'] === 'redrawing' ? canvas : pre).getBoundingClientRect().height;
    canvas.style.minBlockSize = `${held}px`;
    try {
      const { renderDiagram } = await import('./render.ts');
      const svg = await renderDiagram(this.source, theme);
      if (currentTheme() !== theme) return void (await this.#draw(currentTheme()));
      canvas.innerHTML = svg;
      pre.hidden = true;
      this.#theme = theme;
      this.dataset['state'] = 'drawn';
      drawn.add(this);
      const element = canvas.querySelector('svg');
      const box = element?.viewBox.baseVal;
      if (box && box.width > 0) {
        const maxWidth = Number.parseFloat(element.style.maxWidth) || box.width;
        writeSize(hash(this.source), { maxWidth, ratio: box.height / box.width });
      }
    } catch (error) {
      this.dataset['state'] = 'error';
      pre.hidden = false;
      canvas.replaceChildren();
      const note = document.createElement('p');
      note.className = 'diagram__error';
      note.textContent = 'This diagram could not be drawn; its source is shown instead.';
      canvas.append(note);
      console.error('Mermaid could not draw a diagram:', error);
    } finally {
      canvas.style.minBlockSize = '';
      pre.style.blockSize = '';
      this.dispatchEvent(new Event('diagram-drawn', { bubbles: true }));
    }
  }
}

if (!customElements.get('mermaid-diagram')) customElements.define('mermaid-diagram', MermaidDiagram);

// Starlight's theme picker sets data-theme on <html>; Mermaid caches its theme, so redraw from source.
new MutationObserver(() => {
  for (const diagram of drawn) void diagram.draw();
}).observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });

/** The example editor (editor.ts) in a real browser: how it takes the static code's place. */
import { EditorView } from '@codemirror/view';
import { afterEach, describe, expect, it } from 'vitest';
import { mountEditor } from '../../../src/client/example/editor.ts';

const options = { label: 'Example', onChange: () => undefined, onRun: () => undefined };

/** An exercise's worth of lines of every length, some longer than the editor is wide (they wrap). */
const code = Array.from({ length: 30 }, (_, i) => `const line${i} = '${'x'.repeat((i * 7) % 90)}';`).join(
  '\n',
);

/** Resolves after CodeMirror's next measuring pass (it reads the layout as it is then). */
function measured(view: EditorView): Promise<void> {
  return new Promise((resolve) => view.requestMeasure({ read: () => undefined, write: () => resolve() }));
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('mountEditor', () => {
  it('mounted off-screen, it already has the height it has once scrolled into view', async () => {
    document.body.innerHTML = `<div style="height: 300vh"></div>
      <div class="ix-code" style="width: 500px"><pre>static code</pre></div>
      <div style="height: 300vh"></div>`;
    const host = document.querySelector<HTMLElement>('.ix-code')!;
    const editor = await mountEditor(host, code, options);
    const view = EditorView.findFromDOM(editor.shell)!;
    const offScreen = editor.shell.getBoundingClientRect().height;
    expect(host.querySelector('pre')!.hidden).toBe(true);
    expect(editor.shell.style.position).toBe(''); // in the flow, in place of the static code

    editor.shell.scrollIntoView({ block: 'end' });
    await measured(view);
    expect(editor.shell.getBoundingClientRect().height).toBe(offScreen);
  });

  it('replaces the static code in view too, and takes focus once there', async () => {
    document.body.innerHTML = `<div class="ix-code" style="width: 500px"><pre>static code</pre></div>`;
    const host = document.querySelector<HTMLElement>('.ix-code')!;
    const editor = await mountEditor(host, 'console.log(1);', options);
    expect(host.querySelector('pre')!.hidden).toBe(true);
    editor.focus();
    expect(host.querySelector('.cm-content')).toBe(document.activeElement);
    expect(editor.code).toBe('console.log(1);');
  });
});

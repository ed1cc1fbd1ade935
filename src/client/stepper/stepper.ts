/**
 * Step mode for one example, loaded on its first Step (this module, the panel and its styles are
 * one chunk; the engine is another, loaded by the stepper's worker): records the example's code
 * in the worker, then shows the recording in a panel under the example and highlights each
 * step's source range in the editor.
 *
 * State: one panel per example (by the element the panel goes in), reused by later Steps.
 */
import type { EditorHandle } from '../example/editor.ts';
import { highlightRange } from './highlight.ts';
import { StepperPanel } from './panel.ts';
import { recordInWorker, warmStepper } from './worker-client.ts';

export { warmStepper };

export interface StepperTarget {
  /** Where the panel goes (the example's box under its bar). */
  readonly host: HTMLElement;
  readonly code: string;
  /** The example's editor, mounted if it is not yet (undefined if it cannot load). */
  readonly editor: () => Promise<EditorHandle | undefined>;
  /** The example's status line. */
  readonly say: (text: string) => void;
}

const panels = new WeakMap<HTMLElement, StepperPanel>();

export async function openStepper(target: StepperTarget): Promise<StepperPanel | undefined> {
  const { host, code, say } = target;
  say('Recording the run for step mode…');
  const [result, editor] = await Promise.all([recordInWorker(code), target.editor()]);
  if (!result.ok) {
    say(result.message);
    return panels.get(host);
  }
  const { recording } = result;
  const markStale = () =>
    panels
      .get(host)
      ?.setNotice('The code changed since this recording: press Step again to record the new code.');
  const onShow = (step: { range?: { from: number; to: number; line: number } }) => {
    if (editor) highlightRange(editor.view, step.range ?? null, markStale);
  };
  let panel = panels.get(host);
  if (panel) panel.load(recording);
  else {
    panel = new StepperPanel(recording, onShow);
    panels.set(host, panel);
    host.append(panel.element);
  }
  const steps = recording.droppedSteps + recording.steps.length;
  say(
    `Recorded ${steps.toLocaleString('en')} steps${recording.stoppedEarly ? ' (stopped early)' : ''}: step through them below.`,
  );
  panel.element.querySelector<HTMLElement>('[data-move="next"]')?.focus({ preventScroll: false });
  return panel;
}

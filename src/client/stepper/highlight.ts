/**
 * The current step's source range, highlighted in the example's CodeMirror editor: one mark
 * decoration held in a state field, added to an editor the first time it steps. An edit of the
 * code makes the recording stale; the editor tells the stepper through `onEdit`.
 */
import { StateEffect, StateField, type Extension } from '@codemirror/state';
import { Decoration, EditorView, type DecorationSet } from '@codemirror/view';
import type { SourceRange } from '../../stepper/types.ts';

const setRange = StateEffect.define<SourceRange | null>();
const mark = Decoration.mark({ class: 'ix-step-range' });

const rangeField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(value, transaction) {
    let next = value.map(transaction.changes);
    for (const effect of transaction.effects) {
      if (!effect.is(setRange)) continue;
      const range = effect.value;
      const length = transaction.state.doc.length;
      next =
        range && range.from < range.to && range.to <= length
          ? Decoration.set([mark.range(range.from, range.to)])
          : Decoration.none;
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

const installed = new WeakMap<EditorView, { onEdit: () => void }>();

/** Highlights `range` in the editor (none: clears it), scrolling it into view if needed. */
export function highlightRange(view: EditorView, range: SourceRange | null, onEdit: () => void): void {
  const hooks = installed.get(view);
  const effects: StateEffect<unknown>[] = [setRange.of(range)];
  if (!hooks) {
    const entry = { onEdit };
    installed.set(view, entry);
    const extension: Extension = [
      rangeField,
      EditorView.updateListener.of((update) => {
        if (update.docChanged) entry.onEdit();
      }),
    ];
    effects.unshift(StateEffect.appendConfig.of(extension));
  } else hooks.onEdit = onEdit;
  if (range && range.to <= view.state.doc.length)
    effects.push(EditorView.scrollIntoView(range.from, { y: 'nearest' }));
  view.dispatch({ effects });
}

/**
 * The example editor: CodeMirror 6, loaded on the reader's first Edit (its own chunk).
 *
 * Keyboard, without a trap (the pattern MDN's editors adopted): the editor sits inside a focus
 * "shell" that Tab reaches like a button. Enter (or a click) in the shell starts editing, where
 * Tab indents as in any editor; Esc leaves editing and puts focus back on the shell, from where
 * Tab moves on. Ctrl/Cmd-Enter runs. The content itself is never in the Tab order.
 *
 * Colours come from CSS custom properties (example.css) that follow Starlight's
 * `data-theme`, so a theme switch needs no reconfiguration.
 */
import {
  autocompletion,
  closeBrackets,
  closeBracketsKeymap,
  completionKeymap,
} from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { bracketMatching, HighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { EditorState } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';
import { tags as t } from '@lezer/highlight';

export interface EditorHandle {
  readonly code: string;
  setCode(code: string): void;
  /** Focuses the text (editing). */
  focus(): void;
  /** The shell: the focusable stop that stands for the editor in the Tab order. */
  readonly shell: HTMLElement;
  /** The CodeMirror view, for parts that add their own extensions (the stepper's highlight). */
  readonly view: EditorView;
  destroy(): void;
}

export interface EditorOptions {
  readonly label: string;
  readonly onChange: (code: string) => void;
  readonly onRun: () => void;
}

const highlight = HighlightStyle.define([
  {
    tag: [t.keyword, t.controlKeyword, t.moduleKeyword, t.operatorKeyword, t.definitionKeyword],
    color: 'var(--ix-tok-keyword)',
  },
  { tag: [t.string, t.special(t.string), t.regexp], color: 'var(--ix-tok-string)' },
  { tag: [t.number, t.bool, t.null, t.atom], color: 'var(--ix-tok-number)' },
  { tag: [t.comment, t.lineComment, t.blockComment], color: 'var(--ix-tok-comment)', fontStyle: 'italic' },
  { tag: [t.function(t.variableName), t.function(t.propertyName)], color: 'var(--ix-tok-function)' },
  { tag: [t.definition(t.variableName), t.typeName, t.className], color: 'var(--ix-tok-definition)' },
  { tag: [t.propertyName], color: 'var(--ix-tok-property)' },
]);

const theme = EditorView.theme({
  '&': {
    color: 'var(--ix-code-fg)',
    backgroundColor: 'var(--ix-code-bg)',
    fontSize: 'var(--sl-text-code, 0.875rem)',
  },
  '.cm-content': {
    fontFamily: 'var(--__sl-font-mono, ui-monospace, monospace)',
    caretColor: 'var(--ix-code-fg)',
    padding: '0.75rem 0',
  },
  '.cm-scroller': { fontFamily: 'var(--__sl-font-mono, ui-monospace, monospace)', lineHeight: '1.65' },
  '&.cm-focused': { outline: 'none' },
  '.cm-gutters': { backgroundColor: 'var(--ix-code-bg)', color: 'var(--ix-tok-comment)', border: 'none' },
  '.cm-activeLine': { backgroundColor: 'var(--ix-active-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--ix-active-line)' },
  '&.cm-focused .cm-cursor': { borderLeftColor: 'var(--ix-code-fg)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': {
    backgroundColor: 'var(--ix-selection)',
  },
  '.cm-matchingBracket': { outline: '1px solid var(--sl-color-accent)', backgroundColor: 'transparent' },
});

/**
 * Mounts an editor in `host` in place of the static code in it, and resolves once it is there.
 *
 * CodeMirror measures its lines only while it is in the window. Mounted off-screen (a saved edit
 * is mounted when the page loads) it keeps estimated line heights, often hundreds of pixels off,
 * until it is scrolled into view, and then corrects them: everything below it jumps, under the
 * reader's pointer, at the moment they reach for Run. So it is laid out first in the window,
 * invisible and out of the flow, at the host's width, and replaces the static code once measured.
 */
export function mountEditor(host: HTMLElement, code: string, options: EditorOptions): Promise<EditorHandle> {
  const shell = document.createElement('div');
  // not-content: Starlight's prose styles (a margin between sibling blocks) must not reach the
  // editor's lines, or they sit apart from where CodeMirror measures them, and line numbers
  // apart from their lines.
  shell.className = 'ix-editor not-content';
  shell.tabIndex = 0;
  shell.setAttribute('role', 'group');
  shell.setAttribute(
    'aria-label',
    `${options.label}: code editor. Press Enter to edit, Escape to stop editing, Ctrl+Enter to run.`,
  );
  const width = host.getBoundingClientRect().width;
  if (width > 0)
    shell.style.cssText = `position: fixed; top: 0; left: 0; width: ${width}px; visibility: hidden`;
  host.append(shell);
  const leave = (): boolean => {
    shell.focus();
    return true;
  };

  const view = new EditorView({
    parent: shell,
    state: EditorState.create({
      doc: code,
      extensions: [
        lineNumbers(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        closeBrackets(),
        autocompletion({ activateOnTyping: false }),
        highlightActiveLine(),
        javascript(),
        syntaxHighlighting(highlight),
        theme,
        // Wrapped lines: the editor grows instead of scrolling, so it never holds a scrollable
        // region that keyboard users could not reach (focus stays on the shell until Enter).
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ tabindex: '-1', 'aria-label': `${options.label}: code` }),
        keymap.of([
          { key: 'Mod-Enter', run: () => (options.onRun(), true) },
          { key: 'Escape', run: leave },
          ...closeBracketsKeymap,
          ...completionKeymap,
          ...defaultKeymap,
          ...historyKeymap,
          indentWithTab,
        ]),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) options.onChange(update.state.doc.toString());
        }),
      ],
    }),
  });

  shell.addEventListener('keydown', (event) => {
    if (event.target === shell && event.key === 'Enter' && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      view.focus();
    }
  });

  const handle: EditorHandle = {
    get code() {
      return view.state.doc.toString();
    },
    setCode(next: string) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: next } });
    },
    focus: () => view.focus(),
    shell,
    view,
    destroy() {
      view.destroy();
      shell.remove();
    },
  };
  // Runs in CodeMirror's measuring pass, once the lines' real heights are known.
  return new Promise((resolve) => {
    view.requestMeasure({
      read: () => undefined,
      write: () => {
        for (const child of host.children) if (child !== shell) (child as HTMLElement).hidden = true;
        shell.style.cssText = '';
        resolve(handle);
      },
    });
  });
}

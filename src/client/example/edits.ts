/**
 * The example's code as the reader changes it: the editor (editor.ts, loaded on the first Edit, or
 * at once for code other than the page's own), the edit kept in the reader's data
 * (src/client/progress/) 200 ms after the last change, an old edit of an original that has since
 * changed offered in a notice, Reset and Discard with their Undo, Copy, and share links (and the
 * playground opened by one).
 *
 * State: the code (the original, a saved edit or shared code) until the editor holds it; the
 * editor; the save waiting to be written; an old edit waiting for the reader's decision, and its
 * notice; the share link once made.
 *
 * Attributes it maintains on the example: `data-edited`, `data-editor`.
 */
import type { RealmKind } from '../../runner/index.ts';
import { copyText } from '../clipboard.ts';
import { couldNotLoad, loadOnce } from '../load-once.ts';
import { readSaved, writeSaved, type SavedEdit } from '../progress/index.ts';
import { toDom } from './dom.ts';
import type * as EditorModule from './editor.ts';
import type { EditorHandle } from './editor.ts';
import { decodeShare, encodeShare, playgroundUrl } from './share.ts';
import type { StatusLine } from './status.ts';
import { CLASS, exampleData, savedEditNotice, SELECT, shareLinkElement, type ExampleData } from './view.ts';

const loadEditor = loadOnce((): Promise<typeof EditorModule> => import('./editor.ts'));

/** What the edits need of the example they belong to (the island). */
export interface EditsHost {
  readonly element: HTMLElement;
  /** The example's id on the page: its saved edit is kept under it. */
  readonly id: string;
  readonly original: string;
  readonly status: StatusLine;
  /** The realm chosen, which is saved and shared with the code. */
  readonly realm: RealmKind;
  setRealm(realm: RealmKind): void;
  /** Runs the code (the editor's Ctrl+Enter). */
  run(): void;
}

export class Edits {
  readonly #host: EditsHost;
  readonly #data: ExampleData;
  #code: string;
  #editor: EditorHandle | undefined;
  #editorLoading: Promise<EditorHandle> | undefined;
  #saveTimer: ReturnType<typeof setTimeout> | undefined;
  #notice: HTMLElement | undefined;
  #pendingSaved: SavedEdit | undefined;
  #shareLink: HTMLElement | undefined;

  constructor(host: EditsHost) {
    this.#host = host;
    this.#data = exampleData(host.element);
    this.#code = host.original;
  }

  get code(): string {
    return this.#editor?.code ?? this.#code;
  }

  /** The code differs from the original. */
  get edited(): boolean {
    return this.code !== this.#host.original;
  }

  // ── The editor ─────────────────────────────────────────────────────────────────────────────

  async edit(focus = true): Promise<void> {
    const editor = await this.mountEditor().catch(() => undefined);
    if (focus) editor?.focus();
  }

  /** The editor, loading it on first call; if it cannot be loaded, says so (and rejects). */
  mountEditor(): Promise<EditorHandle> {
    const { element, status } = this.#host;
    return (this.#editorLoading ??= loadEditor().then(
      async ({ mountEditor }) => {
        const host = element.querySelector<HTMLElement>(SELECT.code) ?? element;
        const label = element.getAttribute('aria-label') ?? 'Example';
        this.#editor = await mountEditor(host, this.#code, {
          label,
          onChange: () => this.#onEdit(),
          onRun: () => this.#host.run(),
        });
        this.#data.editor = '';
        return this.#editor;
      },
      (error: unknown) => {
        this.#editorLoading = undefined;
        status.say(couldNotLoad('editor'));
        throw error;
      },
    ));
  }

  #onEdit(): void {
    // New work: an earlier Reset or Discard can no longer be undone over it.
    if (this.#host.status.offersUndo) this.#host.status.say('');
    this.#markEdited();
    this.scheduleSave();
  }

  #markEdited(): void {
    const edited = this.edited;
    if (edited) this.#data.edited = '';
    else delete this.#data.edited;
    const reset = this.#host.element.querySelector<HTMLElement>(SELECT.action('reset'));
    if (reset) reset.hidden = !edited;
  }

  // ── Saving ─────────────────────────────────────────────────────────────────────────────────

  scheduleSave(): void {
    clearTimeout(this.#saveTimer);
    this.#saveTimer = setTimeout(() => this.#save(), 200);
  }

  #save(): void {
    // A save now supersedes a pending one (setCode's change event schedules one): a late timer
    // would write over whatever was stored meanwhile.
    clearTimeout(this.#saveTimer);
    const { id, original, realm } = this.#host;
    const code = this.code;
    // An old edit waiting for "restore?" is kept until the reader decides or edits anew.
    if (code === original && !this.#pendingSaved) writeSaved(id, undefined);
    else if (code !== original) {
      this.#pendingSaved = undefined;
      this.#notice?.remove();
      writeSaved(id, { code, hash: this.#data.hash ?? '', realm, savedAt: Date.now() });
    }
  }

  // ── Reset, and Undo ────────────────────────────────────────────────────────────────────────

  async reset(): Promise<void> {
    const { id, original, status } = this.#host;
    const edited = this.code;
    this.#code = original;
    this.#editor?.setCode(original);
    clearTimeout(this.#saveTimer); // the one just scheduled by setCode's change event, and any before
    writeSaved(id, undefined);
    this.#markEdited();
    status.offerUndo('Reset to the original.', async () => {
      this.#code = edited;
      const editor = await this.mountEditor().catch(() => undefined);
      editor?.setCode(edited);
      this.#save();
      this.#markEdited();
      status.say('Your edit is back.');
    });
  }

  async undo(): Promise<void> {
    await this.#host.status.undo();
    // Back to the control the reader used, now that it is there again.
    const back = this.#host.element.querySelector<HTMLElement>(
      `${SELECT.action('reset')}:not([hidden]), .${CLASS.notice} ${SELECT.action('restore')}`,
    );
    back?.focus();
  }

  // ── Copy and share ─────────────────────────────────────────────────────────────────────────

  async copy(): Promise<void> {
    const ok = await copyText(this.code);
    this.#host.status.say(ok ? 'Code copied.' : 'Could not copy: select the code and copy it yourself.');
  }

  async share(): Promise<void> {
    const { element, realm, status } = this.#host;
    const url = playgroundUrl(await encodeShare({ code: this.code, realm }));
    if (!this.#shareLink) {
      this.#shareLink = toDom(shareLinkElement());
      element.querySelector(SELECT.tools)?.append(this.#shareLink);
    }
    this.#shareLink.setAttribute('href', url);
    const ok = await copyText(url);
    status.say(
      ok ? 'Share link copied: it opens this code in the playground.' : 'Share link ready (next to Share).',
    );
  }

  // ── Saved edits and shared code, when the example starts ───────────────────────────────────

  /** Shows the reader's saved edit (in the playground, shared code) in place of the original. */
  restore(): void {
    if (this.#data.playground !== undefined) {
      void this.#openShared();
      return;
    }
    const saved = readSaved(this.#host.id);
    if (!saved) return;
    if (saved.hash === (this.#data.hash ?? '')) {
      this.#code = saved.code;
      if (saved.realm) this.#host.setRealm(saved.realm);
      // Without the editor (it could not load) the edit is still what Run runs.
      this.mountEditor().then(
        () => this.#markEdited(),
        () => undefined,
      );
    } else {
      this.#pendingSaved = saved;
      this.#showNotice();
    }
  }

  async #openShared(): Promise<void> {
    const shared = location.hash.length > 1 ? await decodeShare(location.hash) : undefined;
    if (shared) {
      this.#code = shared.code;
      if (shared.realm) this.#host.setRealm(shared.realm);
      this.#host.status.say('Opened a shared example. Nothing has run: press Run when you are ready.');
    } else {
      const saved = readSaved(this.#host.id);
      // Nothing but the page's own code: it stays the static block until the reader edits it.
      if (!saved) return;
      this.#code = saved.code;
      if (saved.realm) this.#host.setRealm(saved.realm);
    }
    await this.mountEditor().catch(() => undefined);
    this.#markEdited();
  }

  #showNotice(): void {
    this.#notice = toDom(savedEditNotice());
    this.#host.element.querySelector(SELECT.bar)?.before(this.#notice);
  }

  async restoreSaved(): Promise<void> {
    const saved = this.#pendingSaved;
    if (!saved) return;
    this.#pendingSaved = undefined;
    this.#notice?.remove();
    this.#code = saved.code;
    if (saved.realm) this.#host.setRealm(saved.realm);
    const editor = await this.mountEditor().catch(() => undefined);
    editor?.setCode(saved.code);
    clearTimeout(this.#saveTimer); // scheduled by setCode's change event; saved here at once
    // Saved again against the new original: it is now an edit of this version.
    writeSaved(this.#host.id, { ...saved, hash: this.#data.hash ?? '', savedAt: Date.now() });
    this.#markEdited();
    this.#host.status.say('Your edit is restored.');
  }

  discardSaved(): void {
    const { id, status } = this.#host;
    const discarded = this.#pendingSaved;
    this.#pendingSaved = undefined;
    this.#notice?.remove();
    writeSaved(id, undefined);
    if (!discarded) return status.say('Old edit discarded.');
    status.offerUndo('Old edit discarded.', () => {
      writeSaved(id, discarded);
      this.#pendingSaved = discarded;
      this.#showNotice();
      status.say('Your old edit is kept: restore it or discard it.');
    });
  }
}

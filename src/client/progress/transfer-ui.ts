/**
 * The guide page's Export and Import controls (src/components/YourProgress.astro) over
 * transfer.ts: export downloads one JSON file; import reads a file, says what it added (or why it
 * cannot, changing nothing) and offers Undo.
 */
import { exportBundle, exportedText, importBundle, importedText, parseBundle } from './transfer.ts';

const root = document.querySelector<HTMLElement>('[data-transfer]');
if (root) wire(root);

function wire(root: HTMLElement): void {
  const status = root.querySelector<HTMLElement>('[data-transfer-status]')!;
  const input = root.querySelector<HTMLInputElement>('[data-import]')!;
  root.querySelector<HTMLElement>('[data-transfer-nojs]')?.remove();
  root.querySelector<HTMLElement>('[data-transfer-controls]')!.hidden = false;

  const say = (text: string, undo?: () => void) => {
    status.textContent = text;
    if (!undo) return;
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Undo';
    button.addEventListener('click', () => {
      undo();
      say('Import undone: this browser has what it had before.');
    });
    status.append(' ', button);
  };

  root.querySelector('[data-export]')!.addEventListener('click', () => {
    const bundle = exportBundle();
    const blob = new Blob([JSON.stringify(bundle, null, 2)], { type: 'application/json' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `interleave-progress-${bundle.exportedAt.slice(0, 10)}.json`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    say(exportedText(bundle));
  });

  input.addEventListener('change', async () => {
    const file = input.files?.[0];
    input.value = ''; // the same file can be chosen again
    if (!file) return;
    const parsed = parseBundle(await file.text());
    if (!parsed.ok) return say(`${parsed.message} Nothing was changed.`);
    try {
      const imported = importBundle(parsed.bundle);
      say(importedText(file.name, imported), imported.undo);
    } catch (error) {
      say((error as Error).message);
    }
  });
}

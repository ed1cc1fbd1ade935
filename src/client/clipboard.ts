/**
 * Copies text to the clipboard: through the Clipboard API where the page may use it, else through
 * a hidden, selected textarea and the older `copy` command (pages without permission, older
 * engines). Resolves to whether the text was copied, so the caller can say so — or offer the text
 * to copy by hand.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

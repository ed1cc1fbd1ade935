/**
 * src/build/code-blocks/code-token-classes.mjs in Expressive Code itself, with a dark and a light theme as the
 * book has: tokens carry classes instead of inline styles, one rule per class picks the theme's
 * colour, and the code's text is unchanged. (The colours in a real browser, both themes:
 * test/e2e/code-rendering.test.ts.)
 */
import { ExpressiveCode, ExpressiveCodeTheme, loadShikiTheme } from '@astrojs/starlight/expressive-code';
import { select, toHtml, toText } from '@astrojs/starlight/expressive-code/hast';
import { describe, expect, it } from 'vitest';
import { codeTokenClasses } from '../../../src/build/code-blocks/code-token-classes.mjs';

const CODE = "const a = 1;\n  foo( bar, 'x y' ); // a comment\n\nlet   b = a + a;";

async function render(plugins: ReturnType<typeof codeTokenClasses>[]) {
  const themes = await Promise.all(
    (['github-dark', 'github-light'] as const).map(
      async (name) => new ExpressiveCodeTheme(await loadShikiTheme(name)),
    ),
  );
  const ec = new ExpressiveCode({ themes, plugins });
  const { renderedGroupAst } = await ec.render({ code: CODE, language: 'js' });
  const code = toText(select('code', renderedGroupAst)!);
  const html = toHtml(renderedGroupAst);
  const css = [...html.matchAll(/<style>([^<]*)<\/style>/g)].map((match) => match[1]).join('');
  return { html, css, code };
}

describe('code token classes', () => {
  it('colours every token by a class whose rule names its dark and light colour', async () => {
    const { html, css } = await render([codeTokenClasses()]);
    // Spans that also set italic or bold keep Expressive Code's inline style (github-dark has some).
    expect(html).not.toMatch(/style="--\d+:#[0-9a-f]+(;--\d+:#[0-9a-f]+)*"/i);
    const names = [...new Set([...html.matchAll(/class="(ix-c-[^"]+)"/g)].map((match) => match[1]!))];
    expect(names.length).toBeGreaterThan(2);
    for (const name of names) {
      const [, dark, light] = name.split('-').slice(1);
      const colour = (hex: string | undefined) => (hex === 'x' ? 'currentColor' : `#${hex}`);
      expect(css).toContain(`.${name}{color:light-dark(${colour(light)},${colour(dark)})}`);
    }
  });

  it('keeps the text, with fewer spans: none of only whitespace, one per run of a colour', async () => {
    const before = await render([]);
    const after = await render([codeTokenClasses()]);
    expect(after.code).toBe(before.code);
    const spans = (html: string) => html.match(/<span\b/g)?.length ?? 0;
    expect(spans(after.html)).toBeLessThan(spans(before.html));
    expect(after.html).not.toMatch(/<span class="ix-c-[^"]+">\s*<\/span>/);
    expect(after.html).not.toMatch(/<span class="(ix-c-[^"]+)">[^<]*<\/span>\s*<span class="\1">/);
  });
});

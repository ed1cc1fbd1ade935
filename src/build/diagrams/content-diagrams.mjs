// @ts-check
/**
 * What a Mermaid diagram says about itself, shared by the build
 * (remark-mermaid.mjs) and the content checks (test/unit/content/*): the
 * accessible title and description an author gives with Mermaid's own
 * `accTitle:` / `accDescr:` (or `accDescr { … }`) lines, and where each
 * ```mermaid fence sits in a source file.
 */

/**
 * @typedef {object} Accessibility
 * @property {string | undefined} title       `accTitle: …`
 * @property {string | undefined} description `accDescr: …` or the body of `accDescr { … }`
 */

/**
 * Reads accTitle/accDescr the way Mermaid does (one line each, or a braced
 * multi-line description).
 * @param {string} source Mermaid source
 * @returns {Accessibility}
 */
export function diagramAccessibility(source) {
  const title = /^[ \t]*accTitle[ \t]*:[ \t]*(.+?)[ \t]*$/m.exec(source)?.[1];
  const line = /^[ \t]*accDescr[ \t]*:[ \t]*(.+?)[ \t]*$/m.exec(source)?.[1];
  const block = /^[ \t]*accDescr[ \t]*\{([\s\S]*?)\}/m.exec(source)?.[1];
  const description = line ?? block?.replace(/\s+/g, ' ').trim();
  return { title: title || undefined, description: description || undefined };
}

/**
 * @typedef {object} DiagramSource
 * @property {string} source Mermaid source, fence indentation removed
 * @property {number} line   1-based line of the opening fence
 */

/**
 * Finds every ```mermaid (or ~~~mermaid) fence in a Markdown/MDX file,
 * including fences indented inside components such as `<TabItem>`.
 * @param {string} text file contents
 * @returns {DiagramSource[]}
 */
export function findDiagrams(text) {
  const lines = text.split(/\r?\n/);
  /** @type {DiagramSource[]} */
  const found = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^([ \t]*)(`{3,}|~{3,})[ \t]*mermaid(?:[ \t].*)?$/.exec(lines[i] ?? '');
    if (!open) continue;
    const [, indent = '', fence = '```'] = open;
    const body = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const current = lines[j] ?? '';
      const close = /^[ \t]*(`{3,}|~{3,})[ \t]*$/.exec(current)?.[1] ?? '';
      if (close[0] === fence[0] && close.length >= fence.length) break;
      body.push(current.startsWith(indent) ? current.slice(indent.length) : current.trimStart());
    }
    found.push({ source: body.join('\n'), line: i + 1 });
    i = j;
  }
  return found;
}

// @ts-check
import starlight from '@astrojs/starlight';
import { defineConfig } from 'astro/config';
import { fileURLToPath } from 'node:url';
import { codeRenderedInView } from './src/build/code-blocks/code-rendering.mjs';
import { exampleCodeBlocks } from './src/build/examples/example-code-blocks.mjs';
import { codeTokenClasses } from './src/build/code-blocks/code-token-classes.mjs';
import { ISOLATION_HEADERS } from './src/build/site/headers.mjs';
import { markdownConfig } from './src/build/markdown.mjs';
import { offlineIntegration } from './src/build/site/offline.mjs';
import { diagramsIntegration } from './src/build/diagrams/remark-mermaid.mjs';
import { assertSupportedNode } from './src/build/toolchain/node-version.mjs';
import { sidebarSections } from './src/build/site/sidebar.mjs';

assertSupportedNode();

/**
 * SITE_BASE deploys under a sub-path (e.g. "/interleave/" on GitHub Pages);
 * SITE_URL is the public origin, used for canonical URLs and the sitemap.
 */
const base = process.env.SITE_BASE || '/';
const site = process.env.SITE_URL || undefined;
const repository = 'https://github.com/interleave-book/interleave';

export default defineConfig({
  ...(site ? { site } : {}),
  base,
  trailingSlash: 'ignore',
  // Cross-origin isolation (SharedArrayBuffer) for `astro dev` and `astro preview`.
  server: { headers: ISOLATION_HEADERS },
  vite: {
    // Module workers with code splitting: the runner's worker lazy-loads the
    // teaching libraries (interleave/sync, …) only when a snippet imports them.
    worker: { format: 'es' },
    resolve: {
      alias: [
        // Starlight's "On this page" highlighter with a cheaper way to find what it watches: the
        // original's `:has()` selector was a long task on every chapter (src/chrome/starlight-toc.ts).
        {
          find: /^\.\.\/components-internals\/TableOfContents\/starlight-toc$/,
          replacement: fileURLToPath(new URL('./src/chrome/starlight-toc.ts', import.meta.url)),
        },
      ],
    },
  },
  // Remark/rehype pipeline (Mermaid figures, runnable examples): see src/build/markdown.mjs.
  markdown: markdownConfig(),
  integrations: [
    // Mermaid diagrams are drawn at build time in Chromium; see src/build/diagrams/remark-mermaid.mjs.
    diagramsIntegration(),
    starlight({
      title: 'Interleave',
      description:
        'An interactive book about concurrency: run real code on the main thread and in Web Workers and watch what happens.',
      favicon: '/favicon.svg',
      logo: { src: './src/chrome/logo.svg', replacesTitle: false },
      social: [{ icon: 'github', label: 'Source on GitHub', href: repository }],
      editLink: { baseUrl: `${repository}/edit/main/` },
      lastUpdated: false,
      customCss: ['./src/chrome/theme.css', './src/chrome/print.css'],
      // Files reach Vite by their real path (content/…), not the src/content/docs
      // symlink: without this, asides and heading anchor links are skipped.
      markdown: { processedDirs: ['./content/'] },
      expressiveCode: {
        plugins: [codeTokenClasses(), codeRenderedInView(), exampleCodeBlocks()],
        // A whole number of pixels per code line (Starlight's 1.75 gives 24.5 px): WebKit lays
        // lines out at whole pixels, so a skipped block's size (src/build/code-blocks/code-rendering.mjs)
        // would be half a pixel per line off there, and the page would jump when it is drawn.
        styleOverrides: { codeLineHeight: '1.5rem' },
      },
      routeMiddleware: './src/chrome/route-data.ts',
      components: {
        Head: './src/chrome/Head.astro',
        SocialIcons: './src/chrome/SocialIcons.astro',
      },
      // Each section lists its folder in content/; order comes from each file's
      // `sidebar.order` frontmatter, so a new chapter needs no edit here.
      sidebar: [
        ...sidebarSections([
          { label: 'Start here', directory: 'guide' },
          { label: 'Chapters', directory: 'chapters' },
          { label: 'Reference', directory: 'reference' },
        ]),
        // A page of its own (content/playground.mdx): a blank editor that opens share links.
        { label: 'Playground', slug: 'playground' },
      ],
    }),
    // After Starlight, whose build:done hook writes Pagefind's index: the service worker's
    // precache manifest lists every file of the finished build (src/build/site/offline.mjs).
    offlineIntegration(),
  ],
});

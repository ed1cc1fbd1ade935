import { defineCollection } from 'astro:content';
import { docsLoader } from '@astrojs/starlight/loaders';
import { docsSchema } from '@astrojs/starlight/schema';

// src/content/docs is a committed symlink to the top-level content/ folder, so
// Starlight's stock loader, sidebar autogeneration and Markdown processing all
// see the chapters where authors keep them.
export const collections = {
  docs: defineCollection({ loader: docsLoader(), schema: docsSchema() }),
};

import { defineRouteMiddleware } from '@astrojs/starlight/route-data';

// Chapters live in the top-level content/ folder and reach Starlight through the
// src/content/docs symlink, so Starlight's edit links name the symlinked path.
// Point them at the real file contributors should edit.
export const onRequest = defineRouteMiddleware((context) => {
  const { editUrl } = context.locals.starlightRoute;
  if (editUrl) editUrl.pathname = editUrl.pathname.replace('/src/content/docs/', '/content/');
});

/**
 * A global's own functions, kept when the runtime is installed, before the snippet can replace
 * them: the runtime's timers, clock and workers never go through the global's mutable names.
 */

/* eslint-disable @typescript-eslint/no-explicit-any -- thread globals are untyped on purpose */
export type AnyGlobal = any;

export function captureNatives(g: AnyGlobal) {
  return {
    setTimeout: g.setTimeout.bind(g) as typeof setTimeout,
    clearTimeout: g.clearTimeout.bind(g) as typeof clearTimeout,
    setInterval: g.setInterval.bind(g) as typeof setInterval,
    clearInterval: g.clearInterval.bind(g) as typeof clearInterval,
    requestAnimationFrame:
      typeof g.requestAnimationFrame === 'function'
        ? (g.requestAnimationFrame.bind(g) as typeof requestAnimationFrame)
        : undefined,
    cancelAnimationFrame:
      typeof g.cancelAnimationFrame === 'function'
        ? (g.cancelAnimationFrame.bind(g) as typeof cancelAnimationFrame)
        : undefined,
    now: () => performance.now(),
    Worker: (g.Worker as typeof Worker | undefined) ?? undefined,
    createObjectURL: URL.createObjectURL.bind(URL),
    Blob: g.Blob as typeof Blob,
  };
}

export type Natives = ReturnType<typeof captureNatives>;

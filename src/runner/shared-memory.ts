/**
 * Whether this thread can share memory with the workers it starts. Cross-origin isolation only
 * makes it possible: the engine must also provide `SharedArrayBuffer` (WebKitGTK without
 * `JSC_useSharedArrayBuffer`, for one, is isolated and has none). Feature-detect; never infer it
 * from `crossOriginIsolated` alone.
 */
export function canShareMemory(
  scope: { crossOriginIsolated?: boolean; SharedArrayBuffer?: unknown } = globalThis,
): boolean {
  return scope.crossOriginIsolated === true && typeof scope.SharedArrayBuffer === 'function';
}

/** Why set-up failed, in one line for the run's status. */
export function describeSetUpError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `The run could not be set up in this browser (${text}); nothing ran.`;
}

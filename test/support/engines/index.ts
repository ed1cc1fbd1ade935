/** Launches an engine of the engine layer by name (see engine.ts). */
import { launchChromiumEngine } from './chromium.ts';
import type { Engine, EngineName } from './engine.ts';
import { launchFirefoxEngine } from './firefox.ts';
import { launchWebKitEngine } from './webkit.ts';

export * from './engine.ts';

export function launchEngine(name: EngineName, log?: (line: string) => void): Promise<Engine> {
  if (name === 'chromium') return launchChromiumEngine();
  if (name === 'firefox') return launchFirefoxEngine(log);
  return launchWebKitEngine(log);
}

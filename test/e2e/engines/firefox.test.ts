/** The cross-engine end-to-end checks (cross-engine.ts) in Firefox ESR. */
import { crossEngineSuite } from './cross-engine.ts';

crossEngineSuite('firefox');

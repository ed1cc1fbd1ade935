/** The cross-engine end-to-end checks (cross-engine.ts) in WebKit (WebKitGTK MiniBrowser). */
import { crossEngineSuite } from './cross-engine.ts';

crossEngineSuite('webkit');

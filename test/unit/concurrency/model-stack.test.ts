/**
 * Where a model operation was called, read from real stack strings of each engine, captured on
 * this machine (Chromium 156, Firefox 153 ESR, WebKitGTK 2.50) from a blob: module "lib" (standing
 * for model.ts) called by a snippet loaded as the scheduler loads it (src/client/scheduler/load.ts):
 * `x.read` on line 3 calls the lib; the thread awaits it on line 5 (before any await) or on line 6
 * (after an `await null`). And which frames the panel counts as the reader's code (session.ts).
 */
import { describe, expect, it } from 'vitest';
import { firstSiteOutside } from '../../../src/concurrency/model/index.ts';
import { addSnippetURL, lineOf, SNIPPET_FILE } from '../../../src/client/scheduler/session.ts';

const ORIGIN = 'blob:http://127.0.0.1:40611';

describe('firstSiteOutside: the first frame outside the model, per engine', () => {
  it('V8 (Chromium): "at f (url:line:col)"', () => {
    const lib = `${ORIGIN}/dc0494aa-9da4-4591-aab5-9fb4bcefd95e`;
    const snippet = `${ORIGIN}/2bc38f43-82dd-4e8a-8d85-810d899111f7`;
    const afterAwait = `Error\n    at Module.request (${lib}:1:43)\n    at Object.read (${snippet}:3:29)\n    at thread (${snippet}:6:23)`;
    expect(firstSiteOutside(afterAwait, lib)).toEqual({ file: snippet, line: 3 });
    // sourceURL names the frames of eval'd code and of modules in V8.
    const named = `Error\n    at Module.request (${lib}:1:43)\n    at Object.read (scheduler.js:3:29)\n    at thread (scheduler.js:5:23)\n    at eval (scheduler.js:8:8)`;
    expect(firstSiteOutside(named, lib)).toEqual({ file: 'scheduler.js', line: 3 });
  });

  it('SpiderMonkey (Firefox): "f@url:line:col", async frames included', () => {
    const lib = `${ORIGIN}/10fc1b73-4064-4ac2-bda2-ddc1d48a213c`;
    const snippet = `${ORIGIN}/5e8a04d4-4a97-43d7-aa75-fc8eb7ca1c8c`;
    const afterAwait = `request@${lib}:1:43\nread@${snippet}:3:29\nthread@${snippet}:6:23\n`;
    expect(firstSiteOutside(afterAwait, lib)).toEqual({ file: snippet, line: 3 });
    const evalNamed = `request@${lib}:1:43\nread@scheduler.js:3:29\nthread@scheduler.js:5:23\n@scheduler.js:8:8\n`;
    expect(firstSiteOutside(evalNamed, lib)).toEqual({ file: 'scheduler.js', line: 3 });
  });

  it('JavaScriptCore (WebKit): a module’s frames have its URL, a resumed async function’s frame no name', () => {
    const lib = `${ORIGIN}/ba4a7a79-5229-4d9c-8d31-0a8947842cea`;
    // `read` is gone from both: a strict-mode tail call (JavaScriptCore has proper tail calls).
    const before = `${ORIGIN}/2bf15299-3cec-46f6-a080-9fb656ef27cf`;
    const beforeAwait = `request@${lib}:1:52\n@${before}:5:27\nthread@${before}:4:23\n@${before}:1:62\n@`;
    expect(firstSiteOutside(beforeAwait, lib)).toEqual({ file: before, line: 5 });
    const after = `${ORIGIN}/74ac78ad-9b2a-4971-9d65-36c2a0138ee4`;
    const afterAwait = `request@${lib}:1:52\n@${after}:6:27`;
    expect(firstSiteOutside(afterAwait, lib)).toEqual({ file: after, line: 6 });
  });

  it('JavaScriptCore gives eval’d code no location, sourceURL or not: no site (why load.ts imports a module)', () => {
    const lib = `${ORIGIN}/ba4a7a79-5229-4d9c-8d31-0a8947842cea`;
    expect(firstSiteOutside(`request@${lib}:1:52\n@\nthread@\n@\n@`, lib)).toBeUndefined();
  });
});

describe('lineOf: frames of the reader’s code', () => {
  it('named by the sourceURL, or by a URL the scheduler loaded a snippet from', () => {
    const loaded = `${ORIGIN}/0f425d6a-7f35-4696-a024-514fde7b4f5f`;
    expect(lineOf({ file: SNIPPET_FILE, line: 7 })).toBe(7);
    expect(lineOf({ file: loaded, line: 7 })).toBeUndefined();
    addSnippetURL(loaded);
    expect(lineOf({ file: loaded, line: 7 })).toBe(7);
    expect(lineOf({ file: `${ORIGIN}/another`, line: 7 })).toBeUndefined();
    expect(lineOf({ file: 'http://localhost/_astro/model.js', line: 7 })).toBeUndefined();
  });
});

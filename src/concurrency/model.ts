/**
 * `interleave/model` is the folder `model/`; import it from `model/index.ts`. This file remains
 * only while `runner/libraries.ts` loads the library from here: point that loader at
 * `./model/index.ts` (it moves with the snippet toolkit) and delete this file.
 */
export * from './model/index.ts';

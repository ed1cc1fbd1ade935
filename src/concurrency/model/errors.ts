/** The errors a model program meets: its own misuse, a failed assertion, a channel's panic. */

/** The program's misuse of the model: a bug to fix in the code, not an outcome of a schedule. */
export class ModelError extends Error {
  override name = 'ModelError';
}

/** Thrown by the program's `assert` when a property does not hold. */
export class AssertionFailure extends Error {
  override name = 'AssertionFailure';
}

/** A Go-style runtime panic of a channel ("send on closed channel"). */
export class ModelPanic extends Error {
  override name = 'ModelPanic';
}

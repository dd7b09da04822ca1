import { TargetError } from "../target-error.js";

/** Awaits a client call that must fail and returns its TargetError; a success or another error fails the test. */
export async function targetFailure(call: Promise<unknown>): Promise<TargetError> {
  try {
    await call;
  } catch (thrown) {
    if (thrown instanceof TargetError) return thrown;
    throw thrown;
  }
  throw new Error("the call succeeded, but a TargetError was expected");
}

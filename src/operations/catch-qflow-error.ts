import { buildQflowErrorMessage } from '../blocks/error-message.js';
import { QflowError } from '../qflow/qflow-error.js';
import type { Outcome } from './outcome.js';

/** Runs `operation`, turning a QflowError into a refused Outcome; anything else is a bug and propagates. */
export async function catchQflowError(operation: () => Promise<Outcome>): Promise<Outcome> {
  try {
    return await operation();
  } catch (error) {
    if (!(error instanceof QflowError)) throw error;
    return {
      kind: 'refused',
      message: buildQflowErrorMessage(error),
      result: error.code,
      ...(error.status !== undefined && { qflowStatus: error.status }),
    };
  }
}

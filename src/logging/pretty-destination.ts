import pretty from 'pino-pretty';

/** A destination that turns the logger's JSON lines into readable text, for people at a terminal. */
export function prettyDestination(output: NodeJS.WritableStream): NodeJS.WritableStream {
  return pretty({ destination: output, sync: true, ignore: 'pid,hostname,name' });
}

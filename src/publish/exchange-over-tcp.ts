import { connect } from 'node:net';

/** A DNS server address: a host name or IP and a port. */
export interface DnsServerAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * Sends one wire-format DNS message over TCP (RFC 1035 §4.2.2, two-byte length prefix) and resolves
 * with the reply. TCP because an UPDATE with prerequisites can outgrow a UDP datagram. Rejects with
 * the socket's error, a `TimeoutError` when the server stays silent for `timeoutMs`, or an `AbortError`
 * once `signal` aborts.
 */
export function exchangeOverTcp(
  server: DnsServerAddress,
  message: Buffer,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: server.host, port: server.port, ...(signal && { signal }) });
    let received = Buffer.alloc(0);
    const finish = (error: Error | undefined, reply?: Buffer) => {
      socket.destroy();
      if (error !== undefined) reject(error);
      else resolve(reply as Buffer);
    };
    socket.setTimeout(timeoutMs, () =>
      finish(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { name: 'TimeoutError' })),
    );
    socket.on('error', (error) => finish(error));
    socket.on('connect', () => {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(message.length);
      socket.write(Buffer.concat([length, message]));
    });
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 2 && received.length >= 2 + received.readUInt16BE(0))
        finish(undefined, received.subarray(2, 2 + received.readUInt16BE(0)));
    });
    socket.on('end', () => finish(new Error('the server closed the connection without a full answer')));
  });
}

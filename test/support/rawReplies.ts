/**
 * Replies no well-behaved server sends, written straight to the socket past Node's HTTP layer:
 * a header cut in the middle, a body line that never ends, a connection that is never closed.
 */
import type * as http from 'node:http';

export interface RawReply {
  readonly kind: 'socket';
  /** Bytes written as they are (status line and headers included), in order. */
  readonly pieces: readonly (string | Buffer)[];
  /** After the last piece: destroy the connection, end it, or leave it open until the client goes. */
  readonly then: 'destroy' | 'end' | 'hang';
}

export async function serveRaw(reply: RawReply, res: http.ServerResponse): Promise<void> {
  const socket = res.socket;
  if (!socket) return;
  for (const piece of reply.pieces) {
    if (socket.destroyed) return;
    // Waits for the kernel to take each piece, so a big body cannot pile up in memory here.
    await new Promise<void>((resolve) => (socket.write(piece) ? resolve() : socket.once('drain', resolve)));
  }
  if (reply.then === 'destroy') setTimeout(() => socket.destroy(), 20);
  else if (reply.then === 'end') socket.end();
}

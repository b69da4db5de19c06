import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';

/**
 * A fake vendor's handler threw: say so in the test output and answer 500 (or cut the connection
 * if the answer had begun), so the SDK under test sees a failure instead of the test process
 * dying on an unhandled rejection.
 */
export function failRequest(fake: string, res: ServerResponse, err: Error): void {
  console.error(`${fake}: ${err.stack ?? err.message}`);
  if (res.headersSent) res.destroy();
  else res.writeHead(500, { 'content-type': 'text/plain' }).end(`${fake} failed: ${err.message}`);
}

/** A fake vendor's HTTP server on a free loopback port; a handler that throws answers via failRequest. */
export async function listenFake(fake: string, handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>): Promise<Server> {
  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => failRequest(fake, res, err));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** Stops a fake started with listenFake (nothing to do when it never started). */
export async function closeFake(server: Server | undefined): Promise<void> {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
}

/**
 * One line an operator can act on for each way the start can fail. The parts that fail
 * (Redis, the HTTP port, a chat token) throw errors that already say what they tried; this
 * adds the advice for errors that come straight from Node.
 */
export function explainStartFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  const { address, port } = error as { address?: string; port?: number };
  const where = address !== undefined && port !== undefined ? `${address}:${port}` : 'the port';
  if (code === 'EADDRINUSE') {
    return `${where} is already in use by another program: stop it, or set PORT (and HOST) to a free one.`;
  }
  if (code === 'EACCES') {
    return `not allowed to listen on ${where}: ports below 1024 need privileges; set PORT to 1024 or above.`;
  }
  if (code === 'EADDRNOTAVAIL') {
    return `${where} is not an address of this machine: set HOST to one of its addresses, or 0.0.0.0.`;
  }
  return error.message;
}

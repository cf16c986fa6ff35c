import { isIP, type LookupFunction } from 'node:net';
import { Agent, type Dispatcher } from 'undici';

/** Resolves a name to the addresses a connection may use, rejecting any it must not use. */
export type CheckedResolve = (hostname: string) => Promise<readonly string[]>;

/**
 * An HTTP dispatcher whose sockets connect only to addresses `resolve` returned, resolved
 * when the socket is opened: what was checked is what is connected to, whatever a name
 * server answers to a second question. A refusal fails the request with it as the cause.
 * Literal addresses in URLs are not looked up by the socket (the guard's check has judged
 * them already).
 */
export function pinnedDispatcher(resolve: CheckedResolve): Dispatcher {
  const lookup: LookupFunction = (hostname, options, callback) => {
    resolve(hostname).then(
      (resolved) => {
        const family = options.family === 4 || options.family === 6 ? options.family : 0;
        const addresses = resolved
          .map((address) => ({ address, family: isIP(address) }))
          .filter((a) => a.family !== 0 && (family === 0 || a.family === family));
        if (addresses.length === 0) {
          const error: NodeJS.ErrnoException = new Error(`${hostname} resolves to no address`);
          error.code = 'ENOTFOUND';
          return callback(error, '', 0);
        }
        if (options.all) return callback(null, addresses);
        callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, '', 0),
    );
  };
  return new Agent({ connect: { lookup } });
}

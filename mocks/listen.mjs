// Listening on loopback, the same way for every server of the mocks: the auth front, the stateful front and the
// stateful store's server.

/**
 * Starts `server` on `host:port` (0: a free port) and resolves once it listens.
 * @param {import("node:http").Server} server
 * @param {{ host: string, port: number, agent?: import("node:http").Agent }} where `agent`: the keep-alive agent it
 *   forwards with, destroyed on close
 * @returns {Promise<{ url: string, port: number, close: () => Promise<void> }>}
 */
export async function listen(server, { host, port, agent }) {
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(undefined);
    });
  });
  const { port: boundPort } = /** @type {import("node:net").AddressInfo} */ (server.address());
  return {
    url: `http://${host}:${boundPort}`,
    port: boundPort,
    /** Stops listening and ends every connection, hanging ones included. */
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve(undefined));
        server.closeAllConnections();
        agent?.destroy();
      }),
  };
}

import type { TestContext } from "node:test";
import { type RunningServer, serve } from "../../src/server/serve.js";

/**
 * Serves `app` in this process as `serve()` does for users, on a free loopback port, quiet, with
 * no signal handlers and no container guess; closed after the test. `options` override any of it.
 */
export async function serveForTest(
  t: TestContext,
  app: Parameters<typeof serve>[0],
  options: Parameters<typeof serve>[1] = {},
): Promise<RunningServer> {
  const server = await serve(app, {
    port: 0,
    host: "127.0.0.1",
    env: "test",
    quiet: true,
    handleSignals: false,
    processEnv: { FRANK_CONTAINER: "0" },
    ...options,
  });
  t.after(() => server.close());
  return server;
}

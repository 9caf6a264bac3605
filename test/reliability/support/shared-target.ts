import { after, before } from "node:test";
import { createPublicFixture, type PublicFixture } from "./public-fixture.js";
import { startTargetServer, type TargetProcess } from "./target-process.js";

export interface SharedTarget {
  readonly server: TargetProcess;
  readonly fixture: PublicFixture;
}

/**
 * One target server over a fresh public folder for every test of the file: started before the
 * first test, stopped (SIGTERM) and removed after the last; `onStopped` gets the exit code.
 */
export function useSharedTarget(onStopped?: (exit: number | string | null) => void): SharedTarget {
  let server: TargetProcess | undefined;
  let fixture: PublicFixture | undefined;
  before(async () => {
    fixture = createPublicFixture();
    server = await startTargetServer(fixture.folder);
  });
  after(async () => {
    const code = await server?.stop();
    fixture?.remove();
    onStopped?.(code ?? null);
  });
  return {
    get server() {
      if (!server) throw new Error("the target server is not started yet");
      return server;
    },
    get fixture() {
      if (!fixture) throw new Error("the public fixture is not made yet");
      return fixture;
    },
  };
}

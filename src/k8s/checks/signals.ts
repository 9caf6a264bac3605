// `npm start` (and yarn, pnpm) as the container's process: npm does not pass SIGTERM on to
// the server it started in every version, and as PID 1 the signal may never arrive. The
// server then never drains, and is killed at the end of the grace period mid-request.
import { type Check, findingAt } from "./check-context.js";

const PACKAGE_MANAGERS = new Set(["npm", "yarn", "pnpm"]);

export const checkSignals: Check = ({ templates }) =>
  templates
    .filter((template) => template.longRunning)
    .flatMap((template) =>
      template.containers
        .filter((container) => container.served)
        .flatMap((container) => {
          const last = container.commands[container.commands.length - 1];
          if (!last || !PACKAGE_MANAGERS.has(last.program) || last.background) return [];
          const script = last.args[0]?.value === "run" ? last.args[1]?.value : last.args[0]?.value;
          if (!script || ["install", "ci", "i", "add", "build", "test"].includes(script)) return [];
          return [
            findingAt(template.owner, last.programWord.path, {
              code: "package-manager-as-pid-1",
              severity: "warning",
              problem: `container ${container.name} runs ${last.program} ${last.args.map((word) => word.value).join(" ")}, which stands between the kubelet and the server`,
              why: "SIGTERM goes to the package manager, which may not pass it on: the server never shuts down gracefully and is killed at the end of the grace period, cutting requests in flight (Bad Gateway at every rollout)",
              fix: `run the server itself as PID 1, in exec form (as frank's Dockerfile does: ENTRYPOINT ["node", "node_modules/frank/bin/frank.js"]), e.g. command: ["node", "server.js"]`,
            }),
          ];
        }),
    );

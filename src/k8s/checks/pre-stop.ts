// A preStop hook runs before the container gets SIGTERM, and its time counts against the
// grace period. A sleep as long as the grace period leaves the server no time to shut down:
// the kubelet sends SIGTERM and SIGKILL two seconds apart, and whatever is still running or
// connected is cut.
import type { SimpleCommand } from "../command-line.js";
import { simpleCommands } from "../command-line.js";
import { type FieldPath, arrayAt, numberAt, objectAt } from "../json-access.js";
import { KUBERNETES_DEFAULT_GRACE_PERIOD_SECONDS } from "../lifecycle-defaults.js";
import type { ContainerView } from "../pod-templates.js";
import { type Check, findingAt } from "./check-context.js";

export const checkPreStop: Check = ({ templates }) =>
  templates
    .filter((template) => template.longRunning)
    .flatMap((template) => {
      const grace = numberAt(template.spec, "terminationGracePeriodSeconds") ?? KUBERNETES_DEFAULT_GRACE_PERIOD_SECONDS;
      return template.containers.flatMap((container) => {
        const sleep = preStopSleepSeconds(container);
        if (!sleep || sleep.seconds < grace) return [];
        return [
          findingAt(template.owner, sleep.path, {
            code: "prestop-longer-than-grace-period",
            severity: "warning",
            problem: `the preStop hook of container ${container.name} sleeps ${sleep.seconds} s, but terminationGracePeriodSeconds is ${grace}${numberAt(template.spec, "terminationGracePeriodSeconds") === undefined ? " (Kubernetes' default)" : ""}`,
            why: "the grace period is over before the server even gets SIGTERM: it is killed 2 s later, and requests still running or connections still open are cut",
            fix: `set terminationGracePeriodSeconds above the sleep plus the time the server needs to drain (e.g. ${sleep.seconds + 20}), or shorten the sleep`,
          }),
        ];
      });
    });

/** The seconds a preStop hook sleeps: the sleep action, or `sleep N` in an exec command. */
export function preStopSleepSeconds(container: ContainerView): { seconds: number; path: FieldPath } | undefined {
  const preStop = objectAt(objectAt(container.raw, "lifecycle"), "preStop");
  const sleepAction = numberAt(objectAt(preStop, "sleep"), "seconds");
  if (sleepAction !== undefined)
    return { seconds: sleepAction, path: [...container.path, "lifecycle", "preStop", "sleep", "seconds"] };
  const path: FieldPath = [...container.path, "lifecycle", "preStop", "exec", "command"];
  const words = arrayAt(objectAt(preStop, "exec"), "command").flatMap((word, index) =>
    typeof word === "string" ? [{ value: word, path: [...path, index] }] : [],
  );
  let total = 0;
  for (const command of simpleCommands(words)) total += sleepOf(command);
  return total > 0 ? { seconds: total, path } : undefined;
}

function sleepOf(command: SimpleCommand): number {
  if (command.program !== "sleep" || command.background) return 0;
  const match = /^(\d+(?:\.\d+)?)(s|m)?$/.exec(command.args[0]?.value ?? "");
  if (!match) return 0;
  return Number(match[1]) * (match[2] === "m" ? 60 : 1);
}

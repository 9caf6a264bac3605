// A server that listens on loopback inside a pod cannot be reached by the Service: the seed's
// Bad Gateway. Seen in the command line (flags, or a server whose default is loopback) and in
// an env variable that sets the host.
import { loopbackBindingOf } from "../command-binding.js";
import { isLoopbackHost } from "../loopback.js";
import { type Check, findingAt } from "./check-context.js";

/** Variables servers read for the listen address (frank and Node servers: HOST). */
const HOST_VARIABLES = ["HOST", "BINDING", "FLASK_RUN_HOST", "UVICORN_HOST"];

const WHY =
  "traffic from the Service arrives on the pod's own address, not on loopback: connections are refused and the Ingress answers Bad Gateway";

export const checkLoopbackBinding: Check = ({ templates }) =>
  templates.flatMap((template) =>
    template.containers
      .filter((container) => container.served)
      .flatMap((container) => {
        const env = new Map([...container.env].map(([name, variable]) => [name, variable.value]));
        const findings = [];
        for (const name of HOST_VARIABLES) {
          const variable = container.env.get(name);
          if (!variable || !isLoopbackHost(variable.value)) continue;
          findings.push(
            findingAt(template.owner, variable.path, {
              code: "env-host-loopback",
              severity: "error",
              problem: `env ${name}=${variable.value} makes container ${container.name} listen on loopback only`,
              why: WHY,
              fix: `remove ${name} (frank listens on all interfaces in a container), or set ${name}=::`,
            }),
          );
        }
        const binding = loopbackBindingOf(container.commandLine, env);
        if (binding) {
          findings.push(
            findingAt(template.owner, binding.path, {
              code: binding.kind === "explicit" ? "command-binds-loopback" : "server-defaults-to-loopback",
              severity: "error",
              problem: `container ${container.name} listens on loopback only: ${binding.description}`,
              why: WHY,
              fix: binding.fix,
            }),
          );
        }
        return findings;
      }),
  );

// PORT is the port most servers (frank included) listen on. A value that is not a port stops
// the server; a port the container does not declare is not where the Service sends traffic.
import { type Check, findingAt } from "./check-context.js";

export const checkPortVariable: Check = ({ templates }) =>
  templates.flatMap((template) =>
    template.containers
      .filter((container) => container.served)
      .flatMap((container) => {
        const port = container.env.get("PORT");
        if (!port) return [];
        const number = /^\d+$/.test(port.value) ? Number(port.value) : undefined;
        if (number === undefined || number < 1 || number > 65535) {
          return [
            findingAt(template.owner, port.path, {
              code: "env-port-invalid",
              severity: "error",
              problem: `env PORT=${port.value} is not a port number`,
              why: "frank refuses to start with it (other servers fall back to a default port the Service does not target): the pod serves nothing",
              fix: "set PORT to the container port number, e.g. 8080",
            }),
          ];
        }
        const declared = container.ports.map((declaredPort) => declaredPort.containerPort);
        if (declared.length === 0 || declared.includes(number)) return [];
        return [
          findingAt(template.owner, port.path, {
            code: "env-port-undeclared",
            severity: "error",
            problem: `env PORT=${number} but container ${container.name} declares ${declared.join(", ")}`,
            why: `the server listens on ${number} while the Service sends traffic to the declared port: connections are refused and the Ingress answers Bad Gateway`,
            fix: `make PORT and containerPort the same number`,
          }),
        ];
      }),
  );

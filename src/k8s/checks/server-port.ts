// The port the server listens on against the port traffic is sent to. When the command line
// shows the server's port (gunicorn --bind 0.0.0.0:8000, PORT for servers that read it,
// frank's default 4567) and the container declares only other ports, the Service sends
// traffic where nothing listens. PORT itself must be a port number; for a server frank does
// not know, PORT that differs from the declared port is a warning (it may not read PORT).
import type { Finding } from "../finding.js";
import type { ContainerView, PodTemplateView } from "../pod-templates.js";
import { describeDeclaredPorts } from "../pod-templates.js";
import type { ServiceView } from "../services.js";
import { type Check, type CheckContext, findingAt } from "./check-context.js";

const WHY_REFUSED = "connections are refused and the Ingress answers Bad Gateway";

export const checkServerPorts: Check = (context) =>
  context.templates.flatMap((template) =>
    template.containers
      .filter((container) => container.served)
      .flatMap((container) => [...invalidPort(template, container), ...listensElsewhere(context, template, container)]),
  );

function invalidPort(template: PodTemplateView, container: ContainerView): Finding[] {
  const port = container.env.get("PORT");
  if (port?.value === undefined || port.value.includes("$(")) return [];
  const number = /^\d+$/.test(port.value) ? Number(port.value) : undefined;
  if (number !== undefined && number >= 1 && number <= 65535) return [];
  const readsPort = container.listening.servers.some((server) => server.port.variable === "PORT");
  return [
    findingAt(template.owner, port.path, {
      code: "env-port-invalid",
      severity: readsPort ? "error" : "warning",
      problem: `env PORT=${port.value}${port.source === "env" ? "" : ` (from ${port.source})`} is not a port number`,
      why: readsPort
        ? `${container.listening.servers[0]!.name} reads PORT and cannot listen on it: the pod serves nothing`
        : "frank refuses to start with it, and servers that read PORT fall back to a default the Service does not target",
      fix: "set PORT to the container port number, e.g. 8080",
    }),
  ];
}

function listensElsewhere(context: CheckContext, template: PodTemplateView, container: ContainerView): Finding[] {
  const declared = container.ports.flatMap((port) => (port.containerPort === undefined ? [] : [port.containerPort]));
  if (declared.length === 0) return [];
  const { listening } = container;
  const server = listening.servers[0];
  if (listening.exhaustive && server && listening.ports.length > 0) {
    if (declared.some((port) => listening.ports.includes(port))) return [];
    // A Service that targets the port the server does listen on makes the declaration moot.
    const services = context.servicesOf(template);
    if (services.length > 0 && services.every((service) => targetsOnly(service, listening.ports))) return [];
    const listed = `${declared.join(", ")}`;
    if (server.frank && !server.port.variable && listening.how.includes("default")) {
      return [
        findingAt(template.owner, server.command.programWord.path, {
          code: "frank-default-port",
          severity: "error",
          problem: `frank runs without PORT or --port, so it listens on ${listening.ports[0]}, but container ${container.name} declares ${listed}`,
          why: `the Service sends traffic to the declared port, where nothing listens: ${WHY_REFUSED}`,
          fix: `add env PORT=${declared[0]} (as frank k8s writes it)`,
        }),
      ];
    }
    if (server.port.variable === "PORT") {
      const port = container.env.get("PORT")!;
      return [
        findingAt(template.owner, port.path, {
          code: "env-port-undeclared",
          severity: "error",
          problem: `env PORT=${port.value}${port.source === "env" ? "" : ` (from ${port.source})`}, which ${server.name} listens on, but container ${container.name} declares ${listed}`,
          why: `the server listens on ${port.value} while the Service sends traffic to the declared port: ${WHY_REFUSED}`,
          fix: "make PORT and containerPort the same number",
        }),
      ];
    }
    return [
      findingAt(template.owner, server.command.programWord.path, {
        code: "server-port-undeclared",
        severity: "error",
        problem: `container ${container.name} listens on ${listening.ports.join(", ")} (${listening.how}) but declares ${describeDeclaredPorts(container.ports)}`,
        why: `the Service sends traffic to the declared port, where nothing listens: ${WHY_REFUSED}`,
        fix: `make the server's port and containerPort the same number`,
      }),
    ];
  }
  // A server frank does not know: PORT is a hint, not proof that it listens there.
  const port = container.env.get("PORT");
  if (server || port?.value === undefined || !/^\d+$/.test(port.value)) return [];
  if (declared.includes(Number(port.value))) return [];
  return [
    findingAt(template.owner, port.path, {
      code: "env-port-undeclared",
      severity: "warning",
      problem: `env PORT=${port.value} but container ${container.name} declares ${describeDeclaredPorts(container.ports)}`,
      why: `if the server reads PORT it listens on ${port.value} while the Service sends traffic to the declared port: ${WHY_REFUSED}`,
      fix: "make PORT and containerPort the same number",
    }),
  ];
}

/** Every port of the Service targets one of `ports` by number. */
function targetsOnly(service: ServiceView, ports: readonly number[]): boolean {
  return service.ports.every(
    (port) => port.targetPort !== undefined && "number" in port.targetPort && ports.includes(port.targetPort.number),
  );
}

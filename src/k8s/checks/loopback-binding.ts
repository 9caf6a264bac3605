// A server that listens on loopback inside a pod cannot be reached by the Service: the seed's
// Bad Gateway. Seen in the command line (a flag, or a server whose default is loopback) and in
// an environment variable that sets the host, also when a ConfigMap or Secret in the input
// holds it. A default that the image could change (its environment, a config file in it) is a
// warning that says what to look at, since the manifest cannot show it.
import { basename } from "../command-line.js";
import type { EnvVariable } from "../container-env.js";
import type { Finding } from "../finding.js";
import { isOfficialBaseImage } from "../image-defaults.js";
import { isLoopbackHost } from "../loopback.js";
import type { ContainerView, PodTemplateView } from "../pod-templates.js";
import type { ServerReading } from "../server-programs.js";
import { type Check, findingAt } from "./check-context.js";

/** Variables servers read for the listen address, and which servers read each. */
const HOST_VARIABLES: Record<string, string[]> = {
  HOST: ["frank"],
  BINDING: ["rails server"],
  FLASK_RUN_HOST: ["flask run"],
  UVICORN_HOST: ["uvicorn"],
};

/** Long flags that set the listen address in most servers; short ones mean too many other things. */
const GENERIC_HOST_FLAGS = new Set([
  "--host",
  "--bind",
  "--binding",
  "--address",
  "--addr",
  "--listen",
  "--ip",
  "--bind-address",
  "--http-address",
  "--listen-address",
  "--web.listen-address",
  "--http-host",
  "--server-host",
]);

const WHY =
  "traffic from the Service arrives on the pod's own address, not on loopback: connections are refused and the Ingress answers Bad Gateway";

export const checkLoopbackBinding: Check = ({ templates }) =>
  templates.flatMap((template) =>
    template.containers
      .filter((container) => container.served)
      .flatMap((container) => containerFindings(template, container)),
  );

function containerFindings(template: PodTemplateView, container: ContainerView): Finding[] {
  const findings: Finding[] = [];
  const servers = container.listening.servers;
  for (const [name, readers] of Object.entries(HOST_VARIABLES)) {
    const variable = container.env.get(name);
    if (!variable?.value || !isBareLoopback(variable.value)) continue;
    // A known server that does not read it, or reads a flag that overrides it, is not affected.
    const affected =
      servers.length === 0 ||
      servers.some((server) => readers.includes(server.name) && server.hosts.some((host) => host.kind === "variable"));
    if (!affected) continue;
    findings.push(
      findingAt(template.owner, variable.path, {
        code: "env-host-loopback",
        severity: "error",
        problem: `env ${name}=${variable.value}${fromWhere(variable)} makes container ${container.name} listen on loopback only`,
        why: WHY,
        fix: `remove ${name}${variable.source === "env" ? "" : ` from ${variable.source}`} (frank listens on all interfaces in a container), or set ${name}=::`,
      }),
    );
  }
  for (const server of servers) {
    for (const host of server.hosts) {
      if (host.kind === "flag" && isLoopbackHost(host.value)) {
        findings.push(
          findingAt(template.owner, host.word.path, {
            code: "command-binds-loopback",
            severity: "error",
            problem: `container ${container.name} listens on loopback only: ${server.name} ${host.flag} ${host.word.value}`,
            why: WHY,
            fix: `pass ${host.flag} ${allInterfacesLike(host.word.value)} (all interfaces)`,
          }),
        );
      } else if (
        host.kind === "variable" &&
        host.name === "GUNICORN_CMD_ARGS" &&
        host.value &&
        isLoopbackHost(host.value)
      ) {
        const variable = container.env.get("GUNICORN_CMD_ARGS")!;
        findings.push(
          findingAt(template.owner, variable.path, {
            code: "env-host-loopback",
            severity: "error",
            problem: `env GUNICORN_CMD_ARGS${fromWhere(variable)} binds gunicorn to ${host.value}`,
            why: WHY,
            fix: "bind 0.0.0.0 (or [::]) in GUNICORN_CMD_ARGS",
          }),
        );
      } else if (host.kind === "default" && host.loopback) {
        findings.push(serverDefault(template, container, server, host));
      }
    }
  }
  findings.push(...genericFlags(template, container));
  return findings;
}

function serverDefault(
  template: PodTemplateView,
  container: ContainerView,
  server: ServerReading,
  host: Extract<ServerReading["hosts"][number], { kind: "default" }>,
): Finding {
  const knownImage = host.environmentOnly && isOfficialBaseImage(container.image);
  const sure = host.imageCanChange === "" || knownImage;
  const text = {
    code: "server-defaults-to-loopback",
    problem: `container ${container.name} listens on loopback only: ${host.behaviour}`,
    fix: host.fix,
  };
  if (sure) return findingAt(template.owner, server.command.programWord.path, { ...text, severity: "error", why: WHY });
  return findingAt(template.owner, server.command.programWord.path, {
    ...text,
    severity: "warning",
    problem: `container ${container.name} may listen on loopback only: ${host.behaviour}; the manifest cannot show whether ${host.imageCanChange} changes that`,
    why: `if it listens on loopback, ${WHY}`,
    fix: `${host.fix}; or look in the pod: kubectl exec deploy/${template.owner.ref.name} -c ${container.name} -- frank doctor (or netstat -lnt) shows where it listens`,
  });
}

/** Explicit loopback in the flags of a program frank does not know, where the port is one the Service uses. */
function genericFlags(template: PodTemplateView, container: ContainerView): Finding[] {
  const known = new Set(container.listening.servers.map((server) => server.command));
  const declared = new Set(container.ports.map((port) => port.containerPort));
  return container.commands
    .filter((command) => !known.has(command))
    .flatMap((command) => {
      const words = command.args;
      for (let index = 0; index < words.length; index++) {
        const word = words[index]!.value;
        const equals = word.indexOf("=");
        const flag = equals > 0 ? word.slice(0, equals) : word;
        if (!GENERIC_HOST_FLAGS.has(flag)) continue;
        const valueWord = equals > 0 ? words[index]! : words[index + 1];
        const value = equals > 0 ? word.slice(equals + 1) : valueWord?.value;
        if (!valueWord || value === undefined || !isLoopbackHost(value)) continue;
        // 127.0.0.1:9901 beside a declared 8080 is an admin port kept private on purpose.
        const port = portOfAddress(value);
        if (port !== undefined && declared.size > 0 && !declared.has(port)) continue;
        return [
          findingAt(template.owner, valueWord.path, {
            code: "command-binds-loopback",
            severity: "error",
            problem: `container ${container.name} listens on loopback only: ${basename(command.program)} ${flag} ${value}`,
            why: WHY,
            fix: `pass ${flag} ${allInterfacesLike(value)} (all interfaces)`,
          }),
        ];
      }
      return [];
    });
}

/** The port of "host:port", "[v6]:port" or "scheme://host:port"; a bare IPv6 address has none. */
function portOfAddress(value: string): number | undefined {
  const rest = value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "");
  const match = /^(?:\[[^\]]*\]|[^:]*):(\d+)$/.exec(rest);
  return match ? Number(match[1]) : undefined;
}

/** A host or address, not a URL of another service (HOST=http://localhost:8000 names an upstream). */
function isBareLoopback(value: string): boolean {
  return !value.includes("://") && !value.includes("/") && isLoopbackHost(value);
}

function fromWhere(variable: EnvVariable): string {
  return variable.source === "env" ? "" : ` (from ${variable.source})`;
}

/** The same address written for all interfaces: 127.0.0.1:8000 -> 0.0.0.0:8000, [::1]:80 -> [::]:80. */
function allInterfacesLike(value: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(value)?.[0] ?? "";
  const rest = value.slice(scheme.length);
  if (rest.startsWith("[")) return `${scheme}[::]${rest.slice(rest.indexOf("]") + 1)}`;
  if (rest.split(":").length > 2) return `${scheme}::`;
  const colon = rest.indexOf(":");
  return `${scheme}0.0.0.0${colon >= 0 ? rest.slice(colon) : ""}`;
}

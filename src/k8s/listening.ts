// Where a container listens, as far as its manifest shows: the port of the server its command
// starts (frank knows rackup, rails, gunicorn, uvicorn, flask, runserver …), or the port of an
// image that keeps its own command (nginx). "Exhaustive" means nothing else can listen: only
// then may a port the traffic goes to and the server does not listen on be called an error.
import type { SimpleCommand } from "./command-line.js";
import type { ContainerEnv } from "./container-env.js";
import { imageDefaultPort } from "./image-defaults.js";
import { type JsonObject, stringAt } from "./json-access.js";
import { type ServerReading, readServer } from "./server-programs.js";

export interface Listening {
  servers: ServerReading[];
  ports: number[];
  exhaustive: boolean;
  /** Where the ports come from, in words: "gunicorn --bind 0.0.0.0:8000", "the nginx image's default". */
  how: string;
  /** Every port the command line or a *PORT variable names: something may listen there. */
  mentioned: ReadonlySet<number>;
}

export function listeningOf(
  container: JsonObject,
  commands: readonly SimpleCommand[],
  env: ContainerEnv,
  configTexts: readonly string[] = [],
): Listening {
  const values = new Map([...env].map(([name, variable]) => [name, variable.value]));
  const mentioned = mentionedPorts(commands, env, configTexts);
  for (const port of imageSidePorts(stringAt(container, "image"))) mentioned.add(port);
  if (commands.length === 0) {
    const image = imageDefaultPort(container);
    if (image) {
      return {
        servers: [],
        ports: [image.port],
        exhaustive: true,
        how: `the ${image.image} image's default (${image.port})`,
        mentioned: new Set([...mentioned, image.port]),
      };
    }
    return { servers: [], ports: [], exhaustive: false, how: "the image's command", mentioned };
  }
  const servers = commands.flatMap((command) => {
    const server = readServer(command, values);
    return server ? [server] : [];
  });
  const last = commands[commands.length - 1]!;
  const alone =
    servers.length === 1 && servers[0]!.command === last && commands.every((command) => !command.background);
  const ports = [...new Set(servers.flatMap((server) => server.port.ports))];
  return {
    servers,
    ports,
    exhaustive: alone && servers[0]!.port.exhaustive,
    how: servers.map((server) => server.port.how).join(", ") || "its command",
    mentioned: new Set([...mentioned, ...ports]),
  };
}

/**
 * Ports something in the container may listen on: numbers given to a flag (--tcp 19090,
 * --metrics=15014), host:port values, numeric *PORT variables, and ports named in mounted
 * config files (listen 8080, port: 8443, 0.0.0.0:5317). Only used to hold a warning back.
 */
function mentionedPorts(
  commands: readonly SimpleCommand[],
  env: ContainerEnv,
  configTexts: readonly string[],
): Set<number> {
  const ports = new Set<number>();
  const add = (text: string | undefined) => {
    if (text !== undefined && /^\d{1,5}$/.test(text) && Number(text) > 0 && Number(text) < 65536)
      ports.add(Number(text));
  };
  for (const command of commands) {
    const words = command.args.map((word) => word.value);
    words.forEach((word, index) => {
      const flag = /^--?([A-Za-z0-9._-]*)(?:=(.*))?$/.exec(word);
      if (flag) {
        const value = flag[2] ?? words[index + 1];
        add(value);
        add(/:(\d+)$/.exec(value ?? "")?.[1]);
      }
      add(/^(?:[\w.-]*|\[[0-9a-f:]*\]|\*):(\d+)$/i.exec(word)?.[1]);
    });
  }
  for (const [name, variable] of env) {
    if (/PORT$/i.test(name)) add(variable.value);
    else add(/:(\d+)$/.exec(variable.value ?? "")?.[1]);
  }
  for (const text of configTexts) {
    for (const match of text.matchAll(/(?::|port["']?\s*[:=]\s*["']?|\blisten\s+)(\d{2,5})\b/gi)) add(match[1]);
  }
  return ports;
}

/** Ports an image serves beside its main one without a flag, where widely deployed: health and metrics. */
function imageSidePorts(image: string | undefined): number[] {
  if (!image) return [];
  return /(^|\/)ingress-nginx\/controller([:@]|$)/.test(image) ? [10254] : [];
}

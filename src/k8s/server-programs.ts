// What the servers frank knows do with their command line: the address they listen on
// (flag, environment variable, or their default) and the port. Only these are judged; any
// other program is read for explicit loopback flags alone.
import type { CommandWord, SimpleCommand } from "./command-line.js";

export type HostReading =
  /** A flag on the command line names the address. */
  | { kind: "flag"; flag: string; value: string; word: CommandWord }
  /** An environment variable names it (value undefined: set from outside the input). */
  | { kind: "variable"; name: string; value?: string }
  /** The server's default applies. */
  | {
      kind: "default";
      loopback: boolean;
      /** The default, in words: "gunicorn without --bind listens on 127.0.0.1:8000". */
      behaviour: string;
      /**
       * What the image (its environment, or a file in its working folder) could set to change
       * the default, which the manifest cannot show; empty when nothing can.
       */
      imageCanChange: string;
      /** Only the image's environment can change it, and official base images set none of it. */
      environmentOnly: boolean;
      fix: string;
    }
  /** A configuration file decides, which the manifest cannot show. */
  | { kind: "unknown"; because: string };

export interface PortReading {
  ports: number[];
  /** These are all the ports it listens on (no config file or option could add or change one). */
  exhaustive: boolean;
  /** Where the port comes from: "--bind 0.0.0.0:8000", "PORT", "its default". */
  how: string;
  /** The variable it reads the port from, when it does. */
  variable?: string;
}

export interface ServerReading {
  /** The server's name as people know it: "gunicorn", "rails server", "flask run". */
  name: string;
  command: SimpleCommand;
  hosts: HostReading[];
  port: PortReading;
  /** frank itself: its lifecycle numbers (shutdown delay, drain) apply. */
  frank: boolean;
}

type Env = ReadonlyMap<string, string | undefined>;

/** The server this simple command starts, if frank knows it. */
export function readServer(command: SimpleCommand, env: Env): ServerReading | undefined {
  const program = command.program;
  const args = command.args.map((word) => word.value);
  const first = args[0];
  const merged = new Map([...env, ...command.assignments]);
  const reading = (name: string, hosts: HostReading[], port: PortReading, frank = false): ServerReading => ({
    name,
    command,
    hosts,
    port,
    frank,
  });

  if (program === "frank" || program === "frank.js") {
    const host = flagReading(command, ["--host", "-o"]) ?? variableReading(merged, "HOST");
    return reading(
      "frank",
      host ? [host] : [],
      portReading(command, ["--port", "-p"], merged, "PORT", 4567, "frank's default (4567)", true),
      true,
    );
  }
  if (program === "gunicorn") return gunicorn(command, merged);
  if (program === "uvicorn" || program === "hypercorn" || program === "daphne") {
    const hostFlags = program === "uvicorn" ? ["--host"] : ["-b", "--bind"];
    if (program !== "uvicorn") {
      const binds = flagWords(command, hostFlags);
      if (binds.length > 0) return reading(program, binds.map(bindHost), bindPorts(binds, program));
    }
    if (flagValues(command, ["--uds", "--fd", "-u"]).length > 0) {
      return reading(program, [{ kind: "unknown", because: "it listens on a socket it is given" }], unknownPort());
    }
    const host =
      flagReading(command, hostFlags) ??
      (program === "uvicorn" ? variableReading(merged, "UVICORN_HOST") : undefined) ??
      defaultHost(
        true,
        `${program} without ${hostFlags.join(" or ")} listens on 127.0.0.1`,
        program === "uvicorn" ? "UVICORN_HOST in the image's environment" : "",
        `pass ${hostFlags[hostFlags.length - 1]} 0.0.0.0 (or ::)`,
      );
    const port =
      program === "uvicorn"
        ? portReading(command, ["--port"], merged, "UVICORN_PORT", 8000, "uvicorn's default (8000)", true)
        : { ports: [8000], exhaustive: true, how: `${program}'s default (8000)` };
    return reading(program, [host], port);
  }
  if (program === "flask" && first === "run") {
    const host =
      flagReading(command, ["--host", "-h"]) ??
      variableReading(merged, "FLASK_RUN_HOST") ??
      defaultHost(
        true,
        "flask run without --host listens on 127.0.0.1",
        "FLASK_RUN_HOST in the image's environment or a .flaskenv file",
        "pass --host 0.0.0.0 (or set env FLASK_RUN_HOST=0.0.0.0)",
      );
    return reading(
      "flask run",
      [host],
      portReading(command, ["--port", "-p"], merged, "FLASK_RUN_PORT", 5000, "flask's default (5000)", true),
    );
  }
  if (program === "rackup") {
    const flagEnvironment = flagValues(command, ["-E", "--env"])[0];
    const environment = flagEnvironment ?? merged.get("RACK_ENV");
    const host =
      flagReading(command, ["-o", "--host"]) ??
      unknownWhenUnread(merged, flagEnvironment, ["RACK_ENV"]) ??
      environmentDefault(
        environment,
        flagEnvironment !== undefined || merged.has("RACK_ENV"),
        "rackup without -o listens on localhost only while RACK_ENV is development (its default)",
        "RACK_ENV in the image's environment",
        "set env RACK_ENV=production, or pass --host 0.0.0.0 (or -o ::)",
      );
    const given = flagValues(command, ["-p", "--port"]);
    return reading("rackup", [host], {
      ports: numbers(given.length > 0 ? given : ["9292"]),
      exhaustive: given.length > 0,
      how: given.length > 0 ? `rackup -p ${given[0]}` : "rackup's default (9292)",
    });
  }
  if (program === "rails" && (first === "server" || first === "s")) {
    const flagEnvironment = flagValues(command, ["-e", "--environment"])[0];
    const environment = flagEnvironment ?? merged.get("RAILS_ENV") ?? merged.get("RACK_ENV");
    const host =
      flagReading(command, ["-b", "--binding"]) ??
      variableReading(merged, "BINDING") ??
      unknownWhenUnread(merged, flagEnvironment, ["RAILS_ENV", "RACK_ENV"]) ??
      environmentDefault(
        environment,
        flagEnvironment !== undefined || merged.has("RAILS_ENV") || merged.has("RACK_ENV"),
        "rails server without -b listens on localhost only while RAILS_ENV is development (its default)",
        "RAILS_ENV in the image's environment",
        "set env RAILS_ENV=production, or pass -b 0.0.0.0",
      );
    const port = portReading(command, ["-p", "--port"], merged, "PORT", 3000, "rails' default (3000)", false);
    return reading("rails server", [host], port);
  }
  if (program === "manage.py" && first === "runserver") {
    const address = args.slice(1).find((arg) => !arg.startsWith("-"));
    const word = command.args.slice(1).find((arg) => arg.value === address);
    const ipv6 = args.includes("-6") || args.includes("--ipv6");
    const host = address?.includes(":") ? address.slice(0, address.lastIndexOf(":")) : undefined;
    const portText = address?.includes(":") ? address.slice(address.lastIndexOf(":") + 1) : address;
    return reading(
      "manage.py runserver",
      [
        host !== undefined && word
          ? { kind: "flag", flag: "runserver", value: host === "0" ? "0.0.0.0" : host, word }
          : defaultHost(
              true,
              `manage.py runserver without an address listens on ${ipv6 ? "::1" : "127.0.0.1"}`,
              "",
              "pass 0.0.0.0:8000 (runserver is for development: run gunicorn or uvicorn in production)",
            ),
      ],
      {
        ports: numbers([portText ?? "8000"]),
        exhaustive: true,
        how: address ? `runserver ${address}` : "runserver's default (8000)",
      },
    );
  }
  if (program === "http.server") {
    const host = flagReading(command, ["--bind", "-b"]);
    const port = args.find(
      (arg, index) => /^\d+$/.test(arg) && !["-b", "--bind", "-d", "--directory"].includes(args[index - 1]!),
    );
    return reading("python -m http.server", host ? [host] : [], {
      ports: numbers([port ?? "8000"]),
      exhaustive: true,
      how: port ? `http.server ${port}` : "http.server's default (8000)",
    });
  }
  if (program === "php" && args.includes("-S")) {
    const binds = flagWords(command, ["-S"]);
    return reading("php -S", binds.map(bindHost), bindPorts(binds, "php"));
  }
  if (
    program === "vite" &&
    (first === undefined || ["dev", "serve", "preview"].includes(first) || first.startsWith("-"))
  ) {
    const preview = first === "preview";
    const hostIndex = args.indexOf("--host");
    const hostValue = hostIndex >= 0 ? args[hostIndex + 1] : undefined;
    const host: HostReading =
      hostIndex >= 0
        ? {
            kind: "flag",
            flag: "--host",
            value: hostValue === undefined || hostValue.startsWith("-") ? "0.0.0.0" : hostValue,
            word: command.args[hostIndex]!,
          }
        : (flagReading(command, ["--host"]) ??
          defaultHost(
            true,
            `vite${preview ? " preview" : ""} without --host listens on localhost`,
            "server.host in the app's vite.config",
            "pass --host 0.0.0.0",
          ));
    const given = flagValues(command, ["--port"]);
    return reading(`vite${first && !first.startsWith("-") ? ` ${first}` : ""}`, [host], {
      ports: numbers(given.length > 0 ? given : [preview ? "4173" : "5173"]),
      exhaustive: false,
      how: given.length > 0 ? `vite --port ${given[0]}` : "vite's default",
    });
  }
  if (program === "next" && (first === "dev" || first === "start")) {
    const host =
      flagReading(command, ["-H", "--hostname"]) ??
      (first === "dev"
        ? defaultHost(
            true,
            "next dev without -H listens on localhost in some Next.js versions",
            "",
            "pass -H 0.0.0.0",
            "maybe",
          )
        : undefined);
    return reading(
      `next ${first}`,
      host ? [host] : [],
      portReading(command, ["-p", "--port"], merged, "PORT", 3000, "next's default (3000)", true),
    );
  }
  return undefined;
}

function gunicorn(command: SimpleCommand, env: Env): ServerReading {
  const binds = flagWords(command, ["-b", "--bind"]);
  const reading = (hosts: HostReading[], port: PortReading): ServerReading => ({
    name: "gunicorn",
    command,
    hosts,
    port,
    frank: false,
  });
  if (binds.length > 0) return reading(binds.map(bindHost), bindPorts(binds, "gunicorn"));
  if (flagValues(command, ["-c", "--config"]).length > 0) {
    return reading([{ kind: "unknown", because: "its --config file can bind any address" }], unknownPort());
  }
  const cmdArgs = env.get("GUNICORN_CMD_ARGS");
  if (env.has("GUNICORN_CMD_ARGS")) {
    const fromVariable =
      cmdArgs === undefined ? [] : [...cmdArgs.matchAll(/(?:^|\s)(?:-b|--bind)[=\s]+(\S+)/g)].map((m) => m[1]!);
    if (fromVariable.length > 0) {
      const ports = numbers(fromVariable.map((bind) => /:(\d+)$/.exec(bind)?.[1] ?? ""));
      return reading(
        fromVariable.map((value) => ({ kind: "variable", name: "GUNICORN_CMD_ARGS", value: hostOf(value) })),
        { ports, exhaustive: ports.length === fromVariable.length, how: `GUNICORN_CMD_ARGS ${cmdArgs}` },
      );
    }
    return reading([{ kind: "unknown", because: "GUNICORN_CMD_ARGS is set outside the input" }], unknownPort());
  }
  if (env.has("PORT")) {
    const port = env.get("PORT");
    return reading([{ kind: "variable", name: "PORT", value: "0.0.0.0" }], {
      ports: port !== undefined && /^\d+$/.test(port) ? [Number(port)] : [],
      exhaustive: port !== undefined,
      how: "PORT (gunicorn binds 0.0.0.0:$PORT)",
      variable: "PORT",
    });
  }
  return reading(
    [
      defaultHost(
        true,
        "gunicorn without --bind (and without PORT) listens on 127.0.0.1:8000",
        "a gunicorn.conf.py in its working folder, or GUNICORN_CMD_ARGS or PORT in the image's environment",
        "pass --bind 0.0.0.0:8000 (or [::]:8000)",
      ),
    ],
    { ports: [8000], exhaustive: false, how: "gunicorn's default (127.0.0.1:8000)" },
  );
}

function defaultHost(
  loopback: boolean,
  behaviour: string,
  imageCanChange: string,
  fix: string,
  certainty: "sure" | "maybe" = "sure",
): HostReading {
  return {
    kind: "default",
    loopback,
    behaviour,
    imageCanChange: certainty === "maybe" ? "the Next.js version in the image" : imageCanChange,
    environmentOnly: certainty === "sure" && /^[A-Z_]+ in the image's environment$/.test(imageCanChange),
    fix,
  };
}

/** The environment variable that decides is set from outside the input (a Secret elsewhere): its value is unknown. */
function unknownWhenUnread(env: Env, flag: string | undefined, names: readonly string[]): HostReading | undefined {
  if (flag !== undefined) return undefined;
  const name = names.find((candidate) => env.has(candidate));
  if (name === undefined || env.get(name) !== undefined) return undefined;
  return { kind: "unknown", because: `${name} is set from outside the input` };
}

/** rackup and rails server: loopback in development, all interfaces in any other environment. */
function environmentDefault(
  environment: string | undefined,
  setInManifest: boolean,
  behaviour: string,
  imageCanChange: string,
  fix: string,
): HostReading {
  const development = (environment ?? "development") === "development";
  return defaultHost(
    development,
    behaviour,
    // RACK_ENV=development written in the manifest is not the image's to change.
    setInManifest ? "" : imageCanChange,
    fix,
  );
}

function flagReading(command: SimpleCommand, flags: readonly string[]): HostReading | undefined {
  const found = flagWord(command, flags);
  return found ? { kind: "flag", flag: found.flag, value: found.value, word: found.word } : undefined;
}

function variableReading(env: Env, name: string): HostReading | undefined {
  return env.has(name) ? { kind: "variable", name, value: env.get(name) } : undefined;
}

function unknownPort(): PortReading {
  return { ports: [], exhaustive: false, how: "unknown" };
}

function portReading(
  command: SimpleCommand,
  flags: readonly string[],
  env: Env,
  variable: string,
  fallback: number,
  fallbackHow: string,
  exhaustive: boolean,
): PortReading {
  const flag = flagWord(command, flags);
  if (flag) {
    return {
      ports: numbers([flag.value]),
      exhaustive: exhaustive && /^\d+$/.test(flag.value),
      how: `${flag.flag} ${flag.value}`,
    };
  }
  if (env.has(variable)) {
    const value = env.get(variable);
    const known = value !== undefined && /^\d+$/.test(value);
    return { ports: known ? [Number(value)] : [], exhaustive: exhaustive && known, how: variable, variable };
  }
  return { ports: [fallback], exhaustive, how: fallbackHow };
}

type FlagWord = { flag: string; value: string; word: CommandWord };

function bindPorts(binds: readonly FlagWord[], program: string): PortReading {
  const ports = numbers(binds.map((bind) => /:(\d+)$/.exec(bind.value)?.[1] ?? ""));
  const how = binds.map((bind) => `${bind.flag} ${bind.value}`).join(" ");
  return { ports, exhaustive: ports.length === binds.length, how: `${program} ${how}` };
}

function bindHost(bind: FlagWord): HostReading {
  return { kind: "flag", flag: bind.flag, value: hostOf(bind.value), word: bind.word };
}

/** The host of "host:port", "[v6]:port", "unix:/path" (no host), ":port" (all interfaces). */
function hostOf(bind: string): string {
  if (bind.startsWith("unix:") || bind.startsWith("fd://")) return "unix";
  const bracket = /^\[([^\]]*)\]/.exec(bind);
  if (bracket) return bracket[1]!;
  const colon = bind.lastIndexOf(":");
  const host = colon >= 0 ? bind.slice(0, colon) : bind;
  return host === "" ? "0.0.0.0" : host;
}

/** The first of `flags` on the line, with the word to point at. */
export function flagWord(command: SimpleCommand, flags: readonly string[]): FlagWord | undefined {
  return flagWords(command, flags)[0];
}

/** Every value of `flags` on the line (gunicorn accepts several --bind): "--flag value", "--flag=value", "-b0.0.0.0:80". */
export function flagWords(command: SimpleCommand, flags: readonly string[]): FlagWord[] {
  const found: FlagWord[] = [];
  const words = command.args;
  for (let index = 0; index < words.length; index++) {
    const word = words[index]!;
    for (const flag of flags) {
      if (word.value === flag && words[index + 1])
        found.push({ flag, value: words[index + 1]!.value, word: words[index + 1]! });
      else if (word.value.startsWith(`${flag}=`)) found.push({ flag, value: word.value.slice(flag.length + 1), word });
      else if (
        /^-[a-zA-Z]$/.test(flag) &&
        word.value.startsWith(flag) &&
        word.value.length > 2 &&
        !word.value.startsWith("--")
      ) {
        found.push({ flag, value: word.value.slice(2), word });
      }
    }
  }
  return found;
}

function flagValues(command: SimpleCommand, flags: readonly string[]): string[] {
  return flagWords(command, flags).map((found) => found.value);
}

function numbers(values: readonly string[]): number[] {
  return values.filter((value) => /^\d+$/.test(value)).map(Number);
}

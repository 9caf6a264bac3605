// Reads a container's command line the way its server would, to see whether it listens only
// on loopback: an explicit `--host 127.0.0.1`, or a server whose default is loopback
// (rackup in development: the seed's Bad Gateway; gunicorn, uvicorn and flask always).
import type { FieldPath } from "./json-access.js";
import { isLoopbackHost } from "./loopback.js";
import type { CommandWord } from "./pod-templates.js";

export interface LoopbackBinding {
  kind: "explicit" | "server-default";
  /** The word to point at: the flag's value, or the server program. */
  path: FieldPath;
  /** What the command does, e.g. "--host 127.0.0.1", or the server's default behaviour. */
  description: string;
  fix: string;
}

/** Flags servers use for the listen address; a value is only judged when it is loopback. */
const HOST_FLAGS = new Set([
  "--host",
  "-o",
  "--bind",
  "-b",
  "--binding",
  "--address",
  "--addr",
  "--listen",
  "--hostname",
  "-H",
  "-S",
  "-a",
  "--ip",
  "--bind-address",
  "--http-address",
  "--interface",
]);

interface LoopbackDefault {
  program: string;
  /** A word that must follow the program (rails server, flask run). */
  subcommands?: string[];
  hostFlags: string[];
  /** Environment variables that set the host, like a host flag. */
  hostVariables: string[];
  /** When the default is loopback; undefined means always. */
  loopbackWhen?: (words: string[], env: ReadonlyMap<string, string>) => boolean;
  /** When it listens on localhost, in words. */
  behaviour: string;
  environmentHint: string;
}

const LOOPBACK_DEFAULTS: LoopbackDefault[] = [
  {
    program: "rackup",
    hostFlags: ["-o", "--host"],
    hostVariables: [],
    loopbackWhen: (words, env) =>
      (flagValue(words, ["-E", "--env"]) ?? env.get("RACK_ENV") ?? "development") === "development",
    behaviour: "rackup without -o listens on localhost only while RACK_ENV is development (its default)",
    environmentHint: "set env RACK_ENV=production, or pass --host 0.0.0.0 (or -o ::)",
  },
  {
    program: "rails",
    subcommands: ["server", "s"],
    hostFlags: ["-b", "--binding"],
    hostVariables: ["BINDING"],
    loopbackWhen: (words, env) =>
      (flagValue(words, ["-e", "--environment"]) ?? env.get("RAILS_ENV") ?? env.get("RACK_ENV") ?? "development") ===
      "development",
    behaviour: "rails server without -b listens on localhost only while RAILS_ENV is development (its default)",
    environmentHint: "set env RAILS_ENV=production, or pass -b 0.0.0.0",
  },
  {
    program: "gunicorn",
    hostFlags: ["-b", "--bind"],
    hostVariables: ["PORT"], // gunicorn binds 0.0.0.0:$PORT when PORT is set
    loopbackWhen: (_words, env) => !/(^|\s)(-b|--bind)[=\s]/.test(env.get("GUNICORN_CMD_ARGS") ?? ""),
    behaviour: "gunicorn without --bind (and without PORT) listens on 127.0.0.1:8000",
    environmentHint: "pass --bind 0.0.0.0:8000 (or [::]:8000)",
  },
  {
    program: "uvicorn",
    hostFlags: ["--host"],
    hostVariables: ["UVICORN_HOST"],
    behaviour: "uvicorn without --host listens on 127.0.0.1",
    environmentHint: "pass --host 0.0.0.0 (or --host ::)",
  },
  {
    program: "flask",
    subcommands: ["run"],
    hostFlags: ["--host", "-h"],
    hostVariables: ["FLASK_RUN_HOST"],
    behaviour: "flask run without --host listens on 127.0.0.1",
    environmentHint: "pass --host 0.0.0.0 (or set env FLASK_RUN_HOST=0.0.0.0)",
  },
];

export function loopbackBindingOf(
  commandLine: readonly CommandWord[],
  containerEnv: ReadonlyMap<string, string>,
): LoopbackBinding | undefined {
  for (const command of shellCommands(commandLine)) {
    const words = command.words.map((word) => word.value);
    const explicit = explicitLoopback(command.words);
    if (explicit) return explicit;
    const env = new Map([...containerEnv, ...command.assignments]);
    const found = serverDefault(command.words, words, env);
    if (found) return found;
  }
  return undefined;
}

function explicitLoopback(words: readonly CommandWord[]): LoopbackBinding | undefined {
  for (let index = 0; index < words.length; index++) {
    const word = words[index]!.value;
    const equals = word.indexOf("=");
    const flag = word.startsWith("-") && equals > 0 ? word.slice(0, equals) : word;
    if (!HOST_FLAGS.has(flag)) continue;
    const valueWord = equals > 0 && flag !== word ? words[index]! : words[index + 1];
    const value = equals > 0 && flag !== word ? word.slice(equals + 1) : valueWord?.value;
    if (valueWord && value !== undefined && isLoopbackHost(value)) {
      return {
        kind: "explicit",
        path: valueWord.path,
        description: `${flag} ${value}`,
        fix: `pass ${flag} ${allInterfacesLike(value)} (all interfaces), or drop the flag if the server's default in production is all interfaces`,
      };
    }
  }
  return undefined;
}

function serverDefault(
  commandWords: readonly CommandWord[],
  words: readonly string[],
  env: ReadonlyMap<string, string>,
): LoopbackBinding | undefined {
  for (const server of LOOPBACK_DEFAULTS) {
    const at = words.findIndex((word) => basename(word) === server.program);
    if (at < 0) continue;
    if (server.subcommands && !server.subcommands.includes(words[at + 1] ?? "")) continue;
    const rest = words.slice(at + 1);
    if (flagValue(rest, server.hostFlags) !== undefined) continue;
    if (server.hostVariables.some((name) => env.has(name))) continue;
    if (server.loopbackWhen && !server.loopbackWhen(rest, env)) continue;
    return {
      kind: "server-default",
      path: commandWords[at]!.path,
      description: server.behaviour,
      fix: server.environmentHint,
    };
  }
  return undefined;
}

/** The value of the first of `flags` on the line, as "--flag value" or "--flag=value". */
function flagValue(words: readonly string[], flags: readonly string[]): string | undefined {
  for (let index = 0; index < words.length; index++) {
    const word = words[index]!;
    for (const flag of flags) {
      if (word === flag) return words[index + 1] ?? "";
      if (word.startsWith(`${flag}=`)) return word.slice(flag.length + 1);
    }
  }
  return undefined;
}

interface ShellCommand {
  words: CommandWord[];
  /** NAME=value words before the program, as in `RACK_ENV=production rackup`. */
  assignments: Map<string, string>;
}

/**
 * Splits `sh -c "…"` scripts and plain command lines into simple commands at ; && || |,
 * so `cd /app && rackup -p 80` is read as the rackup it runs. Words of a script keep the
 * path of the argument they came from.
 */
function shellCommands(commandLine: readonly CommandWord[]): ShellCommand[] {
  const commands: ShellCommand[] = [{ words: [], assignments: new Map() }];
  for (const argument of commandLine) {
    for (const value of shellWords(argument.value)) {
      if ([";", "&&", "||", "|", "&"].includes(value)) {
        commands.push({ words: [], assignments: new Map() });
        continue;
      }
      const current = commands[commands.length - 1]!;
      const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(value);
      if (assignment && current.words.every((word) => word.value === "exec" || word.value === "env")) {
        current.assignments.set(assignment[1]!, assignment[2]!);
      } else {
        current.words.push({ value, path: argument.path });
      }
    }
  }
  return commands;
}

function shellWords(text: string): string[] {
  const words: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(&&|\|\||[;|&])|([^\s"';|&]+)/g;
  let word: string | undefined;
  let lastEnd = 0;
  for (const match of text.matchAll(pattern)) {
    const adjacent = match.index === lastEnd && word !== undefined;
    lastEnd = match.index + match[0].length;
    if (match[3] !== undefined) {
      if (word !== undefined) words.push(word);
      words.push(match[3]);
      word = undefined;
      continue;
    }
    const piece = match[1] ?? match[2] ?? match[4] ?? "";
    if (adjacent) {
      word += piece;
    } else {
      if (word !== undefined) words.push(word);
      word = piece;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

function basename(word: string): string {
  return word.slice(word.lastIndexOf("/") + 1);
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

// A container's command and args, read as the process that runs: a `sh -c` script is split
// into its simple commands, and wrappers (exec, env, bundle exec, python -m, npx, tini …) are
// looked through to the program they start. One pass over the text; no backtracking.
import type { FieldPath } from "./json-access.js";

export interface CommandWord {
  value: string;
  path: FieldPath;
}

export interface SimpleCommand {
  /** The program, without its folder: "gunicorn", "rails", "manage.py", "http.server", "frank.js". */
  program: string;
  programWord: CommandWord;
  /** The words after the program. */
  args: CommandWord[];
  /** NAME=value words before the program (or given to env). */
  assignments: Map<string, string>;
  /** Started with `&`: it runs beside whatever follows. */
  background: boolean;
  /** Replaces the shell (exec) or is the container's own process: it receives SIGTERM. */
  receivesSignals: boolean;
  /** Read from a `sh -c` script. */
  fromScript: boolean;
}

const SHELLS = new Set(["sh", "bash", "ash", "dash", "zsh", "ksh"]);
/** Words that precede a command in shell syntax and are not the command. */
const SHELL_KEYWORDS = new Set(["if", "then", "else", "elif", "do", "while", "until", "!", "{", "(", "time"]);
/** Programs that run the next word as the program (after their own flags). */
const PASS_THROUGH = new Set([
  "exec",
  "nohup",
  "tini",
  "dumb-init",
  "setsid",
  "stdbuf",
  "chpst",
  "catatonit",
  "npx",
  "bunx",
  "pnpx",
]);
/** Programs whose first word (a user) comes before the program: gosu USER cmd. */
const AS_USER = new Set(["gosu", "su-exec"]);
/** Two-word launchers: bundle exec, poetry run, pipenv run, uv run, pdm run, pnpm exec, yarn exec. */
const LAUNCHERS: Record<string, string> = {
  bundle: "exec",
  poetry: "run",
  pipenv: "run",
  uv: "run",
  pdm: "run",
  npm: "exec",
  pnpm: "exec",
  yarn: "exec",
  hatch: "run",
};
const INTERPRETERS = /^(python[0-9.]*|ruby|node|nodejs|bun|perl)$/;
/** An image's entry-point script that ends with exec "$@": docker-entrypoint.sh gunicorn … */
const ENTRYPOINT_SCRIPT = /entrypoint[^/]*\.sh$/;

/**
 * The simple commands a container runs. `argsOnly`: the manifest gives args but no command, so
 * they go to the image's entry point; when they start with a flag they are its flags.
 */
export function simpleCommands(commandLine: readonly CommandWord[], argsOnly = false): SimpleCommand[] {
  if (commandLine.length === 0) return [];
  if (argsOnly && commandLine[0]!.value.startsWith("-")) {
    const entrypoint = { value: "(the image's entry point)", path: commandLine[0]!.path };
    return [
      {
        program: entrypoint.value,
        programWord: entrypoint,
        args: [...commandLine],
        assignments: new Map(),
        background: false,
        receivesSignals: true,
        fromScript: false,
      },
    ];
  }
  const first = basename(commandLine[0]!.value);
  // Cloud Native Buildpacks' launcher sets the buildpacks' environment, then runs one string
  // through bash, or an argv as it is.
  if (commandLine[0]!.value.endsWith("/cnb/lifecycle/launcher") || (first === "launcher" && commandLine.length > 1)) {
    const rest = commandLine.slice(1);
    if (rest.length === 1 && /\s/.test(rest[0]!.value)) return scriptCommands(rest[0]!);
    return simpleCommands(rest);
  }
  if (SHELLS.has(first)) {
    const flagIndex = commandLine.findIndex((word, index) => index > 0 && /^-[a-z]*c[a-z]*$/.test(word.value));
    const script = flagIndex > 0 ? commandLine[flagIndex + 1] : undefined;
    if (script) {
      return scriptCommands(script);
    }
  }
  const command = unwrap(commandLine, new Map(), false);
  return command ? [{ ...command, background: false, receivesSignals: true }] : [];
}

/** The program of a command line, looking through wrappers; undefined when only assignments or wrappers remain. */
function unwrap(
  words: readonly CommandWord[],
  assignments: Map<string, string>,
  fromScript: boolean,
): Omit<SimpleCommand, "background" | "receivesSignals"> | undefined {
  let index = 0;
  const skipFlags = () => {
    while (index < words.length && words[index]!.value.startsWith("-")) {
      if (words[index]!.value === "--") {
        index++;
        return;
      }
      index++;
    }
  };
  while (index < words.length) {
    const value = words[index]!.value;
    const name = basename(value);
    const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(value);
    if (assignment) {
      assignments.set(assignment[1]!, assignment[2]!);
      index++;
    } else if (SHELL_KEYWORDS.has(value)) {
      index++;
    } else if (name === "env") {
      index++;
      while (index < words.length && /^-/.test(words[index]!.value)) index += words[index]!.value === "-u" ? 2 : 1;
    } else if (PASS_THROUGH.has(name)) {
      index++;
      skipFlags();
    } else if (ENTRYPOINT_SCRIPT.test(name) && index + 1 < words.length && !words[index + 1]!.value.startsWith("-")) {
      index++;
    } else if (AS_USER.has(name)) {
      index += 2;
    } else if (name === "sudo") {
      index++;
      while (index < words.length && words[index]!.value.startsWith("-")) index += words[index]!.value === "-u" ? 2 : 1;
    } else if (LAUNCHERS[name] !== undefined && words[index + 1]?.value === LAUNCHERS[name]) {
      index += 2;
      if (words[index]?.value === "--") index++;
    } else if (INTERPRETERS.test(name)) {
      // python -m module …, python manage.py …, node server.js …, ruby bin/rails …
      index++;
      while (index < words.length && words[index]!.value.startsWith("-") && words[index]!.value !== "-m") {
        index += ["-W", "-X", "-r", "--require", "-I"].includes(words[index]!.value) ? 2 : 1;
      }
      if (words[index]?.value === "-m" && words[index + 1]) {
        const moduleWord = words[index + 1]!;
        return {
          program: moduleWord.value,
          programWord: moduleWord,
          args: words.slice(index + 2),
          assignments,
          fromScript,
        };
      }
      if (index >= words.length)
        return { program: name, programWord: words[index - 1]!, args: [], assignments, fromScript };
    } else {
      return { program: name, programWord: words[index]!, args: words.slice(index + 1), assignments, fromScript };
    }
  }
  return undefined;
}

/** Splits a shell script into simple commands at ; && || | & and new lines, keeping quotes. */
function scriptCommands(script: CommandWord): SimpleCommand[] {
  const commands: SimpleCommand[] = [];
  let words: CommandWord[] = [];
  let execed = false;
  const finish = (separator: string) => {
    if (words.length > 0) {
      execed = words.find((word) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(word.value))?.value === "exec";
      const command = unwrap(words, new Map(), true);
      if (command) commands.push({ ...command, background: separator === "&", receivesSignals: execed });
    }
    words = [];
  };
  for (const token of shellTokens(script.value)) {
    if (token.operator) finish(token.text);
    else words.push({ value: token.text, path: script.path });
  }
  finish("");
  return commands;
}

interface ShellToken {
  text: string;
  operator: boolean;
}

/**
 * Words and operators of a shell script: quotes and backslashes as the shell reads them,
 * $(…) and `…` kept inside their word, comments dropped. Linear: each character is looked
 * at once, and nesting of $( ) is a counter.
 */
export function shellTokens(script: string): ShellToken[] {
  const tokens: ShellToken[] = [];
  let word: string | undefined;
  const end = () => {
    if (word !== undefined) tokens.push({ text: word, operator: false });
    word = undefined;
  };
  for (let at = 0; at < script.length; at++) {
    const char = script[at]!;
    if (char === "\\" && at + 1 < script.length) {
      if (script[at + 1] !== "\n") word = (word ?? "") + script[at + 1];
      at++;
    } else if (char === "'") {
      const close = script.indexOf("'", at + 1);
      const stop = close < 0 ? script.length : close;
      word = (word ?? "") + script.slice(at + 1, stop);
      at = stop;
    } else if (char === '"') {
      let text = "";
      at++;
      for (; at < script.length && script[at] !== '"'; at++) {
        if (script[at] === "\\" && at + 1 < script.length && '"\\$`'.includes(script[at + 1]!)) at++;
        text += script[at];
      }
      word = (word ?? "") + text;
    } else if (char === "$" && script[at + 1] === "(") {
      let depth = 0;
      const start = at;
      for (; at < script.length; at++) {
        if (script[at] === "(") depth++;
        else if (script[at] === ")" && --depth === 0) break;
      }
      word = (word ?? "") + script.slice(start, at + 1);
    } else if (char === "`") {
      const close = script.indexOf("`", at + 1);
      const stop = close < 0 ? script.length : close;
      word = (word ?? "") + script.slice(at, stop + 1);
      at = stop;
    } else if (char === "#" && word === undefined) {
      const newline = script.indexOf("\n", at);
      at = (newline < 0 ? script.length : newline) - 1;
    } else if (char === "\n" || char === ";" || char === "&" || char === "|") {
      end();
      const pair = script.slice(at, at + 2);
      const operator = pair === "&&" || pair === "||" || pair === ";;" ? pair : char;
      at += operator.length - 1;
      tokens.push({ text: operator, operator: true });
    } else if (char === " " || char === "\t" || char === "\r") {
      end();
    } else {
      word = (word ?? "") + char;
    }
  }
  end();
  return tokens;
}

export function basename(word: string): string {
  return word.slice(word.lastIndexOf("/") + 1);
}

import assert from "node:assert/strict";
import { test } from "node:test";
import { shellTokens, simpleCommands } from "./command-line.js";

function commands(words: string[], argsOnly = false) {
  return simpleCommands(
    words.map((value, index) => ({ value, path: ["command", index] })),
    argsOnly,
  ).map((command) => ({
    program: command.program,
    args: command.args.map((word) => word.value),
    background: command.background,
    signals: command.receivesSignals,
  }));
}

test("an argv is one command; wrappers are looked through to the program", () => {
  assert.deepEqual(commands(["bundle", "exec", "rackup", "-p", "80"]), [
    { program: "rackup", args: ["-p", "80"], background: false, signals: true },
  ]);
  assert.equal(commands(["python3", "-u", "-m", "uvicorn", "main:app"])[0]!.program, "uvicorn");
  assert.equal(commands(["python", "manage.py", "runserver"])[0]!.program, "manage.py");
  assert.equal(commands(["/usr/bin/tini", "--", "node", "node_modules/frank/bin/frank.js"])[0]!.program, "frank.js");
  assert.equal(commands(["env", "RACK_ENV=production", "rackup"])[0]!.program, "rackup");
  assert.equal(commands(["/docker-entrypoint.sh", "gunicorn", "app:app"])[0]!.program, "gunicorn");
  assert.equal(commands(["ruby", "bin/rails", "server"])[0]!.program, "rails");
});

test("args without a command go to the image's entry point when they start with a flag", () => {
  assert.deepEqual(commands(["--host", "::1"], true), [
    { program: "(the image's entry point)", args: ["--host", "::1"], background: false, signals: true },
  ]);
  assert.equal(commands(["uvicorn", "main:app"], true)[0]!.program, "uvicorn");
});

test("sh -c scripts are split at ; && || | & and new lines, and only exec receives signals", () => {
  const script = commands([
    "/bin/sh",
    "-ec",
    "pip install uvicorn && cd /app\n# start it\nRACK_ENV=production exec rackup -p 8080 &\nexec gunicorn --bind 0.0.0.0:8000 app:app",
  ]);
  assert.deepEqual(
    script.map((command) => [command.program, command.background, command.signals]),
    [
      ["pip", false, false],
      ["cd", false, false],
      ["rackup", true, true],
      ["gunicorn", false, true],
    ],
  );
});

test("Cloud Native Buildpacks' launcher runs one string through the shell", () => {
  assert.deepEqual(
    commands(["/cnb/lifecycle/launcher", "rackup -p 8080"]).map((command) => [command.program, command.args]),
    [["rackup", ["-p", "8080"]]],
  );
});

test("shell words keep quotes, escapes and $( ) together, and drop comments", () => {
  assert.deepEqual(
    shellTokens(`echo "a b" 'c;d' e\\ f $(date +%s; echo x) # comment; rm -rf /`).map((token) => token.text),
    ["echo", "a b", "c;d", "e f", "$(date +%s; echo x)"],
  );
});

test("shell words are read in time linear in the script", () => {
  // Unclosed quotes and $( at every step: a backtracking reader would be quadratic here.
  const script = `${"$(".repeat(50_000)}${"'".repeat(1)}${"a ".repeat(100_000)}`;
  const started = performance.now();
  shellTokens(script);
  shellTokens('"\\'.repeat(100_000));
  assert.ok(performance.now() - started < 2000);
});

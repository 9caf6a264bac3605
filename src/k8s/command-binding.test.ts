import assert from "node:assert/strict";
import { test } from "node:test";
import { loopbackBindingOf } from "./command-binding.js";

function binding(words: string[], env: Record<string, string> = {}) {
  const result = loopbackBindingOf(
    words.map((value, index) => ({ value, path: ["args", index] })),
    new Map(Object.entries(env)),
  );
  return result && { kind: result.kind, path: result.path.join("."), description: result.description };
}

test("explicit loopback flags, with a separate value or with =", () => {
  assert.deepEqual(binding(["frank", "app.ts", "--host", "127.0.0.1"]), {
    kind: "explicit",
    path: "args.3",
    description: "--host 127.0.0.1",
  });
  assert.deepEqual(binding(["rackup", "-o", "localhost"], { RACK_ENV: "production" })?.description, "-o localhost");
  assert.deepEqual(binding(["gunicorn", "--bind=127.0.0.1:8000", "app:app"])?.path, "args.1");
  assert.deepEqual(binding(["python", "-m", "http.server", "-b", "::1"])?.description, "-b ::1");
});

test("all-interface flags are fine", () => {
  for (const words of [
    ["frank", "--host", "::"],
    ["gunicorn", "-b", "0.0.0.0:8000", "app:app"],
    ["rackup", "-o", "0.0.0.0"],
  ]) {
    assert.equal(binding(words), undefined, words.join(" "));
  }
});

test("rackup binds localhost unless RACK_ENV (or -E) is not development", () => {
  assert.equal(binding(["rackup", "-p", "80"])?.kind, "server-default");
  assert.equal(binding(["bundle", "exec", "rackup", "-p", "80"], { APP_ENV: "production" })?.path, "args.2");
  assert.equal(binding(["rackup", "-p", "80"], { RACK_ENV: "production" }), undefined);
  assert.equal(binding(["rackup", "-E", "production"]), undefined);
  assert.equal(binding(["rackup", "-p", "80"], { RACK_ENV: "development" })?.kind, "server-default");
});

test("shell scripts are read command by command, with inline assignments", () => {
  assert.equal(binding(["/bin/sh", "-c", "cd /app && exec rackup -p 80"])?.path, "args.2");
  assert.equal(binding(["/bin/sh", "-c", "cd /app && RACK_ENV=production exec rackup -p 80"]), undefined);
  assert.equal(binding(["sh", "-c", "exec rackup -o '127.0.0.1' -p 80"])?.description, "-o 127.0.0.1");
});

test("gunicorn, uvicorn, flask run and rails server defaults", () => {
  assert.equal(binding(["gunicorn", "app:app"])?.kind, "server-default");
  assert.equal(binding(["gunicorn", "app:app"], { PORT: "8000" }), undefined);
  assert.equal(binding(["gunicorn", "app:app"], { GUNICORN_CMD_ARGS: "--bind=0.0.0.0:8000" }), undefined);
  assert.equal(binding(["uvicorn", "main:app"])?.kind, "server-default");
  assert.equal(binding(["uvicorn", "main:app"], { UVICORN_HOST: "::" }), undefined);
  assert.equal(binding(["flask", "run"])?.kind, "server-default");
  assert.equal(binding(["flask", "routes"]), undefined);
  assert.equal(binding(["bin/rails", "server"])?.kind, "server-default");
  assert.equal(binding(["bin/rails", "server"], { RAILS_ENV: "production" }), undefined);
});

test("servers it does not know are not guessed at", () => {
  assert.equal(binding(["node", "server.js"]), undefined);
  assert.equal(binding(["nginx", "-g", "daemon off;"]), undefined);
});

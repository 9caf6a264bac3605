import assert from "node:assert/strict";
import { test } from "node:test";
import { simpleCommands } from "./command-line.js";
import { readServer } from "./server-programs.js";

function server(words: string[], env: Record<string, string | undefined> = {}) {
  const [command] = simpleCommands(words.map((value, index) => ({ value, path: ["args", index] })));
  const reading = readServer(command!, new Map(Object.entries(env)));
  if (!reading) return undefined;
  return {
    name: reading.name,
    hosts: reading.hosts.map((host) =>
      host.kind === "default"
        ? `default ${host.loopback ? "loopback" : "all"}${host.imageCanChange ? " (image can change)" : ""}`
        : host.kind === "unknown"
          ? "unknown"
          : `${host.kind} ${host.value}`,
    ),
    ports: reading.port.ports,
    exhaustive: reading.port.exhaustive,
  };
}

test("gunicorn: --bind, PORT, GUNICORN_CMD_ARGS, a config file, or 127.0.0.1:8000", () => {
  assert.deepEqual(server(["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]), {
    name: "gunicorn",
    hosts: ["flag 0.0.0.0"],
    ports: [8000],
    exhaustive: true,
  });
  assert.deepEqual(server(["gunicorn", "-b=127.0.0.1:9000", "app:app"])?.hosts, ["flag 127.0.0.1"]);
  assert.deepEqual(server(["gunicorn", "app:app"], { PORT: "8080" })?.ports, [8080]);
  assert.deepEqual(server(["gunicorn", "app:app"], { GUNICORN_CMD_ARGS: "--bind=[::]:5000" })?.hosts, ["variable ::"]);
  assert.deepEqual(server(["gunicorn", "-c", "gunicorn.conf.py", "app:app"])?.hosts, ["unknown"]);
  assert.deepEqual(server(["gunicorn", "app:app"])?.hosts, ["default loopback (image can change)"]);
});

test("rackup and rails server: loopback only in development, decided by RACK_ENV/RAILS_ENV", () => {
  assert.deepEqual(server(["rackup", "-p", "8080"])?.hosts, ["default loopback (image can change)"]);
  assert.deepEqual(server(["rackup", "-p", "8080"], { RACK_ENV: "development" })?.hosts, ["default loopback"]);
  assert.deepEqual(server(["rackup", "-p", "8080"], { RACK_ENV: "production" })?.hosts, ["default all"]);
  assert.deepEqual(server(["rackup", "-E", "production"])?.hosts, ["default all"]);
  assert.deepEqual(server(["rackup", "-o", "0.0.0.0"])?.ports, [9292]);
  assert.deepEqual(server(["bin/rails", "server", "-b", "0.0.0.0"])?.hosts, ["flag 0.0.0.0"]);
  assert.deepEqual(server(["rails", "s"], { RAILS_ENV: "production", PORT: "3001" }), {
    name: "rails server",
    hosts: ["default all"],
    ports: [3001],
    exhaustive: false,
  });
});

test("uvicorn, flask run, runserver, http.server, php -S, vite and next", () => {
  assert.deepEqual(server(["uvicorn", "main:app"]), {
    name: "uvicorn",
    hosts: ["default loopback (image can change)"],
    ports: [8000],
    exhaustive: true,
  });
  assert.deepEqual(server(["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8080"])?.ports, [8080]);
  assert.deepEqual(server(["flask", "run", "--port", "5001"])?.hosts, ["default loopback (image can change)"]);
  assert.deepEqual(server(["flask", "run"], { FLASK_RUN_HOST: "0.0.0.0" })?.hosts, ["variable 0.0.0.0"]);
  assert.equal(server(["flask", "routes"]), undefined);
  assert.deepEqual(server(["python", "manage.py", "runserver"])?.hosts, ["default loopback"]);
  assert.deepEqual(server(["python", "manage.py", "runserver", "0.0.0.0:8000"])?.hosts, ["flag 0.0.0.0"]);
  assert.deepEqual(server(["python", "-m", "http.server", "--bind", "127.0.0.1", "9000"]), {
    name: "python -m http.server",
    hosts: ["flag 127.0.0.1"],
    ports: [9000],
    exhaustive: true,
  });
  assert.deepEqual(server(["php", "-S", "localhost:8000", "-t", "public"])?.hosts, ["flag localhost"]);
  assert.deepEqual(server(["npx", "vite"])?.hosts, ["default loopback (image can change)"]);
  assert.deepEqual(server(["vite", "dev", "--host"])?.hosts, ["flag 0.0.0.0"]);
  assert.deepEqual(server(["next", "dev"])?.hosts, ["default loopback (image can change)"]);
  assert.deepEqual(server(["next", "start"])?.hosts, []);
});

test("frank: --port, PORT, or its default 4567", () => {
  assert.deepEqual(server(["node", "node_modules/frank/bin/frank.js", "app.ts"])?.ports, [4567]);
  assert.deepEqual(server(["frank", "--port", "8080"])?.ports, [8080]);
  assert.deepEqual(server(["frank"], { PORT: "9000", HOST: "127.0.0.1" })?.hosts, ["variable 127.0.0.1"]);
});

test("servers it does not know are not guessed at", () => {
  assert.equal(server(["node", "server.js"]), undefined);
  assert.equal(server(["nginx", "-g", "daemon off;"]), undefined);
});

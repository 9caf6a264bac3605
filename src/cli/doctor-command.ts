// `frank doctor`: in a pod, what listens where and whether a Service can reach it;
// `frank doctor -f FILE|DIR|-`: the Bad-Gateway causes in manifests.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { diagnose } from "../doctor/diagnose.js";
import { formatFindings } from "../doctor/format-findings.js";
import { formatReport, reportJson } from "../doctor/format-report.js";
import { type ManifestSource, ManifestParseError, checkManifests, hasErrors, loadManifests } from "../k8s/index.js";

export const DOCTOR_USAGE = `Usage: frank doctor [--port N] [--host HOST] [--env ENV] [--json]
       frank doctor -f FILE|DIR|- [-f ...] [--json]

Without -f, run it where the app runs (kubectl exec POD -- frank doctor): it shows the
configuration frank resolves there and where each value came from, the listening TCP sockets
with their process (like netstat -lntp), whether the port answers on each non-loopback
address, and a verdict. Exit status 1 when a Service or Ingress would get Bad Gateway.

With -f, it checks manifests (YAML or JSON, several documents, kind: List, so
"kubectl get deploy,svc,ing,pods -o yaml | frank doctor -f -" works) for every cause of
Bad Gateway it knows. Exit status 1 on errors, 2 when the input cannot be read.

Options:
  -f, --file PATH   manifest file, directory (its *.yaml, *.yml, *.json) or - for stdin
  --port N          the port to check (default: as frank serve resolves it)
  --host HOST       as frank serve --host, for the configuration shown
  --env ENV         as frank serve --env, for the configuration shown
  --json            machine-readable output
  -h, --help        this help
`;

export interface DoctorIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
}

export async function run(args: string[], io: DoctorIO = process): Promise<number> {
  // biome-ignore lint/suspicious/noImplicitAnyLet: typed by its assignment in the try below (control-flow inference)
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        file: { type: "string", short: "f", multiple: true },
        port: { type: "string" },
        host: { type: "string" },
        env: { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    io.stderr.write(`frank doctor: ${(error as Error).message}\n\n${DOCTOR_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(DOCTOR_USAGE);
    return 0;
  }
  if (values.file) return checkFiles(values.file, Boolean(values.json), io);
  if (values.port !== undefined && !/^\d{1,5}$/.test(values.port)) {
    io.stderr.write(`frank doctor: --port "${values.port}" is not a port number\n\n${DOCTOR_USAGE}`);
    return 2;
  }

  const report = await diagnose({ flags: { port: values.port, host: values.host, env: values.env } });
  io.stdout.write(values.json ? reportJson(report) : formatReport(report));
  return report.ok ? 0 : 1;
}

async function checkFiles(paths: string[], json: boolean, io: DoctorIO): Promise<number> {
  // biome-ignore lint/suspicious/noImplicitAnyLet: typed by its assignment in the try below (control-flow inference)
  let objects;
  try {
    const sources: ManifestSource[] = [];
    for (const path of paths)
      sources.push(...(path === "-" ? [{ name: "-", text: await readAll(io.stdin) }] : readPath(path)));
    objects = loadManifests(sources);
  } catch (error) {
    if (error instanceof ManifestParseError) {
      io.stderr.write(`frank doctor: ${error.message}\n`);
      return 2;
    }
    if (isFileError(error)) {
      const reason = error.code === "ENOENT" ? "no such file or directory" : error.message;
      io.stderr.write(`frank doctor: cannot read ${error.path}: ${reason}\n`);
      return 2;
    }
    throw error;
  }
  const findings = checkManifests(objects);
  io.stdout.write(
    json
      ? `${JSON.stringify({ objects: objects.length, ok: !hasErrors(findings), findings }, null, 2)}\n`
      : formatFindings(findings, objects.length),
  );
  return hasErrors(findings) ? 1 : 0;
}

function readPath(path: string): ManifestSource[] {
  if (!statSync(path).isDirectory()) return [{ name: path, text: readFileSync(path, "utf8") }];
  return readdirSync(path, { recursive: true, encoding: "utf8" })
    .filter((name) => /\.(ya?ml|json)$/i.test(name))
    .sort()
    .map((name) => join(path, name))
    .filter((file) => statSync(file).isFile())
    .map((file) => ({ name: file, text: readFileSync(file, "utf8") }));
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  stream.setEncoding("utf8");
  for await (const chunk of stream) text += chunk;
  return text;
}

function isFileError(error: unknown): error is NodeJS.ErrnoException & { path: string } {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string" && "path" in error;
}

// `frank doctor`: in a pod, what listens where and whether a Service can reach it;
// `frank doctor -f FILE|DIR|-`: the Bad-Gateway causes in manifests.
import { parseArgs } from "node:util";
import { formatFindings, formatNote } from "../doctor/format-findings.js";
import { readManifestPaths } from "../doctor/manifest-files.js";
import { checkManifests } from "../k8s/check-manifests.js";
import { hasErrors } from "../k8s/finding.js";
import { type InputNote, type ManifestSource, loadManifests } from "../k8s/load-manifests.js";

export const DOCTOR_USAGE = `Usage: frank doctor [--port N] [--host HOST] [--env ENV] [--json]
       frank doctor -f FILE|DIR|- [-f ...] [--json]

Without -f, run it where the app runs (kubectl exec POD -- frank doctor): it shows the
configuration frank resolves there and where each value came from, the listening TCP sockets
with their process (like netstat -lntp), whether the port answers on each non-loopback
address, and a verdict. Exit status 1 when a Service or Ingress would get Bad Gateway.

With -f, it checks manifests (YAML or JSON, several documents, kind: List, so
"kubectl get deploy,svc,ing,pods -o yaml | frank doctor -f -" works) for every cause of
Bad Gateway it knows. Helm charts and kustomize patches are named, not read: render them
first (helm template DIR | frank doctor -f -). Exit status 1 on errors; 2 when an input
cannot be read or there is nothing to check; 0 otherwise.

Options:
  -f, --file PATH   manifest file, directory (its *.yaml, *.yml, *.json, not through
                    symlinked folders) or - for stdin
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

  // The pod checks load the server's resolution rules; -f never needs them.
  const { diagnose } = await import("../doctor/diagnose.js");
  const { formatReport, reportJson } = await import("../doctor/format-report.js");
  const report = await diagnose({ flags: { port: values.port, host: values.host, env: values.env } });
  io.stdout.write(values.json ? reportJson(report) : formatReport(report));
  return report.ok ? 0 : 1;
}

/**
 * Every input problem is one line on stderr, and the files that can be read are still
 * checked. Exit 1 on errors, else 2 when an input could not be read or nothing was checked.
 */
async function checkFiles(paths: string[], json: boolean, io: DoctorIO): Promise<number> {
  const sources: ManifestSource[] = [];
  const notes: InputNote[] = [];
  const emptyFolders: string[] = [];
  const files = paths.filter((path) => path !== "-");
  if (paths.includes("-")) sources.push({ name: "-", text: await readAll(io.stdin) });
  const read = readManifestPaths(files);
  sources.push(...read.sources);
  notes.push(...read.notes);
  emptyFolders.push(...read.emptyFolders);
  const loaded = loadManifests(sources);
  notes.push(...loaded.notes);
  for (const note of notes) io.stderr.write(`frank doctor: ${formatNote(note)}\n`);
  const { objects } = loaded;
  if (objects.length === 0) {
    const what =
      emptyFolders.length > 0 && sources.length === 0
        ? `${emptyFolders.join(", ")} holds no .yaml, .yml or .json file`
        : "no Kubernetes object (apiVersion and kind) in the input";
    io.stderr.write(`frank doctor: nothing to check: ${what}\n`);
    return 2;
  }
  const findings = checkManifests(objects);
  io.stdout.write(
    json
      ? `${JSON.stringify({ objects: objects.length, ok: !hasErrors(findings), findings, notChecked: notes }, null, 2)}\n`
      : formatFindings(findings, objects.length, notes.length),
  );
  if (hasErrors(findings)) return 1;
  return notes.some((note) => note.unreadable) ? 2 : 0;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  stream.setEncoding("utf8");
  for await (const chunk of stream) text += chunk;
  return text;
}

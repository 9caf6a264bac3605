// The environment variables a container's server reads: development exposes error pages
// (and makes some servers listen on loopback); variables that disagree mean the app and its
// launcher may not agree on which environment they run in.
import { type Check, findingAt } from "./check-context.js";

const ENVIRONMENT_VARIABLES = ["APP_ENV", "RACK_ENV", "RAILS_ENV", "NODE_ENV"];

export const checkEnvironment: Check = ({ templates }) =>
  templates
    .filter((template) => template.longRunning)
    .flatMap((template) =>
      template.containers.flatMap((container) => {
        const set = ENVIRONMENT_VARIABLES.flatMap((name) => {
          const variable = container.env.get(name);
          return variable?.value ? [{ name, ...variable, value: variable.value }] : [];
        });
        const findings = set
          .filter((variable) => variable.value === "development")
          .map((variable) =>
            findingAt(template.owner, variable.path, {
              code: "environment-development",
              severity: "warning",
              problem: `container ${container.name} runs with ${variable.name}=development${variable.source === "env" ? "" : ` (from ${variable.source})`}`,
              why: "development shows detailed error pages (source, environment) to anyone the Ingress lets in, and makes Rack and Rails listen on localhost only",
              fix: `set ${variable.name}=production`,
            }),
          );
        const values = new Set(set.map((variable) => variable.value));
        if (values.size > 1) {
          findings.push(
            findingAt(template.owner, set[1]!.path, {
              code: "environment-variables-disagree",
              severity: "warning",
              problem: `container ${container.name} sets ${set.map((variable) => `${variable.name}=${variable.value}`).join(", ")}`,
              why: "each framework reads a different one of these (frank reads APP_ENV first, rackup reads RACK_ENV), so the launcher and the app can run in different environments: the seed's team set APP_ENV=production and rackup still listened on localhost",
              fix: `give them one value (e.g. ${set.map((variable) => `${variable.name}=production`).join(", ")})`,
            }),
          );
        }
        return findings;
      }),
    );

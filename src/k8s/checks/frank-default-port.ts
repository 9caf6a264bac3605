// frank listens on PORT, else on its default port (4567, Sinatra's). A frank container
// started without PORT or --port while declaring another port is where the Service sends
// traffic and nothing answers.
import { DEFAULT_PORT } from "../../server/config.js";
import { type Check, findingAt } from "./check-context.js";

const FRANK_PROGRAMS = new Set(["frank", "frank.js"]);
const PORT_FLAGS = ["--port", "-p"];

export const checkFrankDefaultPort: Check = ({ templates }) =>
  templates.flatMap((template) =>
    template.containers
      .filter((container) => container.served && container.ports.length > 0 && !container.env.has("PORT"))
      .flatMap((container) => {
        const words = container.commandLine.flatMap((word) =>
          word.value.split(/\s+/).map((value) => ({ value, path: word.path })),
        );
        const launcher = words.find((word) => FRANK_PROGRAMS.has(word.value.slice(word.value.lastIndexOf("/") + 1)));
        if (!launcher) return [];
        const portGiven = words.some((word) =>
          PORT_FLAGS.some((flag) => word.value === flag || word.value.startsWith(`${flag}=`)),
        );
        const declared = container.ports.map((port) => port.containerPort);
        if (portGiven || declared.includes(DEFAULT_PORT)) return [];
        return [
          findingAt(template.owner, launcher.path, {
            code: "frank-default-port",
            severity: "error",
            problem: `frank runs without PORT or --port, so it listens on ${DEFAULT_PORT}, but container ${container.name} declares ${declared.join(", ")}`,
            why: `the Service sends traffic to the declared port, where nothing listens: connections are refused and the Ingress answers Bad Gateway`,
            fix: `add env PORT=${declared[0]} (as frank k8s writes it)`,
          }),
        ];
      }),
  );

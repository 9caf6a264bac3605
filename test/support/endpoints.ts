// The endpoint controller of the pod simulation: it polls every pod's /readyz and rewrites
// nginx's upstreams (a real reload) whenever the set of ready pods changes, as Kubernetes
// removes a terminating pod from a Service's endpoints.
import type { Pod } from "./netns.js";
import type { Ingress } from "./nginx.js";
import { httpGet } from "./http.js";

/**
 * The endpoint controller: polls every pod's /readyz and rewrites nginx's upstreams (a real
 * reload) whenever the set of ready pods changes. Bounded: it stops when told to.
 */
export function watchEndpoints(ingress: Ingress, pods: Pod[], port: number) {
  let ready = pods.map(() => true);
  let running = true;
  const changes: string[] = [];
  const loop = (async () => {
    while (running) {
      const now = await Promise.all(
        pods.map((pod) =>
          httpGet(`http://${pod.ipv4}:${port}/readyz`, { timeoutMs: 500 }).then(
            (answer) => answer.status === 200,
            () => false,
          ),
        ),
      );
      if (now.some((isReady, index) => isReady !== ready[index])) {
        ready = now;
        changes.push(pods.map((pod, index) => `${pod.name}:${ready[index] ? "ready" : "not ready"}`).join(" "));
        await ingress.reload({
          upstreams: pods.filter((_, index) => ready[index]).map((pod) => ({ host: pod.ipv4!, port })),
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return {
    isReady: (index: number) => ready[index],
    changes,
    async stop() {
      running = false;
      await loop;
    },
  };
}

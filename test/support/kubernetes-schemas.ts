// The Kubernetes OpenAPI schemas (through kubernetes-models, a test-time dependency): every
// shape of object `frank k8s` can write is validated against them in the tests, so the
// command itself needs neither the library (22 MB) nor the time it takes to load.
import { Deployment } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { Service } from "kubernetes-models/v1";
import { type JsonObject, stringAt } from "../../src/k8s/json-access.js";

type Validatable = { validate(): void };

const MODELS: Record<string, (data: never) => Validatable> = {
  "apps/v1/Deployment": (data) => new Deployment(data),
  "v1/Service": (data) => new Service(data),
  "networking.k8s.io/v1/Ingress": (data) => new Ingress(data),
  "policy/v1/PodDisruptionBudget": (data) => new PodDisruptionBudget(data),
  "autoscaling/v2/HorizontalPodAutoscaler": (data) => new HorizontalPodAutoscaler(data),
};

export class SchemaValidationError extends Error {
  constructor(
    readonly objectName: string,
    readonly reason: string,
  ) {
    super(`${objectName} does not match the Kubernetes schema: ${reason}`);
    this.name = "SchemaValidationError";
  }
}

/** Throws SchemaValidationError when the object does not match its kind's schema. */
export function validateAgainstSchema(object: JsonObject): void {
  const key = `${stringAt(object, "apiVersion")}/${stringAt(object, "kind")}`;
  const model = MODELS[key];
  if (!model) throw new SchemaValidationError(key, "frank has no schema for this kind");
  try {
    model(object as never).validate();
  } catch (error) {
    const details = (error as { errors?: Array<{ instancePath?: string; message?: string }> }).errors;
    const reason = details?.length
      ? details.map((detail) => `${detail.instancePath || "/"} ${detail.message ?? ""}`.trim()).join("; ")
      : (error as Error).message;
    throw new SchemaValidationError(key, reason);
  }
}

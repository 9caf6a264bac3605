// The name rules the API server applies (k8s.io/apimachinery validation), so `frank k8s`
// refuses a value before writing a manifest that `kubectl apply` would refuse.

const LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_LABEL = new RegExp(`^${LABEL}$`);
const DNS1123_SUBDOMAIN = new RegExp(`^${LABEL}(\\.${LABEL})*$`);
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Why `value` is not a DNS-1123 label (namespaces), or undefined when it is one. */
export function dns1123LabelProblem(value: string): string | undefined {
  if (value.length > 63) return `is ${value.length} characters long; at most 63 are allowed`;
  if (!DNS1123_LABEL.test(value)) {
    return "must be a DNS label: lowercase letters, digits and '-', starting and ending with a letter or digit";
  }
  return undefined;
}

/** Why `value` is not a DNS-1035 label (Service names: they must also start with a letter). */
export function dns1035LabelProblem(value: string): string | undefined {
  if (value.length > 63) return `is ${value.length} characters long; at most 63 are allowed`;
  if (!DNS1035_LABEL.test(value)) {
    return "must be a DNS label that starts with a letter: lowercase letters, digits and '-', ending with a letter or digit (it names the Service)";
  }
  return undefined;
}

/** Why `value` is not a DNS-1123 subdomain (Secret and IngressClass names, host names). */
export function dns1123SubdomainProblem(value: string): string | undefined {
  if (value.length > 253) return `is ${value.length} characters long; at most 253 are allowed`;
  if (!DNS1123_SUBDOMAIN.test(value)) {
    return "must be a DNS name: lowercase letters, digits, '-' and '.', each part starting and ending with a letter or digit";
  }
  const long = value.split(".").find((part) => part.length > 63);
  if (long) return `has a part of ${long.length} characters; each part between dots may have at most 63`;
  return undefined;
}

/** An Ingress rule's host: a DNS name, optionally "*." in front, and not an IP address. */
export function ingressHostProblem(value: string): string | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(value) || value.includes(":")) {
    return "must be a DNS name, not an IP address (an Ingress rule's host cannot be an IP)";
  }
  const name = value.startsWith("*.") ? value.slice(2) : value;
  return dns1123SubdomainProblem(name);
}

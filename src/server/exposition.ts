/**
 * The Prometheus text exposition format, version 0.0.4: what every Prometheus server and
 * agent scrapes. Written by hand: a few string rules, and never on a request's path.
 */

export const EXPOSITION_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export type MetricType = "counter" | "gauge" | "histogram";

/** A sample value as the format writes it: Go float syntax, with +Inf, -Inf and NaN. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}

/** A label value between double quotes: backslash, double quote and line feed escaped. */
export function escapeLabelValue(value: string): string {
  return /[\\"\n]/.test(value) ? value.replace(/[\\"\n]/g, (c) => (c === "\n" ? "\\n" : `\\${c}`)) : value;
}

/** `name="value",…` for the inside of `{…}`; label names are frank's own, already valid. */
export function labelPairs(labels: Record<string, string>): string {
  let text = "";
  for (const name in labels) text += `${text === "" ? "" : ","}${name}="${escapeLabelValue(labels[name])}"`;
  return text;
}

/** Collects metric families and renders them as one exposition. */
export class ExpositionWriter {
  #text = "";

  /** The `# HELP` and `# TYPE` lines that start a family (HELP escapes backslash and line feed). */
  family(name: string, type: MetricType, help: string): this {
    this.#text += `# HELP ${name} ${help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")}\n# TYPE ${name} ${type}\n`;
    return this;
  }

  /** One sample; `labels` is the inside of `{…}` as `labelPairs` makes it ("" for none). */
  sample(name: string, labels: string, value: number): this {
    this.#text += labels === "" ? `${name} ${formatValue(value)}\n` : `${name}{${labels}} ${formatValue(value)}\n`;
    return this;
  }

  /** A family with one unlabelled sample. */
  single(name: string, type: MetricType, help: string, value: number): this {
    return this.family(name, type, help).sample(name, "", value);
  }

  /**
   * The samples of one histogram series: a cumulative `_bucket` per upper bound and `+Inf`,
   * `_sum` and `_count`. `counts` holds one count per bucket (not cumulative), the last for +Inf.
   */
  histogram(name: string, labels: string, bounds: readonly string[], counts: ArrayLike<number>, sum: number): this {
    const prefix = labels === "" ? "" : `${labels},`;
    let cumulative = 0;
    for (let i = 0; i < bounds.length; i++) {
      cumulative += counts[i];
      this.#text += `${name}_bucket{${prefix}le="${bounds[i]}"} ${cumulative}\n`;
    }
    cumulative += counts[bounds.length];
    this.#text += `${name}_bucket{${prefix}le="+Inf"} ${cumulative}\n`;
    return this.sample(`${name}_sum`, labels, sum).sample(`${name}_count`, labels, cumulative);
  }

  text(): string {
    return this.#text;
  }
}

/** Bucket bounds as `le` label values, written once. */
export function boundLabels(bounds: readonly number[]): string[] {
  return bounds.map(formatValue);
}

/** The index of the first bucket whose upper bound holds `value` (bounds.length: only +Inf does). */
export function bucketIndex(bounds: readonly number[], value: number): number {
  let i = 0;
  while (i < bounds.length && value > bounds[i]) i++;
  return i;
}

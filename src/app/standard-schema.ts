// The Standard Schema v1 interface (https://standardschema.dev), which zod, valibot, arktype and
// others implement. The spec asks frameworks to carry these few types themselves instead of
// depending on a package, so that frank works with any of those libraries and depends on none.
// Written to the spec's v1 text; only the shapes matter, and they must stay structurally equal.

/** A schema of any Standard Schema library: `schema["~standard"].validate(value)`. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly "~standard": StandardSchemaV1.Props<Input, Output>;
}

export declare namespace StandardSchemaV1 {
  interface Props<Input = unknown, Output = Input> {
    readonly version: 1;
    /** The library's name ("zod", "valibot", "arktype"). */
    readonly vendor: string;
    /** Synchronous or asynchronous, as the schema needs. */
    readonly validate: (value: unknown) => Result<Output> | Promise<Result<Output>>;
    /** Present for type inference only; never read at run time. */
    readonly types?: Types<Input, Output> | undefined;
  }

  type Result<Output> = SuccessResult<Output> | FailureResult;

  interface SuccessResult<Output> {
    readonly value: Output;
    readonly issues?: undefined;
  }

  interface FailureResult {
    readonly issues: ReadonlyArray<Issue>;
  }

  interface Issue {
    readonly message: string;
    /** Where in the value: keys, or segments that carry their key. */
    readonly path?: ReadonlyArray<PropertyKey | PathSegment> | undefined;
  }

  interface PathSegment {
    readonly key: PropertyKey;
  }

  interface Types<Input = unknown, Output = Input> {
    readonly input: Input;
    readonly output: Output;
  }

  type InferInput<Schema extends StandardSchemaV1> = NonNullable<Schema["~standard"]["types"]>["input"];
  type InferOutput<Schema extends StandardSchemaV1> = NonNullable<Schema["~standard"]["types"]>["output"];
}

/**
 * The Standard JSON Schema extension (https://standardschema.dev/json-schema): a schema that can
 * describe itself as JSON Schema. Zod 4.2+ and arktype implement it; valibot through
 * `toStandardJsonSchema()` of @valibot/to-json-schema. `frank openapi` reads it when present.
 */
export interface StandardJSONSchemaV1Props {
  readonly jsonSchema: {
    readonly input: (options: { readonly target: string }) => Record<string, unknown>;
    readonly output: (options: { readonly target: string }) => Record<string, unknown>;
  };
}

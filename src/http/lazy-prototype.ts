/**
 * A prototype for a lazy stand-in of a Web class (Request, Response): `own` answers a few
 * members cheaply, and every other getter and method of `base` is forwarded to the real object
 * that `real(this)` makes on first use. `instanceof` still holds, since the stand-in's
 * prototype chain runs through `base`.
 */
export function lazyPrototype<T>(base: object, own: PropertyDescriptorMap, real: (lazy: T) => object): object {
  const proto = Object.create(base, own);
  for (const key of Reflect.ownKeys(base)) {
    if (key === "constructor" || key === Symbol.toStringTag || key in own) continue;
    const descriptor = Object.getOwnPropertyDescriptor(base, key)!;
    if (descriptor.get) {
      Object.defineProperty(proto, key, {
        get(this: T) {
          return Reflect.get(real(this), key);
        },
      });
    } else if (typeof descriptor.value === "function") {
      const method = descriptor.value as (...args: unknown[]) => unknown;
      Object.defineProperty(proto, key, {
        value(this: T, ...args: unknown[]) {
          return method.apply(real(this), args);
        },
        writable: true,
        configurable: true,
      });
    }
  }
  return proto;
}

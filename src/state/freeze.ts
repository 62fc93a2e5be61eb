/** Freezes a tree of plain objects and arrays; stops at what is frozen already. */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  if (Array.isArray(value)) {
    // By index: Object.keys on an array allocates a string per element.
    for (let i = 0; i < value.length; i++) deepFreeze(value[i]);
  } else {
    // for...in, not Object.keys: no array of keys per record. Own keys only, as Object.keys
    // gives: a property someone added to Object.prototype is not ours to freeze.
    for (const key in value) if (Object.hasOwn(value, key)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

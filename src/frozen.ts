/**
 * Freezes a plain-data value and everything in it; returns it (STYLE 5: shared data is frozen).
 * What is frozen already is taken as frozen through (a policy's parts inside a verdict).
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

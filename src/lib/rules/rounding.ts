// Rounding used by every published figure; the epsilon absorbs binary floating-point error.
const EPSILON = 1e-9;

export function roundHalfUp(value: number): number {
  return Math.floor(value + 0.5 + EPSILON);
}

export function floorSafe(value: number): number {
  return Math.floor(value + EPSILON);
}

export function ceilSafe(value: number): number {
  return Math.ceil(value - EPSILON);
}

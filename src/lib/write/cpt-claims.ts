// Two threads share the CPTs of a snapshot: one takes them from the front, the other from the
// back, until they meet. The split adapts to how long each CPT really takes, and the CPTs each
// thread did stay contiguous, so the file comes out in CPT order whichever thread did what.

/** A claim counter over CPT indexes [0, count): front and back packed into one 32-bit cell. */
export function cptClaims(count: number): Int32Array {
  if (count > 0xffff) throw new RangeError("too many CPT codes");
  const claims = new Int32Array(new SharedArrayBuffer(4));
  claims[0] = count << 16;
  return claims;
}

function claim(claims: Int32Array, fromFront: boolean): number {
  for (;;) {
    const packed = Atomics.load(claims, 0);
    const front = packed & 0xffff;
    const back = packed >>> 16;
    if (front >= back) return -1;
    const next = fromFront ? (back << 16) | (front + 1) : ((back - 1) << 16) | front;
    if (Atomics.compareExchange(claims, 0, packed, next) === packed) return fromFront ? front : back - 1;
  }
}

export const claimFromFront = (claims: Int32Array) => () => claim(claims, true);
export const claimFromBack = (claims: Int32Array) => () => claim(claims, false);

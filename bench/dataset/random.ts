/** A small seeded generator (mulberry32): the same seed gives the same data set on every machine. */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  function next(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    chance: (probability: number) => next() < probability,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    digits: (count: number) => Array.from({ length: count }, () => int(0, 9)).join(''),
    hex: (count: number) => Array.from({ length: count }, () => int(0, 15).toString(16)).join(''),
  };
}

export type Random = ReturnType<typeof createRandom>;

const full = '█';
const empty = '░';

/** `fraction` (0 to 1, clamped) as a bar of `width` cells and a whole percent: `█████░░░░░  50%`. */
export function progressBar(fraction: number, width = 20): string {
  const clamped = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const filled = Math.floor(clamped * width);
  const percent = `${Math.floor(clamped * 100)}%`.padStart(4);
  return `${full.repeat(filled)}${empty.repeat(width - filled)} ${percent}`;
}

/** How the CLI writes sizes and speeds, on progress lines and summaries alike. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function formatRate(rows: number, seconds: number): string {
  return seconds > 0 ? String(Math.round(rows / seconds)) : '–';
}

export function secondsSince(startedAt: number): number {
  return (performance.now() - startedAt) / 1000;
}

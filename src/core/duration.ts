/** Parses a length such as `90s`, `10m`, `1h30m`, `2h`, `45` (seconds) or `1:30:00`, into seconds. */
export function parseDuration(text: string): number {
  const trimmed = text.trim().toLowerCase();
  let seconds = Number.NaN;
  if (/^\d+(\.\d+)?$/.test(trimmed)) seconds = Number(trimmed);
  else if (/^\d+(:\d{1,2}){1,2}$/.test(trimmed)) {
    const parts = trimmed.split(":").map(Number);
    // Past the first field a clock counts minutes and seconds: 1:60 or 1:99:99 is a typo, not 2:00.
    if (parts.slice(1).some((part) => part >= 60)) {
      throw new RangeError(`"${text}" is not a length: on a clock, minutes and seconds run from 00 to 59`);
    }
    seconds = parts.reduce((sum, part) => sum * 60 + part, 0);
  } else {
    const match = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?:in)?)?(?:(\d+(?:\.\d+)?)s)?$/.exec(trimmed);
    if (match && trimmed !== "") {
      seconds = Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
    }
  }
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new RangeError(`"${text}" is not a length (try 90s, 10m, 1h30m or 2h)`);
  }
  return seconds;
}

/** Formats seconds as `1h05m`, `12m30s` or `45s`. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, "0")}m`;
  if (m > 0) return r > 0 ? `${m}m${String(r).padStart(2, "0")}s` : `${m}m`;
  return `${r}s`;
}

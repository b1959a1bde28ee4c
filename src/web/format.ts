/** Words and clocks for the page: scene and voice names, elapsed time, lengths in words. */

/** A beat id as a label: `inner-world` → "Inner world". */
export function beatLabel(id: string): string {
  const words = id.replace(/[-_]+/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Seconds in words: "90 seconds", "30 minutes", "1 hour 15 minutes". */
export function spoken(seconds: number): string {
  const s = Math.round(seconds);
  const unit = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
  if (s < 120 && s % 60 !== 0) return unit(s, "second");
  const h = Math.floor(s / 3600);
  const m = Math.round((s % 3600) / 60);
  return [h > 0 ? unit(h, "hour") : "", m > 0 || h === 0 ? unit(m, "minute") : ""].filter(Boolean).join(" ");
}

/** Seconds as m:ss or h:mm:ss. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

/** A voice name as a label: `nightAir` → "Night air". */
export function voiceLabel(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[-_]+/g, " ")
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

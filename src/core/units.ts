/**
 * Units as types, and every conversion between them in one place (after
 * Tone.js's Units.ts and Conversions.ts). A `gain` is a factor; a level in
 * decibels is `Decibels`, never a bare `gain`.
 */

/** A level ratio in decibels (20·log10 of an amplitude ratio, 10·log10 of a power ratio). */
export type Decibels = number;
/** An amplitude factor: 1 is unity, 0.5 about −6 dB. */
export type GainFactor = number;
/** A power (energy) factor: the square of a GainFactor. */
export type PowerFactor = number;
/** Loudness units relative to full scale (ITU-R BS.1770). */
export type Lufs = number;
/** Time in seconds. */
export type Seconds = number;
/** A count of sample frames. */
export type Frames = number;
/** Frequency in hertz. */
export type Hertz = number;

/** The amplitude factor of a level in dB. */
export function dbToGain(db: Decibels): GainFactor {
  return 10 ** (db / 20);
}

/** The level in dB of an amplitude factor (−Infinity for 0). */
export function gainToDb(gain: GainFactor): Decibels {
  return gain > 0 ? 20 * Math.log10(gain) : -Infinity;
}

/** The power factor of a level in dB. */
export function dbToPower(db: Decibels): PowerFactor {
  return 10 ** (db / 10);
}

/** The level in dB of a power factor (−Infinity for 0). */
export function powerToDb(power: PowerFactor): Decibels {
  return power > 0 ? 10 * Math.log10(power) : -Infinity;
}

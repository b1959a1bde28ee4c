/**
 * The description of every voice type a preset can name, one line each. A
 * voice's graph lives on the engine's side under the same name
 * (src/engine/voices/index.ts).
 */
import { DRIFT_NOISE } from "./drift-noise.ts";
import { FIRE } from "./fire.ts";
import { LAKE } from "./lake.ts";
import { LEAVES } from "./leaves.ts";
import { MOTIF } from "./motif.ts";
import { NIGHT_AIR } from "./night-air.ts";
import { PAD } from "./pad.ts";
import { RAIN } from "./rain.ts";
import type { VoiceType } from "./vocabulary.ts";
import type { VoiceDescription } from "./voice.ts";
import { WATERFALL } from "./waterfall.ts";
import { WAVES } from "./waves.ts";

export const VOICES: Record<VoiceType, VoiceDescription> = {
  waterfall: WATERFALL,
  leaves: LEAVES,
  nightAir: NIGHT_AIR,
  pad: PAD,
  motif: MOTIF,
  lake: LAKE,
  rain: RAIN,
  waves: WAVES,
  fire: FIRE,
  driftNoise: DRIFT_NOISE,
};

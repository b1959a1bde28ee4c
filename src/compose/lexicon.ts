/**
 * The words the composer listens for, by lemma (text.ts finds a word's lemma
 * among these from its inflections). Valence comes from AFINN (the
 * `sentiment` package); what AFINN has no list for is here: which scene a
 * word calls up, the descriptive words that shape a sound, the warm and calm
 * words of trust and rest, and the actions that become events.
 */
import type { EVENT_TYPES, VOICE_TYPES } from "../score/voice-types.ts";

export type VoiceType = (typeof VOICE_TYPES)[number];

/**
 * Scene words per voice, each with a weight: 1 names the sound itself, 0.5 a
 * place or thing that usually comes with it.
 */
export const SCENE_WORDS: Partial<Record<VoiceType, Record<string, number>>> = {
  waterfall: {
    waterfall: 1,
    cascade: 1,
    torrent: 1,
    rapids: 1,
    stream: 1,
    brook: 1,
    creek: 1,
    river: 1,
    fountain: 0.5,
    spring: 0.5,
    weir: 0.5,
  },
  lake: {
    lake: 1,
    pond: 1,
    pool: 0.5,
    loch: 1,
    lagoon: 1,
    water: 0.5,
    ripple: 1,
    lap: 0.5,
    fish: 0.5,
    reed: 0.5,
    boat: 0.5,
    oar: 1,
    paddle: 0.5,
    jetty: 0.5,
  },
  waves: {
    sea: 1,
    ocean: 1,
    wave: 1,
    surf: 1,
    shore: 1,
    beach: 1,
    tide: 1,
    shingle: 0.5,
    coast: 0.5,
    bay: 0.5,
    harbour: 0.5,
    harbor: 0.5,
    foam: 0.5,
    seashell: 0.5,
    gull: 0.5,
    lighthouse: 0.5,
  },
  rain: {
    rain: 1,
    raindrop: 1,
    drizzle: 1,
    downpour: 1,
    shower: 0.5,
    storm: 1,
    thunder: 0.5,
    thunderstorm: 1,
    patter: 1,
    drip: 0.5,
    puddle: 0.5,
    gutter: 0.5,
    umbrella: 0.5,
    eave: 0.5,
    drop: 0.5,
    wet: 0.5,
  },
  fire: {
    fire: 1,
    campfire: 1,
    bonfire: 1,
    fireplace: 1,
    hearth: 1,
    stove: 1,
    flame: 1,
    ember: 1,
    log: 0.5,
    kindling: 1,
    crackle: 1,
    blaze: 1,
    spark: 0.5,
    coal: 0.5,
    firelight: 1,
  },
  leaves: {
    forest: 1,
    wood: 0.5,
    woodland: 1,
    tree: 1,
    leaf: 1,
    pine: 1,
    oak: 1,
    birch: 1,
    willow: 1,
    branch: 0.5,
    bough: 0.5,
    canopy: 1,
    grove: 1,
    foliage: 1,
    rustle: 1,
    grass: 0.5,
    meadow: 0.5,
    hedge: 0.5,
  },
  nightAir: {
    night: 1,
    star: 0.5,
    cricket: 1,
    insect: 1,
    cicada: 1,
    frog: 0.5,
    owl: 0.5,
    moon: 0.5,
    moonlight: 0.5,
    wind: 1,
    breeze: 1,
    gust: 1,
    gale: 1,
    air: 0.5,
    dusk: 0.5,
    twilight: 0.5,
    evening: 0.5,
    mist: 0.5,
    fog: 0.5,
  },
  motif: {
    melody: 1,
    song: 1,
    sing: 0.5,
    music: 1,
    chime: 1,
    bell: 1,
    tune: 1,
    lullaby: 1,
    symphony: 1,
    hymn: 1,
    flute: 1,
    harp: 1,
    piano: 1,
    chorus: 1,
  },
  driftNoise: {
    breath: 1,
    breathe: 1,
    inhale: 1,
    exhale: 1,
    hush: 0.5,
    silence: 0.5,
    stillness: 0.5,
  },
};

/**
 * Scene words that say how their own sound goes: crickets are insects in
 * the night air, a downpour is dense rain, a drizzle thin, a torrent loud.
 */
export const SCENE_SHADES: Record<string, Shade> = {
  cricket: { density: 2 },
  insect: { density: 2 },
  cicada: { density: 2 },
  wind: { rate: 1, brightness: 0.5 },
  breeze: { rate: -0.5 },
  gale: { rate: 2, level: 1 },
  gust: { rate: 1 },
  storm: { density: 2, level: 0.5 },
  thunderstorm: { density: 2, level: 0.5 },
  downpour: { density: 2 },
  drizzle: { density: -2, brightness: 0.5 },
  patter: { density: -0.5, brightness: 0.5 },
  torrent: { level: 1, brightness: 1 },
  rapids: { level: 0.5, brightness: 1 },
  brook: { level: -0.5, brightness: 0.5 },
  crackle: { density: 1, brightness: 0.5 },
  ember: { density: -1, brightness: -1 },
  blaze: { density: 1, level: 0.5 },
  surf: { density: 1, brightness: 0.5 },
  ripple: { density: 0.5, brightness: 0.5 },
  rustle: { brightness: 0.5 },
};

/** Irregular forms the suffix rules in text.ts cannot undo. */
export const IRREGULAR: Record<string, string> = {
  leaves: "leaf",
  leapt: "leap",
  sang: "sing",
  sung: "sing",
  rose: "rise",
  risen: "rise",
  blew: "blow",
  blown: "blow",
  fell: "fall",
  fallen: "fall",
  woods: "wood",
  shook: "shake",
  dove: "dive",
  swam: "swim",
  burnt: "burn",
  rapids: "rapids",
};

/** What a descriptive word does to the sound near it: each a step up (+) or down (−). */
export interface Shade {
  level?: number;
  brightness?: number;
  density?: number;
  rate?: number;
}

/** Descriptive words, and what each does to the sounds near it. */
export const DESCRIPTORS: Record<string, Shade> = {
  gentle: { level: -0.5, rate: -0.5, density: -0.5 },
  soft: { level: -0.5, brightness: -0.5 },
  distant: { level: -0.5, brightness: -1 },
  far: { level: -0.5, brightness: -0.5 },
  faint: { level: -1, density: -0.5 },
  quiet: { level: -0.5, density: -0.5 },
  whisper: { level: -0.5, brightness: -0.5 },
  muffled: { brightness: -1 },
  deep: { brightness: -0.5 },
  dark: { brightness: -1 },
  dim: { brightness: -0.5 },
  low: { brightness: -0.5 },
  heavy: { density: 1, level: 0.5 },
  thick: { density: 1 },
  dense: { density: 1 },
  steady: { density: 0.5, rate: -0.5 },
  light: { density: -0.5, brightness: 0.5 },
  sparse: { density: -1 },
  scattered: { density: -0.5 },
  occasional: { density: -1 },
  lone: { density: -0.5 },
  thin: { density: -0.5 },
  roar: { level: 1, density: 1, rate: 0.5 },
  loud: { level: 1 },
  thunder: { level: 0.5, density: 0.5 },
  pound: { level: 0.5, density: 1 },
  rush: { rate: 1, density: 0.5 },
  wild: { rate: 1, density: 0.5 },
  fast: { rate: 1 },
  quick: { rate: 1 },
  rapid: { rate: 1 },
  restless: { rate: 0.5, density: 0.5 },
  slow: { rate: -1 },
  lazy: { rate: -1 },
  drift: { rate: -0.5 },
  still: { rate: -1, density: -0.5 },
  calm: { rate: -0.5, density: -0.5 },
  bright: { brightness: 1 },
  crisp: { brightness: 1 },
  clear: { brightness: 0.5 },
  sparkle: { brightness: 1 },
  shimmer: { brightness: 0.5 },
  glitter: { brightness: 1 },
  twinkle: { brightness: 0.5, density: 0.5 },
  silver: { brightness: 0.5 },
  crystal: { brightness: 1 },
  close: { level: 0.5, brightness: 0.5 },
  near: { level: 0.5, brightness: 0.5 },
  countless: { density: 1 },
  billion: { density: 1 },
  endless: { density: 0.5 },
};

/**
 * Warm words of trust and closeness, which AFINN mostly scores as neutral;
 * each adds to the passage's warmth as an AFINN point would.
 */
export const WARM_WORDS: Record<string, number> = {
  trust: 2,
  bond: 2,
  beacon: 2,
  connect: 2,
  connection: 2,
  together: 1,
  companion: 1,
  cradle: 2,
  embrace: 2,
  illuminate: 2,
  glow: 1,
  soul: 1,
  home: 1,
  warm: 2,
  warmth: 2,
  safe: 2,
  tender: 2,
  gentle: 1,
  hold: 1,
  lullaby: 1,
};

/** Words of rest and settling: the melody thins and slows where they gather. */
export const CALM_WORDS = new Set([
  "calm",
  "peace",
  "peaceful",
  "still",
  "stillness",
  "quiet",
  "rest",
  "sleep",
  "asleep",
  "slow",
  "serene",
  "tranquil",
  "hush",
  "settle",
  "drowsy",
  "dream",
  "fade",
]);

/** Words of dark and dusk, which dim the harmony. */
export const DARK_WORDS = new Set(["dark", "darkness", "shadow", "dusk", "twilight", "night", "gloom", "midnight"]);

/**
 * Actions that become events. A rule fires on any of `words`, or on any of
 * `with` when one of `near` is in the same sentence. `voices` are the voice
 * types that play it, in order of preference.
 */
export interface EventRule {
  type: keyof typeof EVENT_TYPES;
  voices: VoiceType[];
  words: string[];
  with?: string[];
  near?: string[];
  intensity: number;
}

export const EVENT_RULES: EventRule[] = [
  { type: "leap", voices: ["lake"], words: ["leap", "splash", "plop", "dive"], intensity: 0.5 },
  {
    type: "gust",
    voices: ["leaves", "nightAir"],
    words: ["gust", "gale", "howl"],
    with: ["wind", "breeze"],
    near: ["rise", "pick", "stir", "blow", "sweep", "whip", "swirl", "rush", "surge"],
    intensity: 0.3,
  },
  {
    type: "shower",
    voices: ["rain"],
    words: ["downpour", "cloudburst", "deluge"],
    with: ["rain", "shower"],
    near: ["pour", "harder", "heavy", "lash", "pelt", "drum", "sheet", "burst"],
    intensity: 0.4,
  },
  {
    type: "surge",
    voices: ["waves"],
    words: ["surge", "breaker", "roller"],
    with: ["wave", "sea"],
    near: ["great", "huge", "big", "large", "tall", "crash", "thunder", "boom", "swell"],
    intensity: 0.45,
  },
  {
    type: "settle",
    voices: ["fire"],
    words: ["spark"],
    with: ["log", "ember", "coal", "fire"],
    near: ["settle", "shift", "collapse", "crumble", "sigh", "pop", "crack"],
    intensity: 0.5,
  },
  { type: "swell", voices: ["pad"], words: ["appear", "emerge", "arrive", "approach", "materialize", "materialise"], intensity: 0.4 },
  { type: "chime", voices: ["motif"], words: ["song", "melody", "chime", "bell", "tune", "chord"], intensity: 0.6 },
];

/**
 * Command-line parsing: options as `--name value` or `--name=value`, each
 * checked and turned into its value, with one clear message for bad input.
 */
import { parseDuration } from "../core/duration.ts";

/** Bad usage or input: the command line exits with code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export interface ParsedArgs {
  positional: string[];
  options: Map<string, string | true>;
}

/** Splits argv into positionals and options; `flags` take no value. */
export function parseArgs(argv: string[], known: { values: string[]; flags: string[] }, command: string): ParsedArgs {
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (options.has(name)) throw new UsageError(`--${name} is given twice`);
    if (known.flags.includes(name)) {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      options.set(name, true);
    } else if (known.values.includes(name)) {
      const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined || (eq === -1 && value.startsWith("--"))) throw new UsageError(`--${name} needs a value`);
      options.set(name, value);
    } else {
      throw new UsageError(`unknown option --${name} (see reverie ${command} --help)`);
    }
  }
  return { positional, options };
}

/** The longest render the command line accepts, in seconds. */
export const MAX_LENGTH = 24 * 3600;

export function lengthOption(name: string, value: string): number {
  let seconds: number;
  try {
    seconds = parseDuration(value);
  } catch (error) {
    throw new UsageError(`--${name}: ${(error as Error).message}`);
  }
  if (seconds < 1) throw new UsageError(`--${name} must be at least 1s, got ${value}`);
  if (seconds > MAX_LENGTH) throw new UsageError(`--${name} must be at most 24h, got ${value}`);
  return seconds;
}

export function seedOption(value: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(value)) {
    throw new UsageError(`--seed must be a number or a word (letters, digits, - and _; at most 64), got "${value.slice(0, 70)}"`);
  }
  return value;
}

export function choiceOption<T extends string>(name: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${choices.join(", ")}, got "${value.slice(0, 40)}"`);
  }
  return value as T;
}

/**
 * A small validator for the subset of JSON Schema that PRESET_SCHEMA uses.
 * It only ever descends where the schema does, so hostile input (deeply
 * nested or huge) costs no more than the schema allows, and it reads own
 * properties only, so `__proto__` or `constructor` keys are plain names.
 */
import type { Schema } from "./schema.ts";

export interface ValidationError {
  /** JSON path, e.g. `beats[3].targets.leaves.level`. */
  path: string;
  message: string;
}

const MAX_ERRORS = 20;

export function validate(value: unknown, schema: Schema): ValidationError[] {
  const errors: ValidationError[] = [];
  check(value, schema, "", errors);
  return errors;
}

/** A short, safe rendering of a value for messages. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") {
    const text = JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    return text;
  }
  return String(value);
}

function expected(schema: Schema): string {
  if (schema.enum) return `one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}`;
  switch (schema.type) {
    case "number":
    case "integer": {
      const kind = schema.type === "integer" ? "a whole number" : "a number";
      const lo = schema.minimum ?? schema.exclusiveMinimum;
      if (lo !== undefined && schema.maximum !== undefined) {
        return schema.exclusiveMinimum !== undefined
          ? `${kind} above ${lo} and at most ${schema.maximum}`
          : `${kind} from ${lo} to ${schema.maximum}`;
      }
      return kind;
    }
    case "string":
      return schema.pattern ? `a string matching ${schema.pattern}` : "a string";
    case "array":
      return "an array";
    case "object":
      return "an object";
    default:
      return "a value";
  }
}

function join(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  const safe = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : JSON.stringify(key.slice(0, 40));
  return path ? `${path}.${safe}` : safe;
}

function check(value: unknown, schema: Schema, path: string, errors: ValidationError[]): void {
  if (errors.length >= MAX_ERRORS) return;
  const failure = shapeFailure(value, schema, path, errors);
  if (failure !== undefined) errors.push({ path: path || "(root)", message: failure });
}

/** What is wrong with the value itself, if anything; problems inside it are pushed onto `errors` as they are found. */
function shapeFailure(value: unknown, schema: Schema, path: string, errors: ValidationError[]): string | undefined {
  const got = () => `expected ${expected(schema)}, got ${describe(value)}`;
  let failure: Failure;
  switch (schema.type) {
    case "number":
    case "integer":
      failure = numberFailure(value, schema);
      break;
    case "string":
      failure = stringFailure(value, schema);
      break;
    case "array":
      failure = arrayFailure(value, schema, path, errors);
      break;
    case "object":
      failure = objectFailure(value, schema, path, errors);
      break;
  }
  if (failure !== undefined) return failure === MISMATCH ? got() : failure;
  if (schema.enum && schema.type !== "number" && !schema.enum.includes(value as string)) return got();
  return undefined;
}

/** A failure described by what the schema expected and what came. */
const MISMATCH = Symbol("mismatch");
type Failure = string | typeof MISMATCH | undefined;

function numberFailure(value: unknown, schema: Schema): Failure {
  if (typeof value !== "number" || !Number.isFinite(value)) return MISMATCH;
  if (schema.type === "integer" && !Number.isInteger(value)) return MISMATCH;
  if (schema.minimum !== undefined && value < schema.minimum) return MISMATCH;
  if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) return MISMATCH;
  if (schema.maximum !== undefined && value > schema.maximum) return MISMATCH;
  return undefined;
}

function stringFailure(value: unknown, schema: Schema): Failure {
  if (typeof value !== "string") return MISMATCH;
  if (schema.minLength !== undefined && value.length < schema.minLength)
    return value.length === 0 ? "must not be empty" : `must be at least ${schema.minLength} characters`;
  if (schema.maxLength !== undefined && value.length > schema.maxLength)
    return `must be at most ${schema.maxLength} characters, got ${value.length}`;
  if (schema.pattern && !new RegExp(schema.pattern).test(value)) return MISMATCH;
  return undefined;
}

function arrayFailure(value: unknown, schema: Schema, path: string, errors: ValidationError[]): Failure {
  if (!Array.isArray(value)) return MISMATCH;
  if (schema.minItems !== undefined && value.length < schema.minItems)
    return `expected at least ${schema.minItems} item${schema.minItems === 1 ? "" : "s"}, got ${value.length}`;
  if (schema.maxItems !== undefined && value.length > schema.maxItems)
    return `expected at most ${schema.maxItems} items, got ${value.length}`;
  const items = schema.items;
  if (items) {
    for (const [i, item] of value.entries()) check(item, items, join(path, i), errors);
  }
  return undefined;
}

function objectFailure(value: unknown, schema: Schema, path: string, errors: ValidationError[]): Failure {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return MISMATCH;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (schema.maxProperties !== undefined && keys.length > schema.maxProperties)
    return `expected at most ${schema.maxProperties} entries, got ${keys.length}`;
  for (const key of schema.required ?? []) {
    if (!Object.hasOwn(record, key)) errors.push({ path: join(path, key), message: "is required but missing" });
  }
  for (const key of keys) {
    const child = join(path, key);
    if (schema.propertyNames && !new RegExp(schema.propertyNames.pattern).test(key)) {
      errors.push({ path: child, message: `is not a valid name (expected ${schema.propertyNames.pattern})` });
      continue;
    }
    const known = schema.properties && Object.hasOwn(schema.properties, key) ? schema.properties[key] : undefined;
    if (known) check(record[key], known, child, errors);
    else if (schema.additionalProperties) check(record[key], schema.additionalProperties, child, errors);
    else {
      const allowed = Object.keys(schema.properties ?? {}).join(", ");
      errors.push({ path: child, message: `is not a known field (expected one of: ${allowed})` });
    }
    if (errors.length >= MAX_ERRORS) return undefined;
  }
  return undefined;
}

import { type ValidationError, validate } from "class-validator";
import type { ResolverData } from "type-graphql";
import { InputInvalidError } from "../errors/common-errors.js";
import { findUnsafeValue } from "./unsafe-input.js";

function firstViolation(errors: ValidationError[], prefix: string): { field: string; problem: string } | undefined {
  for (const error of errors) {
    const field = /^\d+$/.test(error.property)
      ? `${prefix}[${error.property}]`
      : prefix
        ? `${prefix}.${error.property}`
        : error.property;
    const constraint = error.constraints ? Object.values(error.constraints)[0] : undefined;
    if (constraint) {
      // class-validator starts messages with the property name; we name the full path instead.
      const problem = constraint.startsWith(error.property) ? constraint.slice(error.property.length).trim() : constraint;
      return { field, problem };
    }
    const nested = firstViolation(error.children ?? [], field);
    if (nested) return nested;
  }
  return undefined;
}

/** Which GraphQL argument holds this (converted) value: the one whose keys it has. */
function argumentNameOf(value: object, args: Record<string, unknown>, isArgsType: boolean): string {
  if (isArgsType) return "";
  const keys = new Set(Object.keys(value));
  for (const [name, raw] of Object.entries(args)) {
    if (raw && typeof raw === "object" && !Array.isArray(raw) && Object.keys(raw).every((key) => keys.has(key))) return name;
  }
  return "input";
}

/** Control characters and runaway nesting are refused in every argument, before any other check. */
function rejectUnsafeValues(argValue: unknown, args: Record<string, unknown>): void {
  if (argValue === null || argValue === undefined) return;
  // A scalar or list argument is found by identity; an input object by its keys; @Args classes
  // hold several arguments at the top level.
  const sameList = (raw: unknown) =>
    Array.isArray(raw) &&
    Array.isArray(argValue) &&
    raw.length === argValue.length &&
    raw.every((item, i) => item === argValue[i]);
  const byIdentity = Object.entries(args).find(([, raw]) => raw === argValue || sameList(raw))?.[0];
  if (byIdentity !== undefined || typeof argValue !== "object" || Array.isArray(argValue)) {
    const unsafe = findUnsafeValue(argValue, byIdentity ?? "argument");
    if (unsafe) throw new InputInvalidError(unsafe.field, unsafe.problem);
    return;
  }
  const isArgsClass = Object.keys(argValue).every((key) => key in args);
  const prefix = isArgsClass ? "" : argumentNameOf(argValue, args, false);
  const unsafe = findUnsafeValue(argValue, prefix);
  if (unsafe) throw new InputInvalidError(unsafe.field, unsafe.problem);
}

/**
 * type-graphql's `validateFn`: runs class-validator on input classes and reports the first
 * violation as `Field "input.uri" must be …` with `extensions.field`, so that clients know
 * exactly what to fix.
 */
export async function validateArguments(argValue: unknown, _argType: unknown, resolverData: ResolverData<object>): Promise<void> {
  rejectUnsafeValues(argValue, resolverData.args);
  if (argValue === null || typeof argValue !== "object") return;
  const values = Array.isArray(argValue) ? argValue : [argValue];
  for (const [index, value] of values.entries()) {
    if (value === null || typeof value !== "object") continue;
    const errors = await validate(value as object, { forbidUnknownValues: false });
    if (errors.length === 0) continue;
    const isArgsType = Object.keys(value).some(
      (key) => key in resolverData.args && resolverData.args[key] === (value as Record<string, unknown>)[key],
    );
    let prefix = argumentNameOf(value as object, resolverData.args, isArgsType && !Array.isArray(argValue));
    if (Array.isArray(argValue)) prefix = `${prefix}[${index}]`;
    const violation = firstViolation(errors, prefix);
    if (violation) throw new InputInvalidError(violation.field, `${violation.problem}.`);
  }
}

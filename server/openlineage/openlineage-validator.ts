import { readFileSync, readdirSync } from "node:fs";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { z } from "zod";
import type { OpenLineageEvent, OpenLineageEventKind } from "./openlineage-event.js";

/** One thing wrong with an event: where (a JSON path such as `$.inputs[0].facets.schema`) and what. */
export interface EventProblem {
  path: string;
  message: string;
}

export type ValidationOutcome =
  | { valid: true; kind: OpenLineageEventKind; event: OpenLineageEvent; warnings: EventProblem[] }
  | { valid: false; problems: EventProblem[] };

const SPEC_DIR = new URL("./spec/", import.meta.url);
const CORE_ID = "https://openlineage.io/spec/2-0-2/OpenLineage.json";

/** Facet containers of an event and the base facet each facet schema extends. */
const FACET_KINDS = ["RunFacet", "JobFacet", "DatasetFacet", "InputDatasetFacet", "OutputDatasetFacet"] as const;
type FacetKind = (typeof FACET_KINDS)[number];

const isoDateTime = z.iso.datetime({ offset: true });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * RFC 3986 URI reference: the spec says `format: uri`, yet its own compatibility example sends
 * `"producer": "producer"`, so a relative reference passes; whitespace and control characters do not.
 */
function isUriReference(value: string): boolean {
  const unsafe = [...value].some((char) => /\s/.test(char) || char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f);
  return value.length > 0 && !unsafe && URL.canParse(value, "http://base.invalid/");
}

function readJson(url: URL): Record<string, unknown> {
  return JSON.parse(readFileSync(url, "utf8")) as Record<string, unknown>;
}

/** `/inputs/0/facets` → `$.inputs[0].facets` (what clients read more easily than a JSON pointer). */
export function jsonPath(pointer: string, prefix = "$"): string {
  return pointer
    .split("/")
    .slice(1)
    .map((token) => token.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce(
      (path, token) =>
        /^\d+$/.test(token)
          ? `${path}[${token}]`
          : /^[A-Za-z_$][\w$]*$/.test(token)
            ? `${path}.${token}`
            : `${path}[${JSON.stringify(token)}]`,
      prefix,
    );
}

function problemOf(error: ErrorObject): EventProblem {
  if (error.keyword === "required") {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    return { path: jsonPath(`${error.instancePath}/${missing}`), message: "is required." };
  }
  if (error.keyword === "enum") {
    const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
    return { path: jsonPath(error.instancePath), message: `must be one of ${allowed.join(", ")}.` };
  }
  if (error.keyword === "not" && error.instancePath === "") {
    return { path: "$", message: "names both `job` and `run` but is not a run event, or `run` without `job`." };
  }
  return { path: jsonPath(error.instancePath), message: `${error.message ?? "is invalid"}.` };
}

/** Combinators repeat what their branches already said; keep them only when nothing else was said. */
function problemsOf(errors: readonly ErrorObject[]): EventProblem[] {
  const specific = errors.filter((error) => !["anyOf", "allOf", "oneOf", "if"].includes(error.keyword));
  const seen = new Set<string>();
  return (specific.length > 0 ? specific : errors).map(problemOf).filter((problem) => {
    const key = `${problem.path} ${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Validates OpenLineage events against the specification's JSON Schemas (server/openlineage/spec,
 * compiled once): the core RunEvent / JobEvent / DatasetEvent schema, then every facet container
 * against the standard facet schemas of its kind. Facets the spec does not define are kept (only
 * the base facet fields are required of them). `date-time` and `uri` formats are asserted;
 * a run id that is not a UUID is accepted with a warning (the spec's compatibility example uses
 * "run_id"), since Pedigree keys runs by the id as given.
 */
export class OpenLineageValidator {
  private readonly events: Record<OpenLineageEventKind, ValidateFunction>;
  private readonly facets: Record<FacetKind, ValidateFunction>;

  constructor() {
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
    // Annotations the spec uses beyond the 2020-12 vocabulary.
    ajv.addKeyword("example");
    ajv.addKeyword("documentation");
    ajv.addFormat("date-time", { type: "string", validate: (value: string) => isoDateTime.safeParse(value).success });
    ajv.addFormat("uri", { type: "string", validate: isUriReference });
    // Run ids are checked (as warnings) below; other uuid-formatted fields are parent run ids.
    ajv.addFormat("uuid", { type: "string", validate: () => true });
    ajv.addSchema(readJson(new URL("OpenLineage.json", SPEC_DIR)));
    // Facet name → schema, per container kind. Each facet file's top level maps facet names to its
    // $defs; those mappings are used (not the top level itself, which may require its facet).
    const byKind = new Map<FacetKind, Record<string, { $ref: string }>>(FACET_KINDS.map((kind) => [kind, {}]));
    const facetDir = new URL("facets/", SPEC_DIR);
    for (const file of readdirSync(facetDir)
      .filter((name) => name.endsWith(".json"))
      .sort()) {
      const text = readFileSync(new URL(file, facetDir), "utf8");
      const schema = JSON.parse(text) as { $id: string; properties?: Record<string, { $ref?: string }> };
      ajv.addSchema(schema);
      for (const kind of FACET_KINDS) {
        if (!text.includes(`OpenLineage.json#/$defs/${kind}"`)) continue;
        for (const [facetName, property] of Object.entries(schema.properties ?? {})) {
          if (property.$ref?.startsWith("#")) byKind.get(kind)![facetName] = { $ref: `${schema.$id}${property.$ref}` };
        }
      }
    }
    const compile = (ref: string) => ajv.compile({ $ref: ref });
    this.events = {
      RUN: compile(`${CORE_ID}#/$defs/RunEvent`),
      JOB: compile(`${CORE_ID}#/$defs/JobEvent`),
      DATASET: compile(`${CORE_ID}#/$defs/DatasetEvent`),
    };
    this.facets = Object.fromEntries(
      FACET_KINDS.map((kind) => [kind, ajv.compile({ type: "object", properties: byKind.get(kind)! })]),
    ) as Record<FacetKind, ValidateFunction>;
  }

  /** The facet kinds a standard facet schema file (by file name, e.g. `SchemaDatasetFacet`) extends. */
  static facetKindsOf(facetFile: string): FacetKind[] {
    const text = readFileSync(new URL(`facets/${facetFile}.json`, SPEC_DIR), "utf8");
    return FACET_KINDS.filter((kind) => text.includes(`OpenLineage.json#/$defs/${kind}"`));
  }

  validate(value: unknown): ValidationOutcome {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return { valid: false, problems: [{ path: "$", message: "must be a JSON object (one OpenLineage event)." }] };
    }
    const record = value as Record<string, unknown>;
    const kind: OpenLineageEventKind | undefined =
      "run" in record ? "RUN" : "dataset" in record ? "DATASET" : "job" in record ? "JOB" : undefined;
    if (!kind) {
      return {
        valid: false,
        problems: [{ path: "$", message: "must be a RunEvent (run, job), a JobEvent (job) or a DatasetEvent (dataset)." }],
      };
    }
    const validateEvent = this.events[kind];
    const problems = validateEvent(value) ? [] : problemsOf(validateEvent.errors ?? []);
    for (const [path, kindOfFacets, facets] of facetContainers(record)) {
      const validateFacets = this.facets[kindOfFacets];
      if (!validateFacets(facets)) {
        problems.push(
          ...problemsOf(validateFacets.errors ?? []).map((problem) => ({ ...problem, path: path + problem.path.slice(1) })),
        );
      }
    }
    const unstorable = unstorableTextAt(value, "$");
    if (unstorable) problems.push(unstorable);
    if (problems.length > 0) return { valid: false, problems };
    const warnings: EventProblem[] = [];
    const runId = (record.run as { runId: string } | undefined)?.runId;
    if (runId !== undefined && !UUID.test(runId)) {
      warnings.push({ path: "$.run.runId", message: "is not a UUID; it is kept as the run's id as given." });
    }
    return { valid: true, kind, event: value as OpenLineageEvent, warnings };
  }
}

/**
 * The first string (or member name) that Postgres cannot store: one holding NUL (U+0000), or a
 * lone UTF-16 surrogate, which JSON escapes allow (`"\ud800"`) but which is no Unicode text and has
 * no canonical form to hash. Other control characters (ANSI colours in error messages) are kept.
 */
function unstorableTextAt(value: unknown, path: string): EventProblem | null {
  const problemOf = (text: string) =>
    !text.isWellFormed()
      ? "is not well-formed Unicode (it holds a lone surrogate)."
      : text.includes("\u0000")
        ? "holds NUL (U+0000), which cannot be stored."
        : null;
  if (typeof value === "string") {
    const problem = problemOf(value);
    return problem ? { path, message: problem } : null;
  }
  if (typeof value !== "object" || value === null) return null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const problem = unstorableTextAt(item, `${path}[${index}]`);
      if (problem) return problem;
    }
    return null;
  }
  for (const [name, item] of Object.entries(value)) {
    const nameProblem = problemOf(name);
    if (nameProblem) return { path, message: `has a member name that ${nameProblem}` };
    const problem = unstorableTextAt(item, `${path}.${name}`);
    if (problem) return problem;
  }
  return null;
}

/** Every facets object of an event, with its JSON path and kind (those that are objects; the core schema checks the rest). */
function facetContainers(event: Record<string, unknown>): Array<[string, FacetKind, unknown]> {
  const containers: Array<[string, FacetKind, unknown]> = [];
  const add = (path: string, kind: FacetKind, owner: unknown, key: string) => {
    const facets = typeof owner === "object" && owner !== null ? (owner as Record<string, unknown>)[key] : undefined;
    if (typeof facets === "object" && facets !== null && !Array.isArray(facets))
      containers.push([`${path}.${key}`, kind, facets]);
  };
  add("$.run", "RunFacet", event.run, "facets");
  add("$.job", "JobFacet", event.job, "facets");
  add("$.dataset", "DatasetFacet", event.dataset, "facets");
  for (const side of ["inputs", "outputs"] as const) {
    const datasets = event[side];
    if (!Array.isArray(datasets)) continue;
    datasets.forEach((dataset, index) => {
      const path = `$.${side}[${index}]`;
      add(path, "DatasetFacet", dataset, "facets");
      if (side === "inputs") add(path, "InputDatasetFacet", dataset, "inputFacets");
      else add(path, "OutputDatasetFacet", dataset, "outputFacets");
    });
  }
  return containers;
}

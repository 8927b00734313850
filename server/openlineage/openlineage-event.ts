/**
 * OpenLineage event shapes (spec 2-0-2, server/openlineage/spec/OpenLineage.json), as they are once
 * OpenLineageValidator accepted them. Facets are kept as sent; the few Pedigree maps to columns are
 * read through the accessors in openlineage-facets.ts.
 */

export type OpenLineageEventKind = "RUN" | "JOB" | "DATASET";
export type RunEventType = "START" | "RUNNING" | "COMPLETE" | "ABORT" | "FAIL" | "OTHER";

/** A facets map: facet name → facet object (`_producer`, `_schemaURL` and the facet's own fields). */
export type Facets = Record<string, Record<string, unknown>>;

export interface OpenLineageJob {
  namespace: string;
  name: string;
  facets?: Facets;
}

export interface OpenLineageDataset {
  namespace: string;
  name: string;
  facets?: Facets;
}

export interface OpenLineageInput extends OpenLineageDataset {
  inputFacets?: Facets;
}

export interface OpenLineageOutput extends OpenLineageDataset {
  outputFacets?: Facets;
}

interface BaseEvent {
  eventTime: string;
  producer: string;
  schemaURL: string;
}

export interface RunEvent extends BaseEvent {
  eventType?: RunEventType;
  run: { runId: string; facets?: Facets };
  job: OpenLineageJob;
  inputs?: OpenLineageInput[];
  outputs?: OpenLineageOutput[];
}

export interface JobEvent extends BaseEvent {
  job: OpenLineageJob;
  inputs?: OpenLineageInput[];
  outputs?: OpenLineageOutput[];
}

export interface DatasetEvent extends BaseEvent {
  dataset: OpenLineageDataset;
}

export type OpenLineageEvent = RunEvent | JobEvent | DatasetEvent;

/** An event with its kind, as the validator classified it. */
export type KindedEvent =
  | { kind: "RUN"; event: RunEvent }
  | { kind: "JOB"; event: JobEvent }
  | { kind: "DATASET"; event: DatasetEvent };

/**
 * Every namespace an event names (job, datasets, parent job, column lineage inputs, symlink
 * identifiers): each must allow the write.
 */
export function namespacesNamedBy(kinded: KindedEvent): string[] {
  const names = new Set<string>();
  const datasets: OpenLineageDataset[] = [];
  if (kinded.kind === "DATASET") datasets.push(kinded.event.dataset);
  else {
    names.add(kinded.event.job.namespace);
    datasets.push(...(kinded.event.inputs ?? []), ...(kinded.event.outputs ?? []));
  }
  if (kinded.kind === "RUN") {
    const parentJob = (kinded.event.run.facets?.parent as { job?: { namespace?: unknown } } | undefined)?.job;
    if (typeof parentJob?.namespace === "string") names.add(parentJob.namespace);
  }
  for (const dataset of datasets) {
    names.add(dataset.namespace);
    // Claiming another identifier for a dataset writes into the identifier's namespace too.
    const symlinks = dataset.facets?.symlinks as { identifiers?: Array<{ namespace?: unknown }> } | undefined;
    for (const identifier of symlinks?.identifiers ?? []) {
      if (typeof identifier.namespace === "string") names.add(identifier.namespace);
    }
    const lineage = dataset.facets?.columnLineage as
      | { fields?: Record<string, { inputFields?: Array<{ namespace: string }> }> }
      | undefined;
    for (const field of Object.values(lineage?.fields ?? {})) {
      for (const input of field.inputFields ?? []) names.add(input.namespace);
    }
  }
  return [...names];
}

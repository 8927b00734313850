import type { ChangeRecorder } from "../audit/change-recorder.js";
import type { Database } from "../db/database.js";
import { runInTransaction, type Transaction } from "../db/transaction.js";
import { InputInvalidError } from "../errors/common-errors.js";
import type { RequestMeta } from "../graphql/context.js";
import type { NewLineageEdge } from "../lineage/lineage-edge.js";
import type { LineageNodeGuard } from "../lineage/lineage-node-guard.js";
import {
  type ColumnTransformationValue,
  type DerivationProperties,
  TRANSFORMATION_SUBTYPES,
  derivationProperties,
  parseDerivationProperties,
  sameDerivation,
  subtypeFits,
} from "./column-transformation.js";
import type { DatasetFieldRecord, DatasetFieldRepository, NewDatasetField } from "./dataset-field.repository.js";
import { ColumnLineageConflictError, DatasetVersionNotFoundError } from "./dataset.errors.js";
import type { DatasetRepository, DatasetVersionRecord } from "./dataset.repository.js";

/** Most DERIVES edges (input fields, over all output fields) one call may register. */
export const MAX_DERIVATIONS_PER_CALL = 1_000;
/** Most transformations one input field may list. */
export const MAX_TRANSFORMATIONS_PER_INPUT = 16;

/** An id the client sent: the row key, and the client's id for error messages. */
export interface ClientRef {
  id: string;
  shownAs: string;
}

export interface RegisterColumnLineageCommand {
  /** The output dataset version. */
  output: ClientRef;
  /** The run that performed the transformation. */
  run?: ClientRef | undefined;
  fields: Array<{
    field: string;
    inputs: Array<{ datasetVersion: ClientRef; field: string; transformations: ColumnTransformationValue[] }>;
  }>;
}

export interface RegisterColumnLineageResult {
  datasetVersion: DatasetVersionRecord;
  /** The output fields, in the order the command named them. */
  fields: DatasetFieldRecord[];
  /** DERIVES edges this call added (0 when all of them were registered before). */
  addedEdges: number;
}

/** One input ➜ output field pair of a command, with the input path that named it. */
interface Derivation {
  input: { version: ClientRef; field: string };
  output: string;
  properties: DerivationProperties;
  path: string;
}

const fieldKey = (datasetVersionId: string, name: string) => `${datasetVersionId}\u0000${name}`;

/**
 * Column-level lineage: DERIVES edges from input dataset fields to the output version's fields,
 * shaped like the OpenLineage `columnLineage` facet. Fields are lineage nodes (`dataset_field`
 * rows), made when a version is registered (one per schema field) or, for a version without a
 * schema, the first time lineage names them.
 */
export class ColumnLineageService {
  constructor(
    private readonly db: Database,
    private readonly datasets: DatasetRepository,
    private readonly fields: DatasetFieldRepository,
    private readonly guard: LineageNodeGuard,
    private readonly recorder: ChangeRecorder,
  ) {}

  /**
   * Registers the column lineage of one output version in one transaction (one audit event and
   * one outbox row for all its edges). Lineage registered before is left as it is, so a repeat
   * writes nothing; the same field pair with other transformations or another run is a CONFLICT,
   * because a version is immutable and so is what it was computed from. Derivation cycles across
   * versions are accepted (checking would walk the graph on every write); lineage walks are
   * bounded by depth and terminate on them.
   */
  register(meta: RequestMeta, command: RegisterColumnLineageCommand): Promise<RegisterColumnLineageResult> {
    checkShape(command);
    return runInTransaction(this.db, (tx) => this.registerIn(tx, meta, command));
  }

  /** `register` in the caller's transaction (OpenLineage ingestion maps the `columnLineage` facet here). */
  async registerIn(
    tx: Transaction,
    meta: RequestMeta,
    command: RegisterColumnLineageCommand,
  ): Promise<RegisterColumnLineageResult> {
    const derivations = checkShape(command);
    // Calls for the same output take turns, so that comparing with stored lineage is not racy.
    await this.fields.lockForLineage(tx, command.output.id);
    const versions = await this.requireVersions(tx, command, derivations);
    const output = versions.get(command.output.id)!;
    if (command.run) {
      await this.guard.requireAll(tx, [{ type: "RUN", id: command.run.id, shownAs: command.run.shownAs, field: "input.runId" }]);
    }

    const wanted = new Map<string, NewDatasetField>();
    const want = (version: DatasetVersionRecord, name: string, path: string, shownAs: string) => {
      const schema = version.schemaFields;
      const known = schema.find((field) => field.name === name);
      if (schema.length > 0 && !known) {
        throw new InputInvalidError(
          path,
          `must name a field in the schema of dataset version "${shownAs}"; "${name}" is not one.`,
        );
      }
      wanted.set(fieldKey(version.id, name), { datasetVersionId: version.id, name, dataType: known?.type ?? null });
    };
    command.fields.forEach((field, i) => {
      want(output, field.field, `input.fields[${i}].field`, command.output.shownAs);
    });
    for (const derivation of derivations) {
      const version = versions.get(derivation.input.version.id)!;
      want(version, derivation.input.field, `${derivation.path}.field`, derivation.input.version.shownAs);
    }
    const fieldIds = new Map(
      (await this.fields.ensure(tx, [...wanted.values()])).map((row) => [fieldKey(row.datasetVersionId, row.name), row]),
    );
    const idOf = (datasetVersionId: string, name: string) => fieldIds.get(fieldKey(datasetVersionId, name))!.id;

    const outputIds = command.fields.map((field) => idOf(output.id, field.field));
    const stored = new Map(
      (await this.fields.currentDerivationsInto(tx, outputIds)).map((edge) => [
        `${edge.upstreamId}>${edge.downstreamId}`,
        parseDerivationProperties(edge.properties),
      ]),
    );
    const added: Array<Derivation & { edge: NewLineageEdge }> = [];
    for (const derivation of derivations) {
      const upstream = idOf(derivation.input.version.id, derivation.input.field);
      const downstream = idOf(output.id, derivation.output);
      const before = stored.get(`${upstream}>${downstream}`);
      if (before && sameDerivation(before, derivation.properties)) continue;
      if (before) {
        throw new ColumnLineageConflictError(
          derivation.path,
          { version: command.output.shownAs, field: derivation.output },
          { version: derivation.input.version.shownAs, field: derivation.input.field },
        );
      }
      added.push({
        ...derivation,
        edge: {
          upstream: { type: "DATASET_FIELD", id: upstream },
          downstream: { type: "DATASET_FIELD", id: downstream },
          kind: "DERIVES",
          properties: { ...derivation.properties },
        },
      });
    }

    if (added.length > 0) {
      const dataset = await this.datasets.findById(tx, output.datasetId);
      await this.recorder.record(tx, meta, {
        action: "column_lineage.registered",
        target: { kind: "DatasetVersion", id: output.id, namespaceId: dataset?.namespaceId },
        after: {
          datasetVersionId: output.id,
          runId: command.run?.id ?? null,
          derivations: added.map((derivation) => ({
            field: derivation.output,
            inputDatasetVersionId: derivation.input.version.id,
            inputField: derivation.input.field,
            transformations: derivation.properties.transformations,
          })),
        },
        addEdges: added.map((derivation) => derivation.edge),
      });
    }
    const outputFields = command.fields.map((field) => fieldIds.get(fieldKey(output.id, field.field))!);
    return { datasetVersion: output, fields: outputFields, addedEdges: added.length };
  }

  /** Every version the command names, by row key; NOT_FOUND (output first, then inputs in order) for one that is missing. */
  private async requireVersions(tx: Transaction, command: RegisterColumnLineageCommand, derivations: Derivation[]) {
    const references = [
      { ...command.output, path: "input.datasetVersionId" },
      ...derivations.map((derivation) => ({ ...derivation.input.version, path: `${derivation.path}.datasetVersionId` })),
    ];
    const rows = await this.datasets.findVersionsByIdsIn(tx, [...new Set(references.map((reference) => reference.id))]);
    const versions = new Map(rows.map((row) => [row.id, row]));
    const missing = references.find((reference) => !versions.has(reference.id));
    if (missing) throw new DatasetVersionNotFoundError(missing.shownAs, missing.path);
    return versions;
  }
}

/** Checks what needs no database, and lists the command's field pairs. */
function checkShape(command: RegisterColumnLineageCommand): Derivation[] {
  if (command.fields.length === 0) throw new InputInvalidError("input.fields", "must hold at least one output field.");
  const total = command.fields.reduce((sum, field) => sum + field.inputs.length, 0);
  if (total > MAX_DERIVATIONS_PER_CALL) {
    throw new InputInvalidError(
      "input.fields",
      `may hold at most ${MAX_DERIVATIONS_PER_CALL.toLocaleString("en")} input fields in all; got ${total.toLocaleString("en")}. ` +
        "Register the lineage in several calls.",
    );
  }
  const outputs = new Map<string, string>();
  const derivations: Derivation[] = [];
  command.fields.forEach((field, i) => {
    const path = `input.fields[${i}]`;
    const first = outputs.get(field.field);
    if (first)
      throw new InputInvalidError(`${path}.field`, `repeats "${field.field}" (given at ${first}); list each output field once.`);
    outputs.set(field.field, `${path}.field`);
    if (field.inputs.length === 0) throw new InputInvalidError(`${path}.inputs`, "must hold at least one input field.");
    const inputs = new Map<string, string>();
    field.inputs.forEach((input, j) => {
      const inputPath = `${path}.inputs[${j}]`;
      const key = fieldKey(input.datasetVersion.id, input.field);
      const repeated = inputs.get(key);
      if (repeated) {
        throw new InputInvalidError(
          inputPath,
          `repeats field "${input.field}" of dataset version "${input.datasetVersion.shownAs}" (given at ${repeated}); ` +
            "list its transformations together.",
        );
      }
      inputs.set(key, inputPath);
      if (input.datasetVersion.id === command.output.id && input.field === field.field) {
        throw new InputInvalidError(inputPath, `derives field "${field.field}" from itself.`);
      }
      input.transformations.forEach((transformation, k) => {
        if (transformation.subtype && !subtypeFits(transformation.type, transformation.subtype)) {
          throw new InputInvalidError(
            `${inputPath}.transformations[${k}].subtype`,
            `must be a subtype of ${transformation.type} (${TRANSFORMATION_SUBTYPES[transformation.type].join(", ")}); ` +
              `got ${transformation.subtype}.`,
          );
        }
      });
      derivations.push({
        input: { version: input.datasetVersion, field: input.field },
        output: field.field,
        properties: derivationProperties(input.transformations, command.run?.id),
        path: inputPath,
      });
    });
  });
  return derivations;
}

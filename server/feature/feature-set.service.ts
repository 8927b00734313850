import type { ChangeRecorder } from "../audit/change-recorder.js";
import type { Database } from "../db/database.js";
import { runInTransaction } from "../db/transaction.js";
import type { RequestMeta } from "../graphql/context.js";
import { type PageRequest, type SortDirection, paginate } from "../lib/paginate.js";
import type { NamespaceService } from "../namespace/namespace.service.js";
import { FeatureSetNotFoundError } from "./feature.errors.js";
import type { FeatureSetFilter, FeatureSetRecord, FeatureSetRepository } from "./feature-set.repository.js";

export interface RegisterFeatureSetCommand {
  namespace: string;
  name: string;
  entityKeys: string[];
  description: string | null;
}

export class FeatureSetService {
  constructor(
    private readonly db: Database,
    private readonly featureSets: FeatureSetRepository,
    private readonly namespaces: NamespaceService,
    private readonly recorder: ChangeRecorder,
  ) {}

  /**
   * Registers a feature set by namespace + name, creating the namespace if new. An existing set is
   * returned unchanged (`created: false`); `update` changes its description or entity keys.
   */
  register(meta: RequestMeta, command: RegisterFeatureSetCommand) {
    return runInTransaction(this.db, async (tx) => {
      const namespace = await this.namespaces.ensure(tx, meta, command.namespace);
      const existing = await this.featureSets.findByName(tx, namespace.id, command.name);
      if (existing) return { featureSet: existing, created: false };
      const featureSet = await this.featureSets.create(tx, {
        namespaceId: namespace.id,
        name: command.name,
        entityKeys: command.entityKeys,
        description: command.description,
      });
      await this.recorder.record(tx, meta, {
        action: "feature_set.registered",
        target: { kind: "FeatureSet", id: featureSet.id, namespaceId: namespace.id },
        after: featureSet,
      });
      return { featureSet, created: true };
    });
  }

  update(meta: RequestMeta, id: string, input: { description?: string | null | undefined; entityKeys?: string[] | undefined }) {
    return runInTransaction(this.db, async (tx) => {
      const before = await this.featureSets.findByIdForUpdate(tx, id);
      if (!before) throw new FeatureSetNotFoundError(id, "input.id");
      const after = await this.featureSets.update(tx, id, input);
      await this.recorder.record(tx, meta, {
        action: "feature_set.updated",
        target: { kind: "FeatureSet", id, namespaceId: after.namespaceId },
        before,
        after,
      });
      return after;
    });
  }

  /** The featureSet called `name` in the namespace called `namespace`, or null. */
  findByQualifiedName(namespace: string, name: string): Promise<FeatureSetRecord | null> {
    return this.featureSets.findByQualifiedName(namespace, name);
  }

  async list(filter: FeatureSetFilter, page: PageRequest, field: "name" | "createdAt" | "updatedAt", direction: SortDirection) {
    const result = await paginate<FeatureSetRecord>(page, field, direction, (query) => this.featureSets.list(filter, query));
    return { page: result, count: () => this.featureSets.count(filter) };
  }
}

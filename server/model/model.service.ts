import type { ChangeRecorder } from "../audit/change-recorder.js";
import type { Database } from "../db/database.js";
import { runInTransaction, type Transaction } from "../db/transaction.js";
import type { RequestMeta } from "../graphql/context.js";
import { type PageRequest, type SortDirection, paginate } from "../lib/paginate.js";
import type { NamespaceService } from "../namespace/namespace.service.js";
import { ModelNotFoundError } from "./model.errors.js";
import type { ModelFilter, ModelRecord, ModelRepository } from "./model.repository.js";

export class ModelService {
  constructor(
    private readonly db: Database,
    private readonly models: ModelRepository,
    private readonly namespaces: NamespaceService,
    private readonly recorder: ChangeRecorder,
  ) {}

  /** Registers a model by namespace + name; an existing one is returned unchanged. */
  register(meta: RequestMeta, input: { namespace: string; name: string; description?: string | null | undefined }) {
    return runInTransaction(this.db, (tx) => this.ensure(tx, meta, input.namespace, input.name, input.description ?? null));
  }

  /**
   * The model `name` of namespace `namespace`, created (with the namespace when needed) in the
   * caller's transaction if it does not exist yet.
   */
  async ensure(tx: Transaction, meta: RequestMeta, namespace: string, name: string, description: string | null = null) {
    const namespaceRow = await this.namespaces.ensure(tx, meta, namespace);
    const existing = await this.models.findByName(tx, namespaceRow.id, name);
    if (existing) return { model: existing, created: false };
    const model = await this.models.create(tx, { namespaceId: namespaceRow.id, name, description });
    await this.recorder.record(tx, meta, {
      action: "model.registered",
      target: { kind: "Model", id: model.id, namespaceId: model.namespaceId },
      after: model,
    });
    return { model, created: true };
  }

  /** Holds the model's row lock until the transaction ends: version numbers are handed out one at a time. */
  lock(tx: Transaction, id: string): Promise<void> {
    return this.models.lock(tx, id);
  }

  update(meta: RequestMeta, id: string, shownAs: string, input: { description?: string | null | undefined }) {
    return runInTransaction(this.db, async (tx) => {
      // Locked first, so that concurrent updates each record the `before` the previous one left.
      await this.models.lock(tx, id);
      const before = await this.models.findById(tx, id);
      if (!before) throw new ModelNotFoundError(shownAs, "input.id");
      const after = await this.models.update(tx, id, input);
      await this.recorder.record(tx, meta, {
        action: "model.updated",
        target: { kind: "Model", id, namespaceId: after.namespaceId },
        before,
        after,
      });
      return after;
    });
  }

  /** The model called `name` in the namespace called `namespace`, or null. */
  findByQualifiedName(namespace: string, name: string): Promise<ModelRecord | null> {
    return this.models.findByQualifiedName(namespace, name);
  }

  async list(filter: ModelFilter, page: PageRequest, field: "name" | "createdAt" | "updatedAt", direction: SortDirection) {
    const result = await paginate<ModelRecord>(page, field, direction, (query) => this.models.list(filter, query));
    return { page: result, count: () => this.models.count(filter) };
  }
}

import type { ChangeRecorder } from "../audit/change-recorder.js";
import type { Database } from "../db/database.js";
import { runInTransaction, type Transaction } from "../db/transaction.js";
import { EntityNotFoundError } from "../errors/common-errors.js";
import type { RequestMeta } from "../graphql/context.js";
import { type PageRequest, type SortDirection, paginate } from "../lib/paginate.js";
import type { NamespaceFilter, NamespaceRecord, NamespaceRepository } from "./namespace.repository.js";

export class NamespaceService {
  constructor(
    private readonly db: Database,
    private readonly namespaces: NamespaceRepository,
    private readonly recorder: ChangeRecorder,
  ) {}

  /** Registers a namespace; registering an existing name returns it unchanged. */
  register(meta: RequestMeta, input: { name: string; description?: string | null | undefined }) {
    return runInTransaction(this.db, async (tx) => {
      const existing = await this.namespaces.findByName(tx, input.name);
      if (existing) return { namespace: existing, created: false };
      return { namespace: await this.create(tx, meta, input), created: true };
    });
  }

  /**
   * The namespace called `name`, created in the caller's transaction if it does not exist yet
   * (registration anywhere may introduce a namespace, as OpenLineage producers do).
   */
  async ensure(tx: Transaction, meta: RequestMeta, name: string): Promise<NamespaceRecord> {
    return (await this.namespaces.findByName(tx, name)) ?? this.create(tx, meta, { name });
  }

  update(meta: RequestMeta, id: string, input: { description?: string | null | undefined }) {
    return runInTransaction(this.db, async (tx) => {
      const before = await this.namespaces.findByIdForUpdate(tx, id);
      if (!before) throw new EntityNotFoundError("Namespace", id, "input.id");
      const after = await this.namespaces.update(tx, id, input);
      await this.recorder.record(tx, meta, {
        action: "namespace.updated",
        target: { kind: "Namespace", id, namespaceId: id },
        before,
        after,
      });
      return after;
    });
  }

  findByName(name: string): Promise<NamespaceRecord | null> {
    return this.namespaces.findByName(undefined, name);
  }

  async list(filter: NamespaceFilter, page: PageRequest, field: "name" | "createdAt", direction: SortDirection) {
    const result = await paginate<NamespaceRecord>(page, field, direction, (query) => this.namespaces.list(filter, query));
    return { page: result, count: () => this.namespaces.count(filter) };
  }

  private async create(tx: Transaction, meta: RequestMeta, input: { name: string; description?: string | null | undefined }) {
    const namespace = await this.namespaces.create(tx, input);
    await this.recorder.record(tx, meta, {
      action: "namespace.registered",
      target: { kind: "Namespace", id: namespace.id, namespaceId: namespace.id },
      after: namespace,
    });
    return namespace;
  }
}

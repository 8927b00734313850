import type { ChangeRecorder } from "../audit/change-recorder.js";
import type { Database } from "../db/database.js";
import { runInTransaction } from "../db/transaction.js";
import type { RequestMeta } from "../graphql/context.js";
import { type PageRequest, type SortDirection, paginate } from "../lib/paginate.js";
import type { NamespaceService } from "../namespace/namespace.service.js";
import type { CodeCommitFilter, CodeCommitRecord, CodeCommitRepository } from "./code-commit.repository.js";
import { CodeCommitNotFoundError } from "./commit.errors.js";
import { paginateNullsLast } from "./paginate-nulls-last.js";

export interface RegisterCodeCommitCommand {
  namespace: string;
  repository: string;
  sha: string;
  branch: string | null;
  author: string | null;
  message: string | null;
  committedAt: Date | null;
}

export class CodeCommitService {
  constructor(
    private readonly db: Database,
    private readonly commits: CodeCommitRepository,
    private readonly namespaces: NamespaceService,
    private readonly recorder: ChangeRecorder,
  ) {}

  /**
   * Registers a commit by namespace + repository + SHA, creating the namespace if new. A commit
   * that is already registered is returned unchanged (`created: false`); `update` corrects it.
   */
  register(meta: RequestMeta, command: RegisterCodeCommitCommand) {
    return runInTransaction(this.db, async (tx) => {
      const namespace = await this.namespaces.ensure(tx, meta, command.namespace);
      const existing = await this.commits.findByKey(tx, namespace.id, command.repository, command.sha);
      if (existing) return { codeCommit: existing, created: false };
      const codeCommit = await this.commits.create(tx, {
        namespaceId: namespace.id,
        repository: command.repository,
        sha: command.sha,
        branch: command.branch,
        author: command.author,
        message: command.message,
        committedAt: command.committedAt,
      });
      await this.recorder.record(tx, meta, {
        action: "code_commit.registered",
        target: { kind: "CodeCommit", id: codeCommit.id, namespaceId: namespace.id },
        after: codeCommit,
      });
      return { codeCommit, created: true };
    });
  }

  update(meta: RequestMeta, id: string, input: { branch?: string | null | undefined; message?: string | null | undefined }) {
    return runInTransaction(this.db, async (tx) => {
      const before = await this.commits.findByIdForUpdate(tx, id);
      if (!before) throw new CodeCommitNotFoundError(id, "input.id");
      const after = await this.commits.update(tx, id, input);
      await this.recorder.record(tx, meta, {
        action: "code_commit.updated",
        target: { kind: "CodeCommit", id, namespaceId: after.namespaceId },
        before,
        after,
      });
      return after;
    });
  }

  async list(filter: CodeCommitFilter, page: PageRequest, field: "committedAt" | "createdAt", direction: SortDirection) {
    const result =
      field === "committedAt"
        ? await paginateNullsLast<CodeCommitRecord>(page, field, direction, (query) => this.commits.list(filter, query))
        : await paginate<CodeCommitRecord>(page, field, direction, (query) => this.commits.list(filter, query));
    return { page: result, count: () => this.commits.count(filter) };
  }
}

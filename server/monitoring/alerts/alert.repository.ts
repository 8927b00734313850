import type { Database } from "../../db/database.js";
import type { Transaction } from "../../db/transaction.js";
import type { PageQuery } from "../../lib/paginate.js";
import { type VisibleNamespaceIds, seesNoNamespace } from "../../lib/visible-namespaces.js";
import type { AlertKindValue, StoredAlertRule } from "./alert-rules.js";

export type AlertStatusValue = "OPEN" | "ACKNOWLEDGED" | "RESOLVED";

/** Upstream lineage and blast radius of an alert, stored with it (row keys). */
export interface AlertDetails {
  /** The observed value (PSI, ms, fraction) and the threshold it crossed. */
  observed: number;
  threshold: number;
  ruleName: string;
  /** The model versions that crossed the threshold. */
  modelVersionIds: string[];
  /** Upstream of those model versions: dataset versions (with the role a run read them with), features, runs, commits. */
  lineage: {
    datasetVersions: Array<{ id: string; role: string | null }>;
    featureIds: string[];
    runIds: string[];
    commitIds: string[];
  };
  /** Every deployment serving one of those model versions now (this one included). */
  affectedDeploymentIds: string[];
  windowStart: string;
  windowEnd: string;
}

export interface AlertRecord {
  id: string;
  ruleId: string;
  deploymentId: string;
  driftReportId: string | null;
  kind: AlertKindValue;
  status: AlertStatusValue;
  severity: string;
  message: string;
  driftingFeatures: string[];
  details: AlertDetails;
  raisedAt: Date;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
}

export interface AlertFilter {
  deploymentId?: string | undefined;
  /** Namespace name. */
  namespace?: string | undefined;
  statuses?: AlertStatusValue[] | undefined;
  kinds?: AlertKindValue[] | undefined;
  /** Only alerts of deployments of these namespaces (the caller's readable ones); undefined: all. */
  visibleNamespaceIds?: VisibleNamespaceIds;
}

export interface NewAlert {
  ruleId: string;
  deploymentId: string;
  driftReportId: string | null;
  severity: string;
  message: string;
  driftingFeatures: string[];
  details: AlertDetails;
  raisedAt: Date;
}

function alertWhere(filter: AlertFilter) {
  return {
    ...(filter.deploymentId ? { deploymentId: filter.deploymentId } : {}),
    ...(filter.namespace ? { deployment: { is: { namespace: { is: { name: filter.namespace } } } } } : {}),
    ...(filter.statuses?.length ? { status: { in: filter.statuses } } : {}),
    ...(filter.kinds?.length ? { rule: { is: { kind: { in: filter.kinds } } } } : {}),
    // Under AND: the namespace-name condition above takes the `deployment` key.
    ...(filter.visibleNamespaceIds
      ? { AND: [{ deployment: { is: { namespaceId: { in: [...filter.visibleNamespaceIds] } } } }] }
      : {}),
  };
}

type AlertRow = Omit<AlertRecord, "kind"> & { rule: { kind: AlertKindValue } };

const toAlert = (row: unknown): AlertRecord => {
  const { rule, ...fields } = row as AlertRow;
  return { ...fields, kind: rule.kind };
};

const WITH_KIND = { rule: { select: { kind: true } } } as const;

/** Alert rules (stored edits of the defaults, and added rules) and the alerts they raised. */
export class AlertRepository {
  constructor(private readonly db: Database) {}

  rulesOf(tx: Transaction | undefined, deploymentId: string): Promise<StoredAlertRule[]> {
    return (tx ?? this.db.prisma).alertRule.findMany({ where: { deploymentId }, orderBy: { name: "asc" } }) as Promise<
      StoredAlertRule[]
    >;
  }

  /** Stored rules of several deployments (for DataLoaders). */
  rulesOfDeployments(deploymentIds: readonly string[]): Promise<StoredAlertRule[]> {
    return this.db.prisma.alertRule.findMany({ where: { deploymentId: { in: [...deploymentIds] } } }) as Promise<
      StoredAlertRule[]
    >;
  }

  findRule(tx: Transaction, deploymentId: string, name: string): Promise<StoredAlertRule | null> {
    return tx.alertRule.findUnique({ where: { deploymentId_name: { deploymentId, name } } }) as Promise<StoredAlertRule | null>;
  }

  upsertRule(
    tx: Transaction,
    data: { deploymentId: string; name: string; kind: AlertKindValue; threshold: number; enabled: boolean },
  ): Promise<StoredAlertRule> {
    const config = { threshold: data.threshold };
    return tx.alertRule.upsert({
      where: { deploymentId_name: { deploymentId: data.deploymentId, name: data.name } },
      create: { deploymentId: data.deploymentId, name: data.name, kind: data.kind, config, enabled: data.enabled },
      update: { config, enabled: data.enabled },
    }) as Promise<StoredAlertRule>;
  }

  /** The alert of a rule that is not resolved yet (OPEN or ACKNOWLEDGED), if any. */
  findUnresolved(tx: Transaction, ruleId: string): Promise<AlertRecord | null> {
    return tx.alert
      .findFirst({ where: { ruleId, status: { not: "RESOLVED" } }, include: WITH_KIND })
      .then((row) => (row ? toAlert(row) : null));
  }

  async create(tx: Transaction, data: NewAlert): Promise<AlertRecord> {
    return toAlert(await tx.alert.create({ data: { ...data, details: data.details as object }, include: WITH_KIND }));
  }

  async findById(tx: Transaction | undefined, id: string): Promise<AlertRecord | null> {
    const row = await (tx ?? this.db.prisma).alert.findUnique({ where: { id }, include: WITH_KIND });
    return row ? toAlert(row) : null;
  }

  /** Alerts by id, in no particular order (for DataLoaders). */
  async findByIds(ids: readonly string[]): Promise<AlertRecord[]> {
    const rows = await this.db.prisma.alert.findMany({ where: { id: { in: [...ids] } }, include: WITH_KIND });
    return rows.map(toAlert);
  }

  /** Locks the alert row until the transaction ends, so that status changes apply one at a time. */
  async lock(tx: Transaction, id: string): Promise<boolean> {
    const rows = await tx.$queryRaw<Array<{ id: string }>>`SELECT id::text AS id FROM "alert" WHERE id = ${id}::uuid FOR UPDATE`;
    return rows.length > 0;
  }

  async setStatus(
    tx: Transaction,
    id: string,
    data: { status: AlertStatusValue; acknowledgedAt?: Date; resolvedAt?: Date },
  ): Promise<AlertRecord> {
    return toAlert(await tx.alert.update({ where: { id }, data, include: WITH_KIND }));
  }

  async list(filter: AlertFilter, query: PageQuery): Promise<AlertRecord[]> {
    if (seesNoNamespace(filter.visibleNamespaceIds)) return [];
    const rows = await this.db.prisma.alert.findMany({
      where: { AND: [alertWhere(filter), ...(query.afterWhere ? [query.afterWhere] : [])] } as never,
      orderBy: query.orderBy as never,
      take: query.take,
      include: WITH_KIND,
    });
    return rows.map(toAlert);
  }

  async count(filter: AlertFilter): Promise<number> {
    if (seesNoNamespace(filter.visibleNamespaceIds)) return 0;
    return this.db.prisma.alert.count({ where: alertWhere(filter) as never });
  }
}

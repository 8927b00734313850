import type { Repositories } from "../repositories.js";
import DataLoader from "dataloader";
import { type NodeNamespace, nodeRefKey } from "../access/node-namespace.repository.js";
import type { NodeRef } from "./node-id.js";
import { byKeyLoader, childrenLoader } from "./by-key-loader.js";
import { childPageLoaders } from "./child-page-loaders.js";
import { metricSeriesLoaders } from "../run/metric-series-loaders.js";
import { openLineageLoaders } from "../openlineage/openlineage-loaders.js";

/** Per-request DataLoaders: each batches the lookups of one tick into one SQL statement. */
export function createLoaders(repos: Repositories) {
  return {
    /** Where each node lives, for hiding nodes of namespaces the caller cannot read. */
    namespaceOfNode: new DataLoader<NodeRef, NodeNamespace | undefined, string>(
      async (refs) => {
        const found = await repos.nodeNamespaces.namespacesOf(refs);
        return refs.map((ref) => found.get(nodeRefKey(ref)));
      },
      { cacheKeyFn: nodeRefKey },
    ),
    queueJobById: byKeyLoader(
      (ids) => repos.queueJobs.findByIds(ids),
      (row) => row.id,
    ),
    auditEventById: byKeyLoader(
      (ids) => repos.auditEvents.findByIds(ids),
      (row) => String(row.id),
    ),
    namespaceById: byKeyLoader(
      (ids) => repos.namespaces.findByIds(ids),
      (row) => row.id,
    ),
    datasetById: byKeyLoader(
      (ids) => repos.datasets.findByIds(ids),
      (row) => row.id,
    ),
    datasetVersionById: byKeyLoader(
      (ids) => repos.datasets.findVersionsByIds(ids),
      (row) => row.id,
    ),
    datasetFieldById: byKeyLoader(
      (ids) => repos.datasetFields.findByIds(ids),
      (row) => row.id,
    ),
    datasetFieldsByVersionId: childrenLoader(
      (ids) => repos.datasetFields.findByVersionIds(ids),
      (row) => row.datasetVersionId,
    ),
    derivationsIntoField: childrenLoader(
      (ids) => repos.lineageEdges.currentInto(ids, "DERIVES"),
      (edge) => edge.downstream.id,
    ),
    derivationsOutOfField: childrenLoader(
      (ids) => repos.lineageEdges.currentOutOf(ids, "DERIVES"),
      (edge) => edge.upstream.id,
    ),
    datasetVersionPages: childPageLoaders(
      (ids, field: "version" | "createdAt", direction, take) => repos.datasets.firstVersionPages(ids, field, direction, take),
      (ids) => repos.datasets.countVersionsByDataset(ids),
      (row) => row.datasetId,
    ),
    featureSetById: byKeyLoader(
      (ids) => repos.featureSets.findByIds(ids),
      (row) => row.id,
    ),
    featureById: byKeyLoader(
      (ids) => repos.features.findByIds(ids),
      (row) => row.id,
    ),
    featurePages: childPageLoaders(
      (ids, field: "name" | "createdAt" | "updatedAt", direction, take) =>
        repos.features.firstPagesByFeatureSet(ids, field, direction, take),
      (ids) => repos.features.countByFeatureSet(ids),
      (row) => row.featureSetId,
    ),
    featureSourceEdges: childrenLoader(
      (ids) => repos.lineageEdges.currentInto(ids, "SOURCE_OF"),
      (edge) => edge.downstream.id,
    ),
    codeCommitById: byKeyLoader(
      (ids) => repos.codeCommits.findByIds(ids),
      (row) => row.id,
    ),
    jobById: byKeyLoader(
      (ids) => repos.jobs.findByIds(ids),
      (row) => row.id,
    ),
    runById: byKeyLoader(
      (ids) => repos.runs.findByIds(ids),
      (row) => row.id,
    ),
    runPagesByJob: childPageLoaders(
      (ids, field: "createdAt" | "updatedAt", direction, take) =>
        repos.runs.firstPagesBy("runsByJob", ids, field, direction, take),
      (ids) => repos.runs.countBy("runsByJob", ids),
      (row) => row.jobId,
    ),
    childRunPages: childPageLoaders(
      (ids, field: "createdAt" | "updatedAt", direction, take) =>
        repos.runs.firstPagesBy("runsByParentRun", ids, field, direction, take),
      (ids) => repos.runs.countBy("runsByParentRun", ids),
      (row) => row.parentRunId,
    ),
    featureEdgesByRunId: childrenLoader(
      (ids) => repos.lineageEdges.currentInto(ids, "USED"),
      (edge) => edge.downstream.id,
    ),
    inputEdgesByRunId: childrenLoader(
      (ids) => repos.lineageEdges.currentInto(ids, "CONSUMED"),
      (edge) => edge.downstream.id,
    ),
    outputEdgesByRunId: childrenLoader(
      (ids) => repos.lineageEdges.currentOutOf(ids, "PRODUCED"),
      (edge) => edge.upstream.id,
    ),
    producerEdgesByDatasetVersionId: childrenLoader(
      (ids) => repos.lineageEdges.currentInto(ids, "PRODUCED"),
      (edge) => edge.downstream.id,
    ),
    consumerEdgesByDatasetVersionId: childrenLoader(
      (ids) => repos.lineageEdges.currentOutOf(ids, "CONSUMED"),
      (edge) => edge.upstream.id,
    ),
    metricSeries: metricSeriesLoaders(repos.metricPoints),
    modelById: byKeyLoader(
      (ids) => repos.models.findByIds(ids),
      (row) => row.id,
    ),
    modelVersionById: byKeyLoader(
      (ids) => repos.modelVersions.findByIds(ids),
      (row) => row.id,
    ),
    modelVersionsByModelId: childrenLoader(
      (ids) => repos.modelVersions.findByModelIds(ids),
      (row) => row.modelId,
    ),
    modelAliasesByModelId: childrenLoader(
      (ids) => repos.models.findAliasesByModelIds(ids),
      (row) => row.modelId,
    ),
    deploymentById: byKeyLoader(
      (ids) => repos.deployments.findByIds(ids),
      (row) => row.id,
    ),
    deploymentRevisionById: byKeyLoader(
      (ids) => repos.deployments.findRevisionsByIds(ids),
      (row) => row.id,
    ),
    deploymentRevisionsByDeploymentId: childrenLoader(
      (ids) => repos.deployments.findRevisionsByDeploymentIds(ids),
      (row) => row.deploymentId,
    ),
    alertById: byKeyLoader(
      (ids) => repos.alerts.findByIds(ids),
      (row) => row.id,
    ),
    driftReportById: byKeyLoader(
      (ids) => repos.driftReports.findByIds(ids),
      (row) => row.id,
    ),
    openLineage: openLineageLoaders(repos.openLineage),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

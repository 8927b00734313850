import { graphql } from "../gql/index";

export const ExportFields = graphql(`
  fragment ExportFields on Export {
    id
    kind
    status
    formats
    progress
    jobId
    error
    createdAt
    finishedAt
    expiresAt
    expired
    files {
      name
      mediaType
      sizeBytes
      sha256
      downloadUrl
    }
  }
`);

export const ExportQuery = graphql(`
  query Export($id: ID!) {
    export(id: $id) {
      ...ExportFields
    }
  }
`);

export const RequestAuditExportMutation = graphql(`
  mutation RequestAuditExport($filter: AuditExportFilterInput, $format: AuditExportFormat!) {
    requestAuditExport(filter: $filter, format: $format) {
      ...ExportFields
    }
  }
`);

export const RequestComplianceReportMutation = graphql(`
  mutation RequestComplianceReport($modelVersionId: ID, $deploymentId: ID) {
    requestModelComplianceReport(modelVersionId: $modelVersionId, deploymentId: $deploymentId) {
      ...ExportFields
    }
  }
`);

/** The report as JSON at once (no job): what the "Download JSON" button saves. */
export const ComplianceReportQuery = graphql(`
  query ComplianceReport($modelVersionId: ID, $deploymentId: ID) {
    modelComplianceReport(modelVersionId: $modelVersionId, deploymentId: $deploymentId)
  }
`);

import { graphql } from "../gql/index";

/** Every alert the token may see, as it is raised (any process, any kind). */
export const DriftAlertsSubscription = graphql(`
  subscription DriftAlerts($filter: DriftAlertFilterInput) {
    driftAlerts(filter: $filter) {
      alertId
      deploymentId
      namespace
      kind
      severity
      message
      raisedAt
      driftingFeatures
    }
  }
`);

export const AlertsQuery = graphql(`
  query Alerts($filter: AlertFilterInput, $first: Int!) {
    alerts(filter: $filter, first: $first) {
      totalCount
      edges {
        node {
          id
          kind
          severity
          status
          message
          ruleName
          observed
          threshold
          raisedAt
          acknowledgedAt
          resolvedAt
          driftingFeatures
          deployment {
            id
            name
            environment
            namespace {
              name
            }
          }
        }
      }
    }
  }
`);

export const AcknowledgeAlertMutation = graphql(`
  mutation AcknowledgeAlert($id: ID!) {
    acknowledgeAlert(id: $id) {
      id
      status
      acknowledgedAt
    }
  }
`);

export const ResolveAlertMutation = graphql(`
  mutation ResolveAlert($id: ID!) {
    resolveAlert(id: $id) {
      id
      status
      resolvedAt
    }
  }
`);

import { graphql } from "../gql/index";

export const DeploymentPageQuery = graphql(`
  query DeploymentPage($id: ID!, $windowSeconds: Int!) {
    node(id: $id) {
      __typename
      ... on Deployment {
        id
        name
        environment
        description
        createdAt
        namespace {
          name
        }
        currentRevision {
          id
          revision
          createdAt
          trafficSplit {
            percent
            modelVersion {
              id
              version
              aliases
              model {
                name
              }
            }
          }
        }
        revisions(first: 50) {
          edges {
            node {
              id
              revision
              actor
              reason
              createdAt
              trafficSplit {
                percent
                modelVersion {
                  id
                  version
                  model {
                    name
                  }
                }
              }
            }
          }
        }
        activeRollout {
          id
          state
          canaryPercent
          startedAt
          canaryModelVersion {
            id
            version
          }
          checkJob {
            id
            status
          }
        }
        alertRules {
          name
          kind
          threshold
          enabled
        }
        servingStats(windowSeconds: $windowSeconds) {
          requests
          errors
          errorRate
          p50Ms
          p99Ms
          modelVersion {
            id
            version
            model {
              name
            }
          }
        }
      }
    }
  }
`);

export const DriftReportsQuery = graphql(`
  query DriftReports($deploymentId: ID!, $first: Int!) {
    driftReports(deploymentId: $deploymentId, first: $first) {
      edges {
        node {
          id
          windowStart
          windowEnd
          sampleCount
          skipped
          dataDriftThreshold
          predictionDriftThreshold
          driftedFeatures
          modelVersion {
            id
            version
            model {
              name
            }
          }
          serving {
            requests
            errors
            errorRate
            p50Ms
            p99Ms
          }
          features {
            feature
            kind
            status
            psi
            drifted
            histogram {
              baseline
              current
              categories
              edges
            }
          }
          prediction {
            feature
            kind
            status
            psi
            drifted
            histogram {
              baseline
              current
              categories
              edges
            }
          }
        }
      }
    }
  }
`);

import { graphql } from "../gql/index";

export const RunPageQuery = graphql(`
  query RunPage($id: ID!) {
    node(id: $id) {
      __typename
      ... on Run {
        id
        status
        externalId
        createdAt
        startedAt
        endedAt
        errorMessage
        hyperparameters
        latestMetrics
        job {
          id
          name
          jobType
          namespace {
            name
          }
        }
        commit {
          id
          sha
          repository
          branch
          author
          message
        }
        inputs {
          role
          datasetVersion {
            id
            version
            dataset {
              name
            }
          }
        }
        outputs {
          id
          version
          dataset {
            name
          }
        }
        features {
          id
          name
          featureSet {
            name
          }
        }
        parent {
          id
          job {
            name
          }
          externalId
        }
        metrics(lastPoints: 2000) {
          key
          points {
            step
            value
            timestamp
          }
        }
        sweep {
          metric
          goal
          strategy
          trialCount
          completedTrials
          failedTrials
          bestMetric
          bestParams
          finishedAt
          bestChild {
            id
          }
          job {
            id
            status
            progress
          }
        }
        children(first: 100) {
          totalCount
          edges {
            node {
              id
              status
              externalId
              createdAt
              hyperparameters
              latestMetrics
            }
          }
        }
      }
    }
  }
`);

/** Each epoch of a running training run as its metrics are logged. */
export const RunProgressSubscription = graphql(`
  subscription RunProgress($runId: ID!) {
    runProgress(runId: $runId) {
      runId
      epoch
      maxEpochs
      status
      errorMessage
      at
      metrics {
        key
        value
      }
    }
  }
`);

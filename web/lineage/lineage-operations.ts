import { graphql } from "../gql/index";

/** What every lineage node shows: enough to name it in the graph and in the details panel. */
export const LineageNodeFields = graphql(`
  fragment LineageNodeFields on LineageNode {
    id
    type
    depth
    node {
      __typename
      ... on DatasetVersion {
        version
        digest
        dataset {
          name
          namespace {
            name
          }
        }
      }
      ... on Run {
        runStatus: status
        externalId
        createdAt
        job {
          name
        }
      }
      ... on ModelVersion {
        version
        aliases
        modelVersionStatus: status
        model {
          name
        }
      }
      ... on Deployment {
        name
        environment
        namespace {
          name
        }
      }
      ... on Feature {
        name
        dtype
        featureSet {
          name
        }
      }
      ... on CodeCommit {
        sha
        repository
        branch
      }
      ... on DatasetField {
        name
        dataType
        datasetVersion {
          version
          dataset {
            name
          }
        }
      }
    }
  }
`);

/** The graph around one node, both ways; expansions ask one direction from another node. */
export const LineageAroundQuery = graphql(`
  query LineageAround(
    $nodeId: ID!
    $direction: LineageDirection!
    $depth: Int!
    $limit: Int!
    $asOf: DateTime
  ) {
    lineage(nodeId: $nodeId, direction: $direction, depth: $depth, limit: $limit, asOf: $asOf) {
      truncated
      nodes {
        ...LineageNodeFields
      }
      edges {
        upstreamId
        downstreamId
        kind
        role
        validFrom
        validTo
      }
      source {
        store
        fallback
      }
    }
  }
`);

/**
 * Name search across the entity families that have a name filter. Datasets, models and jobs are not
 * lineage nodes themselves: their newest version (or run) is.
 */
export const SearchNodesQuery = graphql(`
  query SearchNodes($text: String!, $first: Int!) {
    deployments(filter: { nameContains: $text }, first: $first) {
      edges {
        node {
          id
          name
          environment
          namespace {
            name
          }
        }
      }
    }
    datasets(filter: { nameContains: $text }, first: $first) {
      edges {
        node {
          id
          name
          namespace {
            name
          }
          versions(first: 1, orderBy: { field: VERSION, direction: DESC }) {
            edges {
              node {
                id
                version
              }
            }
          }
        }
      }
    }
    models(filter: { nameContains: $text }, first: $first) {
      edges {
        node {
          id
          name
          namespace {
            name
          }
          latestVersion {
            id
            version
          }
        }
      }
    }
    jobs(filter: { nameContains: $text }, first: $first) {
      edges {
        node {
          id
          name
          namespace {
            name
          }
          runs(first: 1) {
            edges {
              node {
                id
                status
              }
            }
          }
        }
      }
    }
    features(filter: { nameContains: $text }, first: $first) {
      edges {
        node {
          id
          name
          featureSet {
            name
          }
        }
      }
    }
  }
`);

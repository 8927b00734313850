import { graphql } from "../gql/index";

export const DatasetVersionPageQuery = graphql(`
  query DatasetVersionPage($id: ID!) {
    node(id: $id) {
      __typename
      ... on DatasetVersion {
        id
        version
        uri
        format
        digest
        rowCount
        sizeBytes
        snapshotRef
        createdAt
        dataset {
          id
          name
          description
          namespace {
            name
          }
        }
        schema {
          name
          type
          description
        }
        producedBy {
          id
          status
          createdAt
          job {
            name
          }
        }
        consumedBy {
          id
          status
          createdAt
          job {
            name
          }
          inputs {
            role
            datasetVersion {
              id
            }
          }
        }
      }
    }
  }
`);

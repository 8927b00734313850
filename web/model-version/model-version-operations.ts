import { graphql } from "../gql/index";

export const ModelVersionPageQuery = graphql(`
  query ModelVersionPage($id: ID!) {
    node(id: $id) {
      __typename
      ... on ModelVersion {
        id
        version
        status
        statusReason
        aliases
        artifactUri
        artifactSha256
        description
        createdAt
        metrics
        signature
        featureImportance {
          feature
          importance
        }
        model {
          id
          name
          namespace {
            name
          }
          aliases {
            alias
            modelVersion {
              id
              version
            }
          }
        }
        sourceRun {
          id
          status
          job {
            name
          }
        }
      }
    }
    provenance(modelVersionId: $id) {
      truncated
      modelVersions {
        runs {
          depth
          run {
            id
            status
            job {
              name
            }
          }
        }
        datasetVersions {
          depth
          role
          datasetVersion {
            id
            version
            digest
            dataset {
              name
            }
          }
        }
        features {
          id
          name
        }
        commits {
          id
          sha
          repository
          branch
        }
      }
    }
  }
`);

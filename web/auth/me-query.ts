import { graphql } from "../gql/index";

/** Who the stored token belongs to; the sign-in page validates a pasted token with it. */
export const MeQuery = graphql(`
  query Me {
    me {
      id
      email
      displayName
      roles {
        role
        namespaceId
      }
    }
  }
`);

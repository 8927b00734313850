import { graphql } from "../gql/index";

export const AuditEventsQuery = graphql(`
  query AuditEvents($filter: AuditEventFilterInput, $first: Int!, $after: String) {
    auditEvents(filter: $filter, first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          action
          actor
          occurredAt
          targetId
          targetType
          requestId
          clientAddress
          before
          after
        }
      }
    }
  }
`);

export const VerifyAuditChainQuery = graphql(`
  query VerifyAuditChain($from: DateTime, $to: DateTime) {
    verifyAuditChain(from: $from, to: $to) {
      ok
      eventsChecked
      headHash
      firstEventId
      lastEventId
      brokenLink {
        eventId
        problem
        message
        sequence
        expected
        actual
      }
    }
  }
`);

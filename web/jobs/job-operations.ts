import { graphql } from "../gql/index";

/** The job's current state, then each change, until it is COMPLETED or FAILED. */
export const JobProgressSubscription = graphql(`
  subscription JobProgress($jobId: ID!) {
    jobProgress(jobId: $jobId) {
      jobId
      queue
      name
      status
      progress
      message
      error
      attempt
      at
    }
  }
`);

export const QueueJobQuery = graphql(`
  query QueueJob($id: ID!) {
    queueJob(id: $id) {
      id
      queue
      name
      status
      progress
      message
      error
      attempts
      createdAt
      finishedAt
      result
    }
  }
`);

"use client";

import { useQuery } from "@apollo/client/react";
import Link from "next/link";
import { useCallback } from "react";
import { FactList } from "../components/fact-list";
import { QueryState } from "../components/query-state";
import { TimeText } from "../components/time-text";
import { entityHref } from "../components/entity-href";
import { type JobState, JobProgressBar, jobLabel } from "./job-progress-bar";
import { QueueJobQuery } from "./job-operations";

/** What a finished job's result names that has a page (training: the run and the model version). */
const RESULT_LINKS: [key: string, typename: string, label: string][] = [
  ["runId", "Run", "Run"],
  ["modelVersionId", "ModelVersion", "Model version"],
  ["deploymentId", "Deployment", "Deployment"],
  ["datasetVersionId", "DatasetVersion", "Dataset version"],
];

/** One background job (as returned by startTraining, startSweep, runMonitoring…): live progress, then its result. */
export function JobPage(props: { id: string }) {
  const result = useQuery(QueueJobQuery, { variables: { id: props.id }, fetchPolicy: "network-only" });
  const job = result.data?.queueJob ?? null;
  const { refetch } = result;
  const onState = useCallback(
    (state: JobState) => {
      if (state.status === "COMPLETED" || state.status === "FAILED") void refetch();
    },
    [refetch],
  );
  return (
    <div className="page">
      <QueryState loading={result.loading} error={result.error} empty={!job} what="the job" emptyText="No job has this id.">
        {() =>
          job ? (
            <>
              <h1>{jobLabel(job.name)} job</h1>
              <JobProgressBar jobId={job.id} label={jobLabel(job.name)} onState={onState} />
              <FactList
                facts={[
                  ["Queue", job.queue],
                  ["Status", job.status.toLowerCase()],
                  ["Attempts", String(job.attempts)],
                  ["Created", <TimeText key="c" iso={job.createdAt} />],
                  ["Finished", <TimeText key="f" iso={job.finishedAt} />],
                  ["Error", job.error ?? "—"],
                ]}
              />
              {job.result ? (
                <ul>
                  {RESULT_LINKS.flatMap(([key, typename, label]) => {
                    const id = job.result?.[key];
                    const href = typeof id === "string" ? entityHref(typename, id) : null;
                    return href
                      ? [
                          <li key={key}>
                            <Link href={href}>{label}</Link>
                          </li>,
                        ]
                      : [];
                  })}
                </ul>
              ) : null}
            </>
          ) : null
        }
      </QueryState>
    </div>
  );
}

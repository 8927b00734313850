import { RequireToken } from "../../../components/require-token";
import { JobPage } from "../../../jobs/job-page";

export const metadata = { title: "Job · Pedigree explorer" };

export default async function JobRoute(props: { params: Promise<{ id: string }> }) {
  const id = decodeURIComponent((await props.params).id);
  return (
    <RequireToken>
      {/* A new id is a new page: no state carries over. */}
      <JobPage key={id} id={id} />
    </RequireToken>
  );
}

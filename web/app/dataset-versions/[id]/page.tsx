import { RequireToken } from "../../../components/require-token";
import { DatasetVersionPage } from "../../../dataset-version/dataset-version-page";

export const metadata = { title: "Dataset version · Pedigree explorer" };

export default async function DatasetVersionRoute(props: { params: Promise<{ id: string }> }) {
  const id = decodeURIComponent((await props.params).id);
  return (
    <RequireToken>
      {/* A new id is a new page: no state carries over. */}
      <DatasetVersionPage key={id} id={id} />
    </RequireToken>
  );
}

import { RequireToken } from "../../../components/require-token";
import { ModelVersionPage } from "../../../model-version/model-version-page";

export const metadata = { title: "Model version · Pedigree explorer" };

export default async function ModelVersionRoute(props: { params: Promise<{ id: string }> }) {
  const id = decodeURIComponent((await props.params).id);
  return (
    <RequireToken>
      {/* A new id is a new page: no state carries over. */}
      <ModelVersionPage key={id} id={id} />
    </RequireToken>
  );
}

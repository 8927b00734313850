import { RequireToken } from "../../../components/require-token";
import { DeploymentPage } from "../../../deployment/deployment-page";

export const metadata = { title: "Deployment · Pedigree explorer" };

export default async function DeploymentRoute(props: { params: Promise<{ id: string }> }) {
  const id = decodeURIComponent((await props.params).id);
  return (
    <RequireToken>
      {/* A new id is a new page: no state carries over. */}
      <DeploymentPage key={id} id={id} />
    </RequireToken>
  );
}

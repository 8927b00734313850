import { RequireToken } from "../../../components/require-token";
import { RunPage } from "../../../run/run-page";

export const metadata = { title: "Run · Pedigree explorer" };

export default async function RunRoute(props: { params: Promise<{ id: string }> }) {
  const id = decodeURIComponent((await props.params).id);
  return (
    <RequireToken>
      {/* A new id is a new page: no state carries over. */}
      <RunPage key={id} id={id} />
    </RequireToken>
  );
}

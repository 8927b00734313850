import { Suspense } from "react";
import { RequireToken } from "../../components/require-token";
import { StatusMessage } from "../../components/status-message";
import { LineageExplorer } from "../../lineage/lineage-explorer";

export const metadata = { title: "Lineage · Pedigree explorer" };

export default function LineagePage() {
  return (
    <RequireToken>
      <Suspense fallback={<StatusMessage kind="loading">Loading…</StatusMessage>}>
        <LineageExplorer />
      </Suspense>
    </RequireToken>
  );
}

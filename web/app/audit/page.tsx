import { AuditPage } from "../../audit/audit-page";
import { RequireToken } from "../../components/require-token";

export const metadata = { title: "Audit · Pedigree explorer" };

export default function AuditRoute() {
  return (
    <RequireToken>
      <AuditPage />
    </RequireToken>
  );
}

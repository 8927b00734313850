import { AlertsFeed } from "../../alerts/alerts-feed";
import { RequireToken } from "../../components/require-token";

export const metadata = { title: "Alerts · Pedigree explorer" };

export default function AlertsPage() {
  return (
    <RequireToken>
      <AlertsFeed />
    </RequireToken>
  );
}

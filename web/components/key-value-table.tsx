import { formatValue } from "../charts/chart-series";

const show = (value: unknown) =>
  typeof value === "number" ? formatValue(value) : typeof value === "string" ? value : JSON.stringify(value);

/** A JSON object's entries as a two-column table (hyperparameters, metrics), keys sorted. */
export function KeyValueTable(props: { caption: string; entries: Record<string, unknown>; keyLabel?: string; testId?: string }) {
  const keys = Object.keys(props.entries).sort();
  if (keys.length === 0) return <p className="muted">None recorded.</p>;
  return (
    <table className="kv" data-testid={props.testId}>
      <caption className="visually-hidden">{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{props.keyLabel ?? "Name"}</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {keys.map((key) => (
          <tr key={key}>
            <th scope="row">
              <code>{key}</code>
            </th>
            <td>{show(props.entries[key])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

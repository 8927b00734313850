/** A UTC instant as people read it ("2026-11-08 10:42:07 UTC"), machine-readable in <time>. */
export function TimeText(props: { iso: string | null | undefined }) {
  if (!props.iso) return <>—</>;
  return <time dateTime={props.iso}>{formatInstant(props.iso)}</time>;
}

export function formatInstant(iso: string): string {
  return `${iso.replace("T", " ").slice(0, 19)} UTC`;
}

import { saveBlob } from "./save-blob";

interface ErrorBody {
  errors?: { message?: string }[];
}

/**
 * Downloads one export file with the API token (an Authorization header, so not a plain link) and
 * saves it. The path is the file's `downloadUrl`, served same-origin by the explorer's proxy.
 * Throws with the API's message when it refuses (403 without the AUDITOR role, 410 once expired).
 */
export async function downloadExportFile(downloadUrl: string, fileName: string, token: string): Promise<void> {
  const response = await fetch(downloadUrl, { headers: { authorization: `Bearer ${token}` }, cache: "no-store" });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as ErrorBody;
    throw new Error(body.errors?.[0]?.message ?? `The download failed (HTTP ${response.status}).`);
  }
  saveBlob(await response.blob(), fileName);
}
